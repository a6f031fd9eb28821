"""The demo experience report for `manage.py load_demo` (idempotent: skipped when it exists).

The ended demo group "Digital trygghetslarm" gets the market dialogue it held before it
procured (closed, dated before the ending, so the report's figures are real), a published
experience report, and an ongoing group on the same theme shows the report."""

from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import Organisation, User
from dialogues.models import Answer, Dialogue, MeetingSlot, Question
from dialogues.services.answers import ask_question, publish_answer, publish_clarification, save_answer_draft
from dialogues.services.dialogue import close_dialogue, create_dialogue, open_dialogue, register_participation
from dialogues.services.meetings import add_meeting_slots, book_meeting_slot
from experience.models import ExperienceReport
from experience.services import publish_report, save_report, submit_report
from groups.models import BuyerGroup, Membership, NeedStatement, Stage, Theme
from groups.services.group import create_group, set_current_stage
from groups.services.memberships import decide_membership, request_membership
from groups.services.needs import create_need, move_need

DIALOGUE_TITLE = "Marknadsdialog: digitala trygghetslarm"
SAME_THEME_SLUG = "valfardsteknik-i-hemtjansten"


def load_experience_demo() -> None:
    group = BuyerGroup.objects.filter(slug="digitala-trygghetslarm").first()
    if group is None or ExperienceReport.objects.filter(group=group).exists():
        return
    erik = User.objects.get(email="erik@lund.demo.example")
    fia = User.objects.get(email="facilitator@demo.example")
    if not Dialogue.objects.filter(group=group, title=DIALOGUE_TITLE).exists():
        _before_the_ending(group, lambda: _held_dialogue(BuyerGroup.objects.get(pk=group.pk), erik))
    report = save_report(
        group=group,
        user=erik,
        content_language="sv",
        fields={
            "need": "Kommunerna i gruppen byter från analoga till digitala trygghetslarm. Vi behövde larm som "
            "fungerar i hela kedjan, från brukaren via larmcentralen till hemtjänstens mobiler, och som går "
            "att byta leverantör för utan att byta larm hos alla brukare.",
            "dialogue": "Dialogen pågick i fyra veckor. Leverantörerna ställde frågor om gränssnittet mot "
            "larmcentralen och om vem som äger larmdata. Ett mindre företag visade en lösning med öppna "
            "gränssnitt som vi inte kände till. Enskilda möten gav mest; de skriftliga svaren gjorde att alla "
            "fick samma information.",
            "procedure_reason": "Vi valde ett öppet förfarande. Dialogen visade att flera leverantörer kan "
            "leverera larm som uppfyller funktionskraven, så ett förhandlat förfarande behövdes inte.",
            "outcome": "Upphandlingen annonserades i oktober 2026 och fick fem anbud, varav två från små "
            "företag. Avtalet gäller från 2027.",
            "lessons": "Börja med funktionskrav i stället för tekniska krav, och fråga marknaden tidigt om "
            "öppna gränssnitt. Boka enskilda möten med alla leverantörer som vill, också de små: de hade de "
            "mest nyskapande lösningarna. Svara på frågor inom utlovad tid, det bygger förtroende.",
        },
    )
    submit_report(report=report, user=erik)
    publish_report(report=report, user=fia)
    _same_theme_group()


def _before_the_ending(group, run) -> None:
    """Run `run` as if the group had not ended yet: an ended group opens no new dialogue, and the
    demo group held its dialogue before it procured. Its ending is put back unchanged."""
    ending_fields = ["outcome", "ended_on"]
    ending = BuyerGroup.objects.filter(pk=group.pk).values(*ending_fields).get()
    BuyerGroup.objects.filter(pk=group.pk).update(outcome="", ended_on=None)
    try:
        run()
    finally:
        BuyerGroup.objects.filter(pk=group.pk).update(**ending)


