"""Demo buyer groups for `manage.py load_demo` (idempotent: skipped when the group exists)."""

from datetime import date

from django.core.files.base import ContentFile

from accounts.models import Organisation, User
from groups.models import BuyerGroup, Endorsement, Membership, NeedStatement, Procedure, Stage, Theme
from groups.services.documents import add_document
from groups.services.group import create_group, end_group, set_contacts, set_current_stage
from groups.services.memberships import decide_membership, request_membership
from groups.services.needs import create_need, move_need, save_endorsement, save_need_version

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_groups_demo() -> None:
    if BuyerGroup.objects.filter(slug="fossilfria-arbetsmaskiner").exists():
        return
    anna = User.objects.get(email="anna@vaxjo.demo.example")
    erik = User.objects.get(email="erik@lund.demo.example")
    maria = User.objects.get(email="maria@trafikverket.demo.example")
    olle = User.objects.get(email="olle@energi.demo.example")
    vaxjo = Organisation.objects.get(name="Växjö kommun")
    lund = Organisation.objects.get(name="Lunds kommun")
    trafikverket = Organisation.objects.get(name="Trafikverket")
    energi = Organisation.objects.get(name="Energimyndigheten")

    group = create_group(
        creator=anna,
        organisation=vaxjo,
        name="Fossilfria arbetsmaskiner",
        theme=Theme.TRANSPORT,
        summary="Kommuner som vill ersätta dieseldrivna arbetsmaskiner (hjullastare, grävare, "
        "redskapsbärare) med fossilfria alternativ och efterfråga dem tillsammans.",
        challenge="Var och en av oss köper för få maskiner för att tillverkarna ska ta fram eldrivna "
        "modeller i de storlekar kommunerna behöver. Laddning vid depåer och arbetsplatser saknas.",
        is_open=True,
    )
    group.slug = "fossilfria-arbetsmaskiner"
    group.save(update_fields=["slug"])
    for organisation, person, role in ((lund, erik, Membership.Role.MEMBER), (energi, olle, Membership.Role.OBSERVER)):
        membership = request_membership(
            group=group,
            organisation=organisation,
            user=person,
            role=role,
            motivation="Vi har samma behov och vill bidra med vår volym."
            if role == "member"
            else "Vi följer gruppen som expertmyndighet för energieffektivisering.",
        )
        decide_membership(membership=membership, user=anna, approve=True)
    request_membership(
        group=group,
        organisation=trafikverket,
        user=maria,
        motivation="Trafikverket upphandlar arbetsmaskiner till drift och underhåll och vill samordna kraven.",
    )
    set_current_stage(group=group, stage=Stage.EARLY_DIALOGUE, user=anna)

    fields = {
        "title": "Fossilfria kompakta hjullastare för kommunal drift",
        "background": "Kommunerna har tillsammans cirka 60 hjullastare i storleken 3–8 ton. De flesta "
        "drivs med diesel och ska bytas de närmaste fem åren.",
        "challenge": "Maskinerna ska klara en hel arbetsdag i kommunal drift utan fossila bränslen.",
        "constraints": "Ska kunna transporteras på vanligt släp. Befintliga redskap ska kunna användas.",
        "sustainability_goals": "Fossilfri fordonsflotta 2030. Minskat buller i bostadsområden.",
        "timeline": "Dialog hösten 2026, upphandling våren 2027, leverans från 2028.",
        "market_questions": "Vilka batteristorlekar och laddlösningar finns för 3–8 ton?",
    }
    requirements = [
        {
            "number": None,
            "text": "Maskinen ska klara åtta timmars normal drift utan att laddas eller tankas.",
            "priority": "must",
            "rationale": "Ett arbetspass utan avbrott.",
            "verification": "Provdrift i fält.",
        },
        {
            "number": None,
            "text": "Maskinen ska kunna laddas fullt under en natt från ett vanligt uttag på depån.",
            "priority": "must",
            "rationale": "Depåerna har begränsad effekt.",
            "verification": "Tillverkarens data och prov.",
        },
    ]
    need = create_need(
        group=group, user=anna, fields=fields, requirements=requirements, change_note="Första utkast från workshop"
    )
    version = need.current_version
    requirements = [
        *version.requirements,
        {
            "number": None,
            "text": "Bullret ska vara så lågt att maskinen kan användas i bostadsområden tidig morgon.",
            "priority": "should",
            "rationale": "Vinterväghållning börjar tidigt.",
            "verification": "Mätning enligt standard.",
        },
    ]
    version = save_need_version(
        need=need,
        user=erik,
        fields=fields,
        requirements=requirements,
        change_note="Lade till krav på buller",
        base_version_number=version.number,
    )
    fields = {**fields, "timeline": "Dialog hösten 2026, upphandling våren 2027, leveranser 2028–2029."}
    save_need_version(
        need=need,
        user=anna,
        fields=fields,
        requirements=requirements,
        change_note="Justerade tidplanen",
        base_version_number=version.number,
    )
    move_need(need=need, user=anna, to_state=NeedStatement.State.PUBLISHED)
    save_endorsement(
        need=need,
        organisation=vaxjo,
        user=anna,
        commitment=Endorsement.Commitment.COMMITTED,
        decision_reference="KS 2026/114",
        quantity=12,
        unit="maskiner",
        budget_min=18_000_000,
        budget_max=24_000_000,
        wanted_start="2028-03-01",
    )
    save_endorsement(
        need=need,
        organisation=lund,
        user=erik,
        commitment=Endorsement.Commitment.COMMITTED,
        decision_reference="",
        quantity=8,
        unit="maskiner",
        budget_min=12_000_000,
        budget_max=16_000_000,
        wanted_start="2028-09-01",
    )
    add_document(
        group=group,
        title="Behovsinventering arbetsmaskiner 2026",
        upload=ContentFile(DEMO_PDF, name="behovsinventering.pdf"),
        content_type="application/pdf",
        user=anna,
        note="Sammanställning från kommunerna",
    )

    closed = create_group(
        creator=erik,
        organisation=lund,
        name="Digital trygghetslarm",
        theme=Theme.HEALTH,
        summary="Regioner och kommuner som har tagit fram gemensamma funktionskrav på digitala trygghetslarm.",
        challenge="Larmen ska fungera i hela kedjan, från brukaren till larmcentralen och hemtjänsten.",
        is_open=False,
    )
    closed.slug = "digitala-trygghetslarm"
    closed.save(update_fields=["slug"])
    set_current_stage(group=closed, stage=Stage.REQUIREMENTS, user=erik)
    set_current_stage(group=closed, stage=Stage.PROCUREMENT, user=erik)
    end_group(
        group=closed,
        user=erik,
        outcome=BuyerGroup.Outcome.PROCURED,
        ended_on=date(2026, 10, 30),
        procedure=Procedure.OPEN,
        advertised_on=date(2026, 10, 1),
        notice_reference="EXEMPEL-2026/0001 (påhittad annons i demodata)",
    )


def load_contacts_demo() -> None:
    """Fia, the demo facilitator, is the named contact of the demo groups that have none yet."""
    fia = User.objects.filter(email="facilitator@demo.example").first()
    if fia is None:
        return
    for group in BuyerGroup.objects.filter(
        slug__in=["fossilfria-arbetsmaskiner", "digitala-trygghetslarm"], contacts__isnull=True
    ):
        set_contacts(group=group, user=fia, contacts=[fia])
