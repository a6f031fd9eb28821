"""The demo market dialogue for `manage.py load_demo` (idempotent: skipped when it exists).
Deadlines and meetings are set relative to the day the demo is loaded."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Organisation, User
from dialogues.models import Dialogue
from dialogues.services.answers import ask_question, publish_answer, publish_clarification, save_answer_draft
from dialogues.services.declarations import declare_conflict
from dialogues.services.dialogue import create_dialogue, open_dialogue, register_participation
from dialogues.services.meetings import add_meeting_slots, book_meeting_slot
from dialogues.services.proposals import submit_proposal
from groups.models import BuyerGroup

DEMO_TITLE = "Marknadsdialog: fossilfria kompakta hjullastare"


def load_dialogues_demo() -> None:
    group = BuyerGroup.objects.filter(slug="fossilfria-arbetsmaskiner").first()
    if group is None or Dialogue.objects.filter(group=group, title=DEMO_TITLE).exists():
        return
    anna = User.objects.get(email="anna@vaxjo.demo.example")
    erik = User.objects.get(email="erik@lund.demo.example")
    sara = User.objects.get(email="sara@solvent.demo.example")
    omar = User.objects.get(email="omar@nordlys.demo.example")
    solvent = Organisation.objects.get(name="Solvent Energi AB")
    nordlys = Organisation.objects.get(name="Nordlys Teknik AB")
    need = group.needs.filter(state="published").first()

    today = timezone.localtime().replace(hour=16, minute=0, second=0, microsecond=0)
    dialogue = create_dialogue(
        group=group,
        need=need,
        user=anna,
        title=DEMO_TITLE,
        purpose="Vi vill veta vilka eldrivna eller andra fossilfria hjullastare i storleken 3–8 ton som finns "
        "eller är på väg, hur de laddas och vad de kostar över livslängden, innan vi skriver kraven.",
        schedule="Frågor under de första två veckorna, enskilda möten vecka 2–3, skriftliga förslag senast "
        "efter en månad. Gruppen sammanfattar dialogen och publicerar sammanfattningen.",
        meeting_plan="Varje leverantör som deltar erbjuds ett enskilt möte på 45 minuter via videolänk.",
        question_deadline=today + timedelta(days=14),
        submission_deadline=today + timedelta(days=30),
        answer_days=5,
    )
    dialogue = open_dialogue(dialogue=dialogue, user=anna)
    register_participation(dialogue=dialogue, organisation=solvent, user=sara)
    register_participation(dialogue=dialogue, organisation=nordlys, user=omar)

    first = ask_question(
        dialogue=dialogue,
        organisation=solvent,
        user=sara,
        text="Vi på Solvent Energi har en maskin med utbytbart batteri. Godtar ni batteribyte i stället för "
        "laddning under arbetsdagen?",
        requirement_number=1,
    )
    answer = save_answer_draft(
        dialogue=dialogue,
        user=anna,
        question_text="Godtar gruppen batteribyte i stället för laddning under arbetsdagen?",
        body="Ja. Kravet gäller åtta timmars drift utan avbrott för laddning eller tankning. Ett batteribyte som "
        "tar högst tio minuter och kan göras av föraren räknas inte som avbrott.",
        requirement_number=1,
        questions=[first],
    )
    publish_answer(answer=answer, user=anna)
    publish_clarification(
        dialogue=dialogue,
        user=anna,
        question_text="Depåernas elanslutning",
        body="Flera har frågat om depåernas effekt. De flesta depåer har 3×16 A. Lösningar som kräver mer "
        "effekt är intressanta, men ange vad de kräver.",
    )
    ask_question(
        dialogue=dialogue,
        organisation=nordlys,
        user=omar,
        text="Hur många drifttimmar per år räknar kommunerna med för maskinerna?",
    )
    ask_question(
        dialogue=dialogue,
        organisation=solvent,
        user=sara,
        text="Ska redskapsfästet vara av en viss standard, till exempel S40?",
        requirement_number=2,
    )
    submit_proposal(
        dialogue=dialogue,
        organisation=solvent,
        user=sara,
        text="Solvent Energi föreslår en eldriven hjullastare på 5 ton med utbytbart batteri (2 × 40 kWh). "
        "Maskinen klarar åtta timmars normal drift med ett batteribyte och laddas över natten från 3×16 A.",
        secret_parts="Avsnittet om batteriets cellkemi och bilagan med prisberäkningen.",
        secret_reason="Uppgifterna visar vår kostnadsstruktur och en teknik vi ännu inte har patent för. "
        "Om konkurrenter får del av dem skadas vår ställning i kommande upphandlingar.",
        uploads=[
            (
                ContentFile(b"Prisberakning (demo)\nPris per maskin: konfidentiellt\n", name="prisberakning.txt"),
                "text/plain; charset=utf-8",
                True,
            )
        ],
    )
    first_meeting = (today + timedelta(days=8)).replace(hour=9)
    slots = add_meeting_slots(
        dialogue=dialogue,
        user=anna,
        first_start=first_meeting,
        length_minutes=45,
        count=4,
        gap_minutes=15,
        location="Videomöte (länk skickas till den som bokat)",
    )
    book_meeting_slot(slot=slots[1], organisation=nordlys, user=omar)
    declare_conflict(dialogue=dialogue, user=anna, has_conflict=False)
    declare_conflict(dialogue=dialogue, user=erik, has_conflict=False)
