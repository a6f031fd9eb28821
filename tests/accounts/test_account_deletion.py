"""Deleting an account that leaves an organisation in buyer groups with nobody, or with no
administrator: the page warns before, the facilitators are told after. The page says what
stays and what goes; the deletion is in the audit log."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import OrganisationMember
from accounts.services import delete_account, organisations_left_behind
from audit.models import Action, AuditEntry
from groups.models import BuyerGroup, Membership, Theme
from notifications.models import Notification
from tests.factories import person_at

pytestmark = pytest.mark.django_db

DELETE = {"password": "pw-test-2026", "confirm": "on"}


@pytest.fixture
def group_member(authority):
    """Växjö kommun is an active member of a buyer group."""
    group = BuyerGroup.objects.create(
        name="Fossilfria arbetsmaskiner", slug="fossilfria", theme=Theme.values[0], summary="S", challenge="C"
    )
    Membership.objects.create(group=group, organisation=authority, status=Membership.Status.ACTIVE)
    return group


def facilitator_notices():
    return list(Notification.objects.filter(kind="organisation_left_behind").values_list("recipient_id", "params"))


def test_the_last_administrator_is_warned_before_confirming(client, admin_user, colleague, group_member):
    client.force_login(admin_user)
    page = client.get(reverse("accounts:account-delete"))
    assert page.status_code == 200
    (stranded,) = page.context["left_behind"]
    assert stranded.organisation.name == "Växjö kommun" and not stranded.without_people
    assert stranded.groups == ["Fossilfria arbetsmaskiner"]
    html = page.content.decode()
    assert 'id="left-behind"' in html and "Fossilfria arbetsmaskiner" in html
    assert html.index('id="left-behind"') < html.index('name="password"')  # before the form


def test_the_last_person_is_warned_as_the_last_person(client, admin_user, group_member):
    client.force_login(admin_user)
    (stranded,) = client.get(reverse("accounts:account-delete")).context["left_behind"]
    assert stranded.without_people


def test_no_warning_while_another_administrator_stays(client, admin_user, authority, group_member):
    person_at(authority, role=OrganisationMember.Role.ADMIN, email="bertil@vaxjo.se")
    client.force_login(admin_user)
    page = client.get(reverse("accounts:account-delete"))
    assert page.context["left_behind"] == [] and 'id="left-behind"' not in page.content.decode()


def test_a_plain_member_leaving_others_behind_is_not_warned(admin_user, colleague, group_member):
    assert organisations_left_behind(colleague) == []


def test_no_warning_for_an_organisation_in_no_group(admin_user):
    assert organisations_left_behind(admin_user) == []


def test_a_deleted_administrator_does_not_count_as_one_who_stays(admin_user, authority, group_member):
    other_admin = person_at(authority, role=OrganisationMember.Role.ADMIN, email="bertil@vaxjo.se")
    delete_account(user=other_admin)
    assert [s.organisation for s in organisations_left_behind(admin_user)] == [authority]


def test_deleting_anyway_tells_the_facilitators(
    client, admin_user, colleague, group_member, facilitator, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:account-delete"), DELETE)
    assert response.status_code == 302
    (notice,) = facilitator_notices()
    recipient, params = notice
    assert recipient == facilitator.pk
    assert params["variant"] == "no_admin" and params["organisation"] == "Växjö kommun"
    assert params["groups"] == "Fossilfria arbetsmaskiner"
    with translation.override("en"):
        item = Notification.objects.get(kind="organisation_left_behind")
        assert "The last administrator of Växjö kommun" in item.message()


def test_the_last_person_leaving_tells_the_facilitators_so(admin_user, group_member, facilitator):
    delete_account(user=admin_user)
    assert [params["variant"] for _recipient, params in facilitator_notices()] == ["no_people"]


def test_no_one_is_told_when_an_administrator_stays(admin_user, authority, group_member, facilitator):
    person_at(authority, role=OrganisationMember.Role.ADMIN, email="bertil@vaxjo.se")
    delete_account(user=admin_user)
    assert facilitator_notices() == []


def test_the_deletion_is_in_the_audit_log_under_the_name_they_had(admin_user):
    delete_account(user=admin_user)
    entry = AuditEntry.objects.get(action=Action.ACCOUNT_DELETED)
    assert entry.actor_id == admin_user.pk and entry.actor_label == "Anna Admin"
    assert entry.target_id == str(admin_user.pk)


def test_the_page_says_what_stays_and_what_goes(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("accounts:account-delete")).content.decode()
    assert 'id="goes-heading"' in html and 'id="stays-heading"' in html
    with translation.override("en"):
        html = client.get(reverse("accounts:account-delete"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "audit log" in html
