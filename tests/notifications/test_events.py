"""The events that exist today reach the right people, through the outbox."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from accounts.models import OrganisationDomain
from groups.models import Membership, NeedStatement
from groups.services.memberships import decide_membership, invite_organisation, request_membership
from groups.services.needs import move_need
from notifications.models import Notification, OutgoingEmail
from tests.factories import OrganisationFactory, UserFactory, person_at

pytestmark = pytest.mark.django_db


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_join_request_reaches_the_coordinators(cast):
    Notification.objects.all().delete()
    request_membership(group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="Vi vill")
    assert recipients("join_request") == {cast.coordinator.email}
    notification = Notification.objects.get(kind="join_request")
    assert notification.url == reverse("groups:member-list", args=[cast.group.slug])
    assert notification.place_label == cast.group.name


def test_membership_decision_reaches_the_requesting_organisations_people(cast):
    colleague = person_at(cast.trafikverket, name="Kollega")
    Notification.objects.all().delete()
    membership = request_membership(
        group=cast.group, organisation=cast.trafikverket, user=cast.non_member, motivation="Vi vill"
    )
    decide_membership(membership=membership, user=cast.coordinator, approve=False, reason="Fel inriktning")
    assert recipients("membership_decided") == {cast.non_member.email, colleague.email}
    assert Notification.objects.filter(kind="membership_decided").first().params["variant"] == "declined"


def test_group_invitation_reaches_the_invited_organisations_admins(cast):
    invited = OrganisationFactory(name="Region Kronoberg", kind="region")
    admin = person_at(invited, role="admin")
    person_at(invited)  # not an admin
    invite_organisation(group=cast.group, organisation=invited, role=Membership.Role.MEMBER, user=cast.coordinator)
    assert recipients("group_invitation") == {admin.email}


def test_need_for_review_and_publishing_reach_members_and_observers_not_outsiders(cast):
    Notification.objects.all().delete()
    move_need(need=cast.need, user=cast.coordinator, to_state=NeedStatement.State.IN_REVIEW)
    assert recipients("need_review") == {cast.member.email, cast.observer.email}  # not the coordinator who did it
    move_need(need=cast.need, user=cast.coordinator, to_state=NeedStatement.State.PUBLISHED)
    assert recipients("need_published") == {cast.member.email, cast.observer.email}
    assert {n.params["variant"] for n in Notification.objects.filter(kind="need_published")} == {"published"}


def test_publishing_again_after_changes_says_republished(cast):
    from groups.services.needs import save_need_version
    from tests.groups.conftest import FIELDS, REQUIREMENTS

    move_need(need=cast.need, user=cast.coordinator, to_state=NeedStatement.State.PUBLISHED)
    need = NeedStatement.objects.get(pk=cast.need.pk)
    save_need_version(
        need=need,
        user=cast.coordinator,
        fields={**FIELDS, "title": "Fossilfria hjullastare 2"},
        requirements=REQUIREMENTS,
        change_note="v2",
        base_version_number=need.current_version.number,
    )
    Notification.objects.all().delete()
    move_need(need=need, user=cast.coordinator, to_state=NeedStatement.State.PUBLISHED)
    assert {n.params["variant"] for n in Notification.objects.filter(kind="need_published")} == {"republished"}
    assert Notification.objects.filter(kind="need_published").first().params["need"] == "Fossilfria hjullastare 2"


def test_organisation_review_is_notified_to_its_admins(client, facilitator, unverified_admin):
    organisation = unverified_admin.affiliations.get().organisation
    client.force_login(facilitator)
    client.post(
        reverse("accounts:organisation-review", args=[organisation.pk]), {"decision": "reject", "reason": "Fel nummer"}
    )
    notification = Notification.objects.get(kind="organisation_reviewed")
    assert notification.recipient == unverified_admin
    assert notification.params == {"variant": "rejected", "organisation": organisation.name, "reason": "Fel nummer"}


def test_domain_join_request_is_notified_to_the_admins(client, authority, admin_user, colleague):
    OrganisationDomain.objects.create(organisation=authority, domain="vaxjo.se")
    newcomer = UserFactory(email="ny@vaxjo.se")
    client.force_login(newcomer)
    client.post(reverse("accounts:domain-join-request", args=[authority.pk]))
    assert recipients("organisation_join_request") == {admin_user.email}


def test_colleague_invitation_is_a_queued_email_and_an_item_for_an_existing_account(
    client, authority, admin_user, mailoutbox, django_capture_on_commit_callbacks, deliver_outbox
):
    existing = UserFactory(email="finns@vaxjo.se", language="en")
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invitation-create", args=[authority.pk]), {"email": "finns@vaxjo.se", "role": "member"}
        )
        client.post(
            reverse("accounts:invitation-create", args=[authority.pk]), {"email": "ny@vaxjo.se", "role": "member"}
        )
    assert OutgoingEmail.objects.count() == 2
    assert recipients("organisation_invitation") == {existing.email}
    deliver_outbox()
    # The invitation itself is one direct e-mail each; the item for the existing account is
    # not e-mailed again by default.
    assert sorted(m.to[0] for m in mailoutbox) == ["finns@vaxjo.se", "ny@vaxjo.se"]
    english = next(m for m in mailoutbox if m.to == ["finns@vaxjo.se"])
    assert "invites you to join Växjö kommun" in english.body


def test_personal_data_export_includes_notifications_and_settings(client, admin_user):
    from groups.models import ThemeFollow
    from notifications.models import NotificationPreference
    from notifications.services import notify

    NotificationPreference.objects.create(user=admin_user, kind="thread_message", delivery="off")
    ThemeFollow.objects.create(user=admin_user, theme="energy")
    notify(kind="mention", recipients=[admin_user], params={"person": "Erik", "thread": "Allmänt"})
    client.force_login(admin_user)
    response = client.get(reverse("accounts:data-export"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("notification_settings.json")) == [{"kind": "thread_message", "delivery": "off"}]
    assert [row["theme"] for row in json.loads(archive.read("themes_followed.json"))] == ["energy"]
    [notification] = json.loads(archive.read("notifications.json"))
    assert notification["params"] == {"person": "Erik", "thread": "Allmänt"}


def test_deleting_an_account_deletes_its_notifications_and_settings(admin_user):
    from accounts.services import delete_account
    from notifications.models import NotificationPreference
    from notifications.services import notify

    NotificationPreference.objects.create(user=admin_user, kind="thread_message", delivery="off")
    notify(kind="mention", recipients=[admin_user])
    delete_account(user=admin_user)
    assert not Notification.objects.exists() and not NotificationPreference.objects.exists()
