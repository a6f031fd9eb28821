from django.db import migrations

# Editable data: the sources name "large and small" authorities without thresholds.
SIZE_CLASSES = [
    ("1–49 anställda", 1, 49),
    ("50–249 anställda", 50, 249),
    ("250–999 anställda", 250, 999),
    ("1 000–4 999 anställda", 1000, 4999),
    ("5 000 anställda eller fler", 5000, None),
]


def add_size_classes(apps, schema_editor):
    SizeClass = apps.get_model("accounts", "SizeClass")
    for position, (name, low, high) in enumerate(SIZE_CLASSES):
        SizeClass.objects.get_or_create(
            name=name, defaults={"min_employees": low, "max_employees": high, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_size_classes, migrations.RunPython.noop)]
