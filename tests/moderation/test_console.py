"""The facilitator console: what waits across all groups, with a count, a link and the age of
the oldest item, in the same number of queries however much waits."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from dialogues.models import Question
from groups.models import BuyerGroup, Membership
from moderation.models import Report
from tests.factories import OrganisationFactory
from tests.moderation.conftest import signed_in

CONSOLE = reverse("facilitator-console")
serial = itertools.count(1)


def add_waiting(mc, n):
    """n of each thing that waits for a facilitator."""
    long_ago = timezone.now() - timedelta(days=90)
    for _ in range(n):
        number = next(serial)
        OrganisationFactory(name=f"Ny kommun {number}", status=Organisation.Status.UNVERIFIED)
        Report.objects.create(kind="message", group=mc.group, message=mc.message, reason="Fel")
        membership = Membership.objects.create(
            group=mc.group, organisation=OrganisationFactory(), status=Membership.Status.REQUESTED
        )
        Membership.objects.filter(pk=membership.pk).update(created_at=long_ago)
        Question.objects.create(
            dialogue=mc.dialogue, organisation=mc.solvent, text=f"Fråga {number}", answer_due_at=long_ago
        )
        BuyerGroup.objects.create(
            name=f"Tyst grupp {number}",
            slug=f"tyst-{number}",
            theme="other",
            summary="S",
            challenge="C",
            last_activity_at=long_ago,
        )


def counts(page: str) -> dict:
    found = {}
    for key in ("organisations", "reports", "join-requests", "questions", "quiet-groups"):
        start = page.index(f'id="waiting-{key}"')
        found[key] = int(
            page[page.index('data-count="', start) + 12 : page.index('"', page.index('data-count="', start) + 12)]
        )
    return found


def test_the_console_counts_what_waits_and_shows_the_oldest(mc):
    unverified_in_the_cast = Organisation.objects.awaiting_review().count()
    add_waiting(mc, 3)
    page = signed_in(mc.facilitator).get(CONSOLE).content.decode()
    assert counts(page) == {
        "organisations": unverified_in_the_cast + 3,
        "reports": 3,
        "join-requests": 3,
        "questions": 3,
        "quiet-groups": 3,
    }
    assert "Tyst grupp 1" in page and reverse("groups:member-list", args=[mc.group.slug]) in page
    assert "oldest: 2\xa0months" in page or "oldest: 3\xa0months" in page


def test_fresh_items_do_not_wait_yet(mc):
    """A join request from today and a question within its answer time are not overdue."""
    Membership.objects.create(group=mc.group, organisation=OrganisationFactory(), status=Membership.Status.REQUESTED)
    page = signed_in(mc.facilitator).get(CONSOLE).content.decode()
    found = counts(page)
    assert found["join-requests"] == 0 and found["questions"] == 0


def test_the_number_of_queries_does_not_grow_with_the_data(mc):
    client = signed_in(mc.facilitator)
    add_waiting(mc, 2)
    client.get(CONSOLE)  # warm up the session and the facilitator's affiliations
    with CaptureQueriesContext(connection) as few:
        assert client.get(CONSOLE).status_code == 200
    add_waiting(mc, 30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(CONSOLE).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("role", ["coordinator", "member", "observer", "supplier_a"])
def test_only_facilitators_see_the_console(mc, role):
    assert signed_in(getattr(mc, role)).get(CONSOLE).status_code == 403


def test_visitors_are_sent_to_sign_in(db):
    assert signed_in(None).get(CONSOLE).status_code == 302


def test_a_group_name_in_the_console_carries_the_groups_language(mc):
    """WCAG 3.1.2: a group written in English reads as English on the Swedish console."""
    add_waiting(mc, 1)
    BuyerGroup.objects.filter(name__startswith="Tyst grupp").update(content_language="en")
    mc.facilitator.language = "sv"
    mc.facilitator.save(update_fields=["language"])
    page = signed_in(mc.facilitator).get(CONSOLE).content.decode()
    assert 'lang="en">Tyst grupp' in page
    assert f'lang="sv">{mc.dialogue.title}' not in page  # Swedish on a Swedish page needs nothing
