"""An ended buyer group with a market dialogue behind it (tests/dialogues/conftest.py's `dc`):
supplier A small, supplier B medium-sized, one question answered in time and one not answered,
one meeting held; the dialogue closed and the group procured. Also the coordinator of another
group, and helpers that write a report through the services."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import OrganisationMember, SizeClass
from dialogues.models import MeetingSlot
from dialogues.services.answers import ask_question, publish_answer, save_answer_draft
from dialogues.services.dialogue import close_dialogue
from experience.models import ExperienceReport
from experience.services import publish_report, save_report, submit_report
from groups.models import BuyerGroup, Procedure
from groups.services.group import create_group, end_group
from tests.dialogues.conftest import build_dc, dc, english, signed_in  # noqa: F401 (fixtures)
from tests.factories import OrganisationFactory, person_at
from tests.groups.conftest import cast, published_need  # noqa: F401 (fixtures)

TEXTS = {
    "need": "Digitala trygghetslarm för hemtjänsten.",
    "dialogue": "Leverantörerna frågade om gränssnitt.",
    "procedure_reason": "Öppet förfarande räckte.",
    "outcome": "Fem anbud.",
    "lessons": "Fråga marknaden tidigt om öppna gränssnitt.",
}


def size(position) -> SizeClass:
    return SizeClass.objects.get(position=position)


def end(group, user) -> BuyerGroup:
    end_group(
        group=group,
        user=user,
        outcome=BuyerGroup.Outcome.PROCURED,
        ended_on=date(2026, 10, 30),
        procedure=Procedure.OPEN,
        advertised_on=date(2026, 10, 1),
    )
    group.refresh_from_db()
    return group


@pytest.fixture
def ended(dc):  # noqa: F811
    """The dialogue cast, its dialogue held and closed and its group ended."""
    dc.solvent.size_class = size(0)  # 1–49: a small company
    dc.solvent.save(update_fields=["size_class"])
    dc.nordlys.size_class = size(1)  # 50–249
    dc.nordlys.save(update_fields=["size_class"])
    answered = ask_question(dialogue=dc.dialogue, organisation=dc.solvent, user=dc.supplier_a, text="Batteribyte?")
    answer = save_answer_draft(
        dialogue=dc.dialogue,
        user=dc.coordinator,
        question_text="Godtas batteribyte?",
        body="Ja.",
        requirement_number=None,
        questions=[answered],
    )
    publish_answer(answer=answer, user=dc.coordinator)
    ask_question(dialogue=dc.dialogue, organisation=dc.nordlys, user=dc.supplier_b, text="Drifttimmar?")
    now = timezone.now()
    MeetingSlot.objects.create(
        dialogue=dc.dialogue,
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(minutes=45),
        organisation=dc.nordlys,
        booked_by=dc.supplier_b,
        booked_at=now - timedelta(days=5),
    )
    MeetingSlot.objects.create(  # offered but never booked: not held
        dialogue=dc.dialogue, starts_at=now - timedelta(days=1), ends_at=now - timedelta(days=1, minutes=-45)
    )
    close_dialogue(dialogue=dc.dialogue, user=dc.coordinator)
    end(dc.group, dc.coordinator)
    agency = dc.facilitator.affiliations.get().organisation
    dc.other_facilitator = person_at(agency, name="Frida Processledare")
    return dc


@pytest.fixture
def other_coordinator(db):
    """The coordinator of another buyer group, on the same theme."""
    kalmar = OrganisationFactory(name="Kalmar kommun")
    person = person_at(kalmar, role=OrganisationMember.Role.ADMIN, name="Karin Kalmar")
    create_group(
        creator=person,
        organisation=kalmar,
        name="Elektriska sopbilar",
        theme="transport",
        summary="Sopbilar.",
        challenge="Laddning.",
        is_open=True,
    )
    return person


def write(people, **texts) -> ExperienceReport:
    return save_report(group=people.group, user=people.coordinator, fields={**TEXTS, **texts}, content_language="sv")


def submitted(people) -> ExperienceReport:
    return submit_report(report=write(people), user=people.coordinator)


def published(people) -> ExperienceReport:
    return publish_report(report=submitted(people), user=people.facilitator)