def _held_dialogue(group, erik) -> None:
    """A closed market dialogue, dated as it ran (August–September 2026)."""
    sara = User.objects.get(email="sara@solvent.demo.example")
    omar = User.objects.get(email="omar@nordlys.demo.example")
    solvent = Organisation.objects.get(name="Solvent Energi AB")
    nordlys = Organisation.objects.get(name="Nordlys Teknik AB")
    need = create_need(
        group=group,
        user=erik,
        fields={
            "title": "Funktionskrav för digitala trygghetslarm",
            "background": "Kommunerna byter analoga trygghetslarm mot digitala.",
            "challenge": "Larmen ska fungera i hela kedjan, från brukaren till larmcentralen och hemtjänsten.",
            "constraints": "",
            "sustainability_goals": "",
            "timeline": "Dialog i augusti 2026, annonsering i oktober 2026.",
            "market_questions": "Vilka öppna gränssnitt mot larmcentraler finns?",
        },
        requirements=[
            {
                "number": None,
                "text": "Larmet ska nå larmcentralen inom 60 sekunder.",
                "priority": "must",
                "rationale": "Brukarens säkerhet.",
                "verification": "Prov.",
            }
        ],
        change_note="Funktionskrav från workshop",
    )
    move_need(need=need, user=erik, to_state=NeedStatement.State.PUBLISHED)
    need.refresh_from_db()
    now = timezone.now()
    dialogue = create_dialogue(
        group=group,
        need=need,
        user=erik,
        title=DIALOGUE_TITLE,
        purpose="Vi ville veta vilka digitala trygghetslarm som uppfyller funktionskraven och hur de kopplas "
        "till larmcentraler och hemtjänstens system.",
        schedule="Frågor under två veckor, enskilda möten vecka 3, sammanfattning vecka 4.",
        meeting_plan="Varje leverantör erbjöds ett enskilt möte på 45 minuter.",
        question_deadline=now + timedelta(days=14),
        submission_deadline=now + timedelta(days=28),
        answer_days=5,
    )
    dialogue = open_dialogue(dialogue=dialogue, user=erik)
    register_participation(dialogue=dialogue, organisation=solvent, user=sara)
    register_participation(dialogue=dialogue, organisation=nordlys, user=omar)
    first = ask_question(
        dialogue=dialogue,
        organisation=nordlys,
        user=omar,
        text="Måste larmet kopplas till en viss larmcentral, eller godtas öppna gränssnitt?",
        requirement_number=1,
    )
    answer = save_answer_draft(
        dialogue=dialogue,
        user=erik,
        question_text="Godtas öppna gränssnitt mot larmcentralen?",
        body="Ja. Larmet ska kunna kopplas till den larmcentral kommunen väljer, via ett öppet och "
        "dokumenterat gränssnitt.",
        requirement_number=1,
        questions=[first],
    )
    publish_answer(answer=answer, user=erik)
    second = ask_question(
        dialogue=dialogue,
        organisation=solvent,
        user=sara,
        text="Vem äger de data som larmen samlar in?",
    )
    answer = save_answer_draft(
        dialogue=dialogue,
        user=erik,
        question_text="Vem äger larmdata?",
        body="Kommunen äger alla data. Leverantören behandlar dem som personuppgiftsbiträde.",
        requirement_number=None,
        questions=[second],
    )
    publish_answer(answer=answer, user=erik)
    ask_question(dialogue=dialogue, organisation=solvent, user=sara, text="Hur många larm gäller avtalet?")
    publish_clarification(
        dialogue=dialogue,
        user=erik,
        question_text="Antal larm",
        body="Kommunerna har tillsammans cirka 4 000 trygghetslarm.",
    )
    slots = add_meeting_slots(
        dialogue=dialogue,
        user=erik,
        first_start=(now + timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0),
        length_minutes=45,
        count=3,
        gap_minutes=15,
        location="Videomöte",
    )
    book_meeting_slot(slot=slots[0], organisation=nordlys, user=omar)
    book_meeting_slot(slot=slots[1], organisation=solvent, user=sara)
    close_dialogue(dialogue=dialogue, user=erik)
    _backdate(dialogue, opened=timezone.make_aware(datetime(2026, 8, 10, 9)))


def _backdate(dialogue, *, opened) -> None:
    """Move the dialogue's dates to when it ran: the demo creates it today, the group ended in October."""
    shift = opened - dialogue.opened_at
    Dialogue.objects.filter(pk=dialogue.pk).update(
        opened_at=opened,
        closed_at=opened + timedelta(days=28),
        question_deadline=dialogue.question_deadline + shift,
        submission_deadline=dialogue.submission_deadline + shift,
    )
    for question in Question.objects.filter(dialogue=dialogue):
        Question.objects.filter(pk=question.pk).update(
            created_at=question.created_at + shift, answer_due_at=question.answer_due_at + shift
        )
    for answer in Answer.objects.filter(dialogue=dialogue, published_at__isnull=False):
        # answered two days after the question
        Answer.objects.filter(pk=answer.pk).update(
            created_at=answer.created_at + shift, published_at=answer.published_at + shift + timedelta(days=2)
        )
    for slot in MeetingSlot.objects.filter(dialogue=dialogue):
        MeetingSlot.objects.filter(pk=slot.pk).update(starts_at=slot.starts_at + shift, ends_at=slot.ends_at + shift)


def _same_theme_group() -> None:
    """An ongoing group on the same theme (health), whose workspace shows the report."""
    if BuyerGroup.objects.filter(slug=SAME_THEME_SLUG).exists():
        return
    anna = User.objects.get(email="anna@vaxjo.demo.example")
    erik = User.objects.get(email="erik@lund.demo.example")
    group = create_group(
        creator=anna,
        organisation=Organisation.objects.get(name="Växjö kommun"),
        name="Välfärdsteknik i hemtjänsten",
        theme=Theme.HEALTH,
        summary="Kommuner som vill efterfråga digital tillsyn och andra välfärdstekniska lösningar för "
        "hemtjänsten tillsammans.",
        challenge="Nattlig tillsyn med besök stör brukarna och binder personal. Digital tillsyn finns, men "
        "ingen av oss köper tillräckligt för att ställa krav på öppna gränssnitt.",
        is_open=True,
    )
    group.slug = SAME_THEME_SLUG
    group.save(update_fields=["slug"])
    membership = request_membership(
        group=group,
        organisation=Organisation.objects.get(name="Lunds kommun"),
        user=erik,
        role=Membership.Role.MEMBER,
        motivation="Vi har erfarenhet från trygghetslarmen och vill bidra.",
    )
    decide_membership(membership=membership, user=anna, approve=True)
    set_current_stage(group=group, stage=Stage.PRE_STUDY, user=anna)
