"""Conflicts of interest (jäv, issue 16 finding 2): an append-only history per person and
dialogue. A declared conflict keeps the proposals closed until someone else (another
coordinator, or a facilitator) clears it with a reason; the person cannot undo it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import Action, AuditEntry
from dialogues.access import dialogue_access
from dialogues.models import ConflictDeclaration
from dialogues.record import build_record
from dialogues.services.declarations import clear_conflict, declare_conflict
from dialogues.services.shared import DialogueRuleError
from groups.services.memberships import appoint_coordinator
from notifications.models import Notification
from tests.access_twins import fresh
from tests.factories import OrganisationMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

BROTHER = "Min bror äger Solvent Energi AB."
REASON = "Brodern sålde sina aktier i maj; intyg finns i akten."


def declarations(dc):
    return f"/dialogues/{dc.dialogue.pk}/conflicts/"


def clear_url(dc, person):
    return f"/dialogues/{dc.dialogue.pk}/conflicts/{person.pk}/clear/"


def proposal(dc, submission):
    return f"/dialogues/{dc.dialogue.pk}/submissions/{submission.pk}/"


def current(dc, person) -> ConflictDeclaration:
    return ConflictDeclaration.objects.current().get(dialogue=dc.dialogue, user=person)


def declare(client, dc, person, has_conflict, description=""):
    client.force_login(person)
    return client.post(declarations(dc), {"has_conflict": "yes" if has_conflict else "no", "description": description})


# --- The person cannot undo a declared conflict --------------------------------------------


def test_a_blocked_member_declaring_no_conflict_is_refused_and_still_cannot_open_proposals(client, dc, submission_a):
    assert declare(client, dc, dc.member, True, BROTHER).status_code == 302
    response = declare(client, dc, dc.member, False)
    body = response.content.decode()
    assert response.status_code == 400
    assert "you cannot undo it yourself" in body
    assert dc.coordinator.display_name in body and "Upphandlingsmyndigheten" in body  # who can clear it
    assert current(dc, dc.member).has_conflict
    assert ConflictDeclaration.objects.filter(user=dc.member).count() == 1
    assert client.get(proposal(dc, submission_a)).status_code == 403


def test_a_person_may_declare_a_conflict_again(client, dc):
    declare(client, dc, dc.member, True, BROTHER)
    assert declare(client, dc, dc.member, True, BROTHER + " Och min kusin.").status_code == 302
    assert current(dc, dc.member).description.endswith("Och min kusin.")
    assert ConflictDeclaration.objects.filter(user=dc.member).count() == 2


def test_the_service_refuses_no_conflict_after_a_conflict(dc):
    declare_conflict(dialogue=dc.dialogue, user=dc.member, has_conflict=True, description=BROTHER)
    with pytest.raises(DialogueRuleError):
        declare_conflict(dialogue=dc.dialogue, user=dc.member, has_conflict=False)
    with pytest.raises(DialogueRuleError):
        clear_conflict(dialogue=dc.dialogue, person=dc.member, user=dc.member, reason=REASON)
    assert current(dc, dc.member).has_conflict


def test_the_declaring_coordinator_cannot_clear_their_own_conflict(client, dc, submission_a):
    declare(client, dc, dc.coordinator, True, BROTHER)
    assert client.get(clear_url(dc, dc.coordinator)).status_code == 403
    response = client.post(clear_url(dc, dc.coordinator), {"reason": REASON})
    assert response.status_code == 403
    assert "You cannot clear a conflict of interest you declared yourself." in response.content.decode()
    assert current(dc, dc.coordinator).has_conflict
    assert clear_url(dc, dc.coordinator) not in client.get(declarations(dc)).content.decode()
    assert client.get(proposal(dc, submission_a)).status_code == 403


def test_declaring_a_conflict_is_audited(client, dc):
    declare(client, dc, dc.member, True, BROTHER)
    entry = AuditEntry.objects.get(action=Action.CONFLICT_DECLARED)
    assert entry.actor_id == dc.member.pk and entry.reason == BROTHER


# --- Someone else clears it, with a reason -------------------------------------------------


@pytest.mark.parametrize("clearer", ["coordinator", "facilitator"])
def test_another_coordinator_or_a_facilitator_clears_with_a_reason(client, dc, submission_a, clearer):
    declare(client, dc, dc.member, True, BROTHER)
    person = getattr(dc, clearer)
    client.force_login(person)
    page = client.get(clear_url(dc, dc.member)).content.decode()
    assert "opens the suppliers' proposals to Erik Medlem at once" in page and BROTHER in page
    assert client.post(clear_url(dc, dc.member), {"reason": REASON}).status_code == 302

    clearance = current(dc, dc.member)
    assert (clearance.has_conflict, clearance.cleared_by, clearance.reason) == (False, person, REASON)
    assert ConflictDeclaration.objects.filter(user=dc.member).count() == 2  # the conflict stays in the history
    audit = AuditEntry.objects.get(action=Action.CONFLICT_CLEARED)
    assert audit.actor_id == person.pk and audit.reason == REASON
    notification = Notification.objects.get(kind="conflict_cleared")
    assert notification.recipient == dc.member and notification.params["reason"] == REASON
    client.force_login(dc.member)
    assert client.get(proposal(dc, submission_a)).status_code == 200


def test_a_second_coordinator_clears_the_first_coordinators_conflict(client, dc, submission_a):
    appoint_coordinator(group=dc.group, person=dc.member, user=dc.coordinator)
    declare(client, dc, dc.coordinator, True, BROTHER)
    assert dc.member.display_name in declare(client, dc, dc.coordinator, False).content.decode()  # named as clearer
    client.force_login(dc.member)
    assert client.post(clear_url(dc, dc.coordinator), {"reason": REASON}).status_code == 302
    assert current(dc, dc.coordinator).cleared_by == dc.member
    client.force_login(dc.coordinator)
    assert client.get(proposal(dc, submission_a)).status_code == 200


def test_clearing_without_a_reason_is_refused(client, dc, submission_a):
    declare(client, dc, dc.member, True, BROTHER)
    client.force_login(dc.coordinator)
    response = client.post(clear_url(dc, dc.member), {"reason": "   "})
    assert response.status_code == 400
    assert "Give the reason for clearing the conflict of interest." in response.content.decode()
    too_long = "Skäl. " * 600
    response = client.post(clear_url(dc, dc.member), {"reason": too_long})
    assert response.status_code == 400 and too_long.strip() in response.content.decode()  # what was typed stays
    assert current(dc, dc.member).has_conflict
    client.force_login(dc.member)
    assert client.get(proposal(dc, submission_a)).status_code == 403


# 302 for a visitor is "sign in first"; the conflicted person here is the coordinator, so the
# member user is a group member who is not (another) coordinator.
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("visitor", 302),
        ("member", 403),
        ("observer", 403),
        ("supplier_a", 404),
        ("supplier_b", 404),
        ("outside_supplier", 404),
        ("non_member", 404),
    ],
)
def test_who_may_not_clear_a_conflict(client, dc, role, status):
    declare(client, dc, dc.coordinator, True, BROTHER)
    client.logout()
    if role != "visitor":
        client.force_login(getattr(dc, role))
    assert client.get(clear_url(dc, dc.coordinator)).status_code == status
    assert client.post(clear_url(dc, dc.coordinator), {"reason": REASON}).status_code == status
    assert current(dc, dc.coordinator).has_conflict


# --- What the group sees -------------------------------------------------------------------


def test_the_declarations_page_shows_every_persons_state_and_full_history(client, dc):
    declare(client, dc, dc.member, False)
    declare(client, dc, dc.member, True, BROTHER)
    clear_conflict(dialogue=dc.dialogue, person=dc.member, user=dc.facilitator, reason=REASON)
    client.force_login(dc.coordinator)
    body = client.get(declarations(dc)).content.decode()
    row = body[body.index(f'id="person-{dc.member.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Conflict cleared by Fia Processledare" in row  # the current state
    assert "Erik Medlem declared no conflict of interest" in row  # … and every entry, oldest last
    assert "Erik Medlem declared a conflict of interest" in row and BROTHER in row
    assert "Fia Processledare cleared the conflict" in row and REASON in row
    coordinator_row = body[body.index(f'id="person-{dc.coordinator.pk}"') :]
    assert "Not declared" in coordinator_row[: coordinator_row.index("</tr>")]


def test_only_those_allowed_see_the_clear_action(client, dc):
    declare(client, dc, dc.member, True, BROTHER)
    client.force_login(dc.coordinator)
    assert clear_url(dc, dc.member) in client.get(declarations(dc)).content.decode()
    client.force_login(dc.member)
    own_page = client.get(declarations(dc)).content.decode()
    assert clear_url(dc, dc.member) not in own_page
    assert "you cannot undo it yourself" in own_page and dc.coordinator.display_name in own_page
    client.force_login(dc.observer)
    assert client.get(declarations(dc)).status_code == 403


def test_the_declarations_page_makes_as_many_queries_for_many_people_and_entries(client, dc):
    def add_people(n):
        for _ in range(n):
            person = UserFactory()
            OrganisationMemberFactory(organisation=dc.lund, user=person)
            declare_conflict(dialogue=dc.dialogue, user=person, has_conflict=False)
            declare_conflict(dialogue=dc.dialogue, user=person, has_conflict=True, description=BROTHER)
            clear_conflict(dialogue=dc.dialogue, person=person, user=dc.facilitator, reason=REASON)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(declarations(dc)).status_code == 200
        return len(queries)

    client.force_login(dc.coordinator)
    add_people(2)
    few = count()
    add_people(8)
    assert count() == few


# --- The refusal page and the record -------------------------------------------------------


def test_the_refusal_page_links_to_the_declaration_form(client, dc, submission_a):
    client.force_login(dc.member)
    response = client.get(proposal(dc, submission_a))
    assert response.status_code == 403
    assert f'href="{declarations(dc)}"' in response.content.decode()
    declare(client, dc, dc.member, True, BROTHER)
    body = client.get(proposal(dc, submission_a)).content.decode()
    assert "You have declared a conflict of interest in this dialogue" in body
    assert f'href="{declarations(dc)}"' in body
    assert dc.coordinator.display_name in body and "Upphandlingsmyndigheten" in body  # who can clear it


def test_the_record_keeps_the_clearance(client, dc):
    declare_conflict(dialogue=dc.dialogue, user=dc.member, has_conflict=True, description=BROTHER)
    clear_conflict(dialogue=dc.dialogue, person=dc.member, user=dc.coordinator, reason=REASON)
    rows = build_record(dc.dialogue, public=False)["conflict_of_interest_declarations"]
    assert [(r["has_conflict"], r["cleared_by"], r["reason"]) for r in rows] == [
        (True, None, ""),
        (False, dc.coordinator.display_name, REASON),
    ]
    client.force_login(dc.coordinator)
    page = client.get(f"/dialogues/{dc.dialogue.pk}/record/").content.decode()
    assert f"Conflict cleared by {dc.coordinator.display_name}" in page and REASON in page


def test_a_persons_access_holds_their_current_entry_through_a_conflict_and_its_clearance(dc):
    """dialogues/access.py asks for one person's latest entry directly: the same entry as
    ConflictDeclaration.objects.current(), whichever was written last, in another dialogue too."""

    def entry(person):
        return dialogue_access(fresh(person), dc.dialogue).declaration

    assert entry(dc.member) is None
    declare_conflict(dialogue=dc.dialogue, user=dc.member, has_conflict=True, description=BROTHER)
    assert entry(dc.member) == current(dc, dc.member) and entry(dc.member).has_conflict
    clear_conflict(dialogue=dc.dialogue, person=dc.member, user=dc.coordinator, reason=REASON)
    cleared = entry(dc.member)
    assert cleared == current(dc, dc.member) and cleared.cleared_by == dc.coordinator
    assert not cleared.blocks_proposals
    declare_conflict(dialogue=dc.dialogue, user=dc.coordinator, has_conflict=False)
    assert entry(dc.member) == cleared and entry(dc.coordinator) == current(dc, dc.coordinator)
