"""A data set for the programme view's figures where every answer is known (used by
tests/indicator/test_programme.py and test_report.py through the `world` fixture)."""

from datetime import datetime, timedelta
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import Organisation
from dialogues.models import Answer, Dialogue, MeetingSlot, Participation, Question
from groups.models import BuyerGroup, NeedStatement
from tests.factories import OrganisationFactory


def local(year, month, day, hour=0, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def make_group(slug, *, theme, stage, created_at, outcome="", ended_on=None, procedure=""):
    group = BuyerGroup.objects.create(
        name=slug.title(),
        slug=slug,
        theme=theme,
        current_stage=stage,
        summary="s",
        challenge="c",
        outcome=outcome,
        ended_on=ended_on,
        ending_procedure=procedure,
    )
    BuyerGroup.objects.filter(pk=group.pk).update(created_at=created_at)  # created_at is auto_now_add
    return group


def make_dialogue(group, *, opened_at, state=Dialogue.State.OPEN):
    need = NeedStatement.objects.create(group=group)
    deadline = (opened_at or timezone.now()) + timedelta(days=400)
    return Dialogue.objects.create(
        group=group,
        need=need,
        title=f"Dialog {group.slug}",
        purpose="p",
        question_deadline=deadline,
        submission_deadline=deadline,
        state=state,
        opened_at=opened_at,
    )


def take_part(dialogue, *organisations):
    Participation.objects.bulk_create(Participation(dialogue=dialogue, organisation=o) for o in organisations)


def ask(dialogue, organisation, *, created_at, due, published_at=None, withdrawn=False, hidden=False, number=None):
    answer = None
    if published_at is not None or withdrawn or number:
        answer = Answer.objects.create(
            dialogue=dialogue,
            number=number,
            body="svar",
            published_at=published_at,
            withdrawn_at=published_at if withdrawn else None,
        )
    return Question.objects.create(
        dialogue=dialogue,
        organisation=organisation,
        text="fråga",
        created_at=created_at,
        answer_due_at=due,
        answer=answer,
        hidden_at=created_at if hidden else None,
    )


def slot(dialogue, starts_at, organisation=None, *, cancelled=False):
    return MeetingSlot.objects.create(
        dialogue=dialogue,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        organisation=organisation,
        cancelled_at=starts_at - timedelta(days=1) if cancelled else None,
    )


def build_world(cast):
    """Two years: last year (P) and this year (Y)."""
    now = timezone.now()
    this_year = timezone.localdate().year
    last_year = this_year - 1
    start_of_year = local(this_year, 1, 1)
    end_of_year = local(this_year + 1, 1, 1)
    earlier = start_of_year + (now - start_of_year) / 2  # this year, before now
    later = now + (end_of_year - now) / 2  # this year, after now
    small, medium = cast.sizes[0], cast.sizes[1]
    supplier_small = OrganisationFactory(name="Liten AB", kind=Organisation.Kind.SUPPLIER, size_class=small)
    supplier_small_2 = OrganisationFactory(name="Mini AB", kind=Organisation.Kind.SUPPLIER, size_class=small)
    supplier_medium = OrganisationFactory(name="Mellan AB", kind=Organisation.Kind.SUPPLIER, size_class=medium)
    supplier_unknown = OrganisationFactory(name="Okänd AB", kind=Organisation.Kind.SUPPLIER, size_class=None)

    ongoing = make_group(
        "energi-pagaende", theme="energy", stage="need_identification", created_at=local(last_year, 3, 1)
    )
    procured = make_group(
        "energi-upphandlad",
        theme="energy",
        stage="procurement",
        created_at=local(last_year, 6, 1),
        outcome="procured",
        ended_on=timezone.localtime(earlier).date(),
        procedure="innovation_partnership",
    )
    # The last half hour of last year, Swedish time (in UTC still last year too).
    make_group(
        "transport-avbruten",
        theme="transport",
        stage="requirements",
        created_at=local(last_year, 12, 31, 23, 30),
        outcome="abandoned",
        ended_on=local(last_year, 12, 31).date(),
    )
    # Half an hour into this year, Swedish time: still last year in UTC, this year here.
    make_group(
        "transport-fortsatter",
        theme="transport",
        stage="early_dialogue",
        created_at=local(this_year, 1, 1, 0, 30),
        outcome="continuing",
        ended_on=timezone.localtime(earlier).date(),
    )
    make_group(
        "digital-upphandlad",
        theme="digital",
        stage="early_dialogue",
        created_at=earlier,
        outcome="procured",
        ended_on=timezone.localtime(earlier).date(),
        procedure="open",
    )

    old = make_dialogue(ongoing, opened_at=local(last_year, 5, 1))
    take_part(old, supplier_small, supplier_medium)
    ask(
        old,
        supplier_small,
        created_at=local(last_year, 5, 2),
        due=local(last_year, 5, 9),
        published_at=local(last_year, 5, 3),
        number=1,
    )
    slot(old, local(last_year, 6, 1, 10), supplier_small)

    new = make_dialogue(procured, opened_at=start_of_year + (earlier - start_of_year) / 2)
    take_part(new, supplier_small, supplier_small_2, supplier_unknown)
    Participation.objects.filter(dialogue=new, organisation=supplier_small).update(withdrawn_at=earlier)
    take_part(new, supplier_small)  # withdrew and came back: still one supplier
    draft = make_dialogue(ongoing, opened_at=None, state=Dialogue.State.DRAFT)
    take_part(draft, supplier_medium)  # never opened: not counted

    due_passed = earlier + (now - earlier) / 2
    ask(new, supplier_small, created_at=earlier, due=due_passed, published_at=earlier, number=1)  # in time
    ask(
        new,
        supplier_small,
        created_at=earlier,
        due=due_passed,
        published_at=due_passed + timedelta(seconds=1),
        number=2,
    )
    ask(new, supplier_small_2, created_at=earlier, due=due_passed)  # overdue
    ask(new, supplier_small_2, created_at=earlier, due=now + timedelta(days=3))  # not yet due
    ask(new, supplier_unknown, created_at=earlier, due=due_passed, published_at=earlier, withdrawn=True, number=3)
    ask(new, supplier_unknown, created_at=earlier, due=due_passed, hidden=True)  # hidden: left out
    ask(new, supplier_unknown, created_at=earlier, due=now + timedelta(days=3), number=4)  # a draft answer

    slot(new, earlier, supplier_small)  # held
    slot(new, later, supplier_small_2)  # booked, to come
    slot(new, earlier + timedelta(hours=1), cancelled=True)  # cancelled, not rebooked
    slot(new, earlier + timedelta(hours=2))  # offered, never booked
    return SimpleNamespace(this_year=this_year, last_year=last_year, now=now, small=small, medium=medium)
