from django.db import migrations

# The six statements DOMAIN.md §6 derives from the text of goal 5. The weighting behind the
# national 2.6 is not published, so every statement weighs the same until facilitators decide
# otherwise (in the admin); answers keep the weight they were given with.
STATEMENTS = [
    (
        "Vi för dialog med potentiella leverantörer och andra aktörer innan en upphandling annonseras.",
        "We hold a dialogue with potential suppliers and other actors before a procurement is advertised.",
    ),
    (
        "Vi för dialog med leverantörer under upphandlingen och anbudstiden, så långt reglerna tillåter.",
        "We hold a dialogue with suppliers during the procurement and the tender period, as far as the rules allow.",
    ),
    (
        "Vi för dialog med leverantören under avtalstiden för att utveckla leveransen och ta vara på nya lösningar.",
        "We hold a dialogue with the supplier during the contract period to develop the delivery and take up new "
        "solutions.",
    ),
    (
        "Vi ställer funktionskrav, alltså vad som ska uppnås, i stället för att beskriva en viss lösning.",
        "We set functional requirements, what is to be achieved, instead of specifying a particular solution.",
    ),
    (
        "Innovationsupphandling är en del av hur vi utvecklar vår verksamhet.",
        "Innovation procurement is part of how we develop our operations.",
    ),
    (
        "Vi arbetar i grupper med flera kompetenser med behov, dialog, krav och val av upphandlingsförfarande.",
        "We work in cross-functional groups on needs, supplier dialogue, requirements and the choice of procedure.",
    ),
]


def add_statements(apps, schema_editor):
    Statement = apps.get_model("indicator", "Statement")
    for position, (text_sv, text_en) in enumerate(STATEMENTS, start=1):
        Statement.objects.get_or_create(position=position, defaults={"text_sv": text_sv, "text_en": text_en})


class Migration(migrations.Migration):
    dependencies = [("indicator", "0001_initial")]
    operations = [migrations.RunPython(add_statements, migrations.RunPython.noop)]
