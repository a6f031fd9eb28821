"""Facilitators write to all coordinators, one group or the authorities that have not answered
(indicator/outreach.py): who it reaches, delivery through the outbox as each person chose,
the rate limit, the audit log, who may write, and bad input."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganisationMember
from audit.models import Action, AuditEntry
from core import rate_limits
from groups.models import BuyerGroup
from groups.services.group import create_group, end_group
from groups.services.memberships import decide_membership, request_membership
from indicator.models import OutreachMessage
from indicator.outreach import OutreachError, audience_people, send_outreach
from indicator.services import delegate_answering
from notifications.models import Notification, NotificationPreference
from notifications.services import unsubscribe
from tests.factories import OrganisationFactory, person_at
from tests.groups.conftest import build_cast
from tests.indicator.conftest import answer

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
NEW = reverse("indicator:outreach-new")
LIST = reverse("indicator:outreach-list")


@pytest.fixture
def people(statements):
    cast = build_cast()
    # Anna coordinates a second, ended group too; its other coordinator is reached through no ongoing one.
    ended = create_group(
        creator=cast.coordinator,
        organisation=cast.vaxjo,
        name="Avslutad grupp",
        theme="transport",
        summary="s",
        challenge="c",
        is_open=True,
    )
    ended_only = person_at(OrganisationFactory(name="Ljungby kommun"), role=OrganisationMember.Role.ADMIN)
    membership = request_membership(
        group=ended, organisation=ended_only.affiliations.get().organisation, user=ended_only, motivation="m"
    )
    decide_membership(membership=membership, user=cast.coordinator, approve=True)
    ended.coordinators.create(user=ended_only, appointed_by=cast.coordinator)
    end_group(
        group=ended,
        user=cast.coordinator,
        outcome=BuyerGroup.Outcome.ABANDONED,
        ended_on=timezone.localdate(),
        note="r",
    )
    lund_colleague = person_at(cast.lund, name="Lisa Lund")
    gone = person_at(cast.lund, name="Inaktiv Person")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    inactive_coordinator = person_at(cast.vaxjo, name="Inaktiv Samordnare")
    cast.group.coordinators.create(user=inactive_coordinator, appointed_by=cast.coordinator)
    inactive_coordinator.is_active = False
    inactive_coordinator.save(update_fields=["is_active"])
    answer(cast.vaxjo, YEAR, [3, 3, 3])  # Växjö has answered; Lund, Energimyndigheten, Trafikverket have not
    delegate_answering(organisation=cast.lund, user=lund_colleague, granted_by=cast.member)
    ended.refresh_from_db()
    # What setting the cast up told people is not what these tests count.
    Notification.objects.update(delivered_at=timezone.now(), email_state=Notification.EmailState.SKIPPED)
    return SimpleNamespace(**vars(cast), ended=ended, ended_only=ended_only, lund_colleague=lund_colleague, gone=gone)


def emails(queryset):
    return sorted(queryset.values_list("email", flat=True))


def test_all_coordinators_are_those_of_ongoing_groups_each_once(people):
    reached = audience_people(audience="all_coordinators")
    assert emails(reached) == [people.coordinator.email]


def test_a_group_reaches_the_people_of_its_member_and_observer_organisations(people):
    reached = audience_people(audience="group", group=people.group)
    assert emails(reached) == sorted(
        [people.coordinator.email, people.member.email, people.lund_colleague.email, people.observer.email]
    )


def test_non_respondents_are_the_administrators_and_delegates_of_authorities_without_an_answer(people):
    reached = audience_people(audience="non_respondents", year=YEAR)
    assert emails(reached) == sorted(
        [people.member.email, people.lund_colleague.email, people.observer.email, people.non_member.email]
        + [people.ended_only.email]
    )


def test_unknown_audience_or_missing_group_reaches_nobody(people):
    assert not audience_people(audience="everyone").exists()
    assert not audience_people(audience="group", group=None).exists()


def send(people, **kwargs):
    arguments = {
        "sender": people.facilitator,
        "audience": "group",
        "group": people.group,
        "subject": "Hej",
        "body": "Text",
    }
    return send_outreach(**(arguments | kwargs))


def test_sending_notifies_each_recipient_in_app_and_by_email(
    people, mailoutbox, django_capture_on_commit_callbacks, deliver_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = send(people, subject="Workshop i mars", body="<script>alert(1)</script>\nVälkomna!")
    deliver_outbox()
    assert letter.recipient_count == 4
    notified = Notification.objects.filter(kind="outreach_message")
    assert sorted(n.recipient.email for n in notified) == emails(letter.recipients.all())
    assert sorted(m.to[0] for m in mailoutbox) == emails(letter.recipients.all())
    mail = mailoutbox[0]
    assert "Workshop i mars" in mail.subject
    assert "<script>alert(1)</script>" in mail.body  # plain text as written
    html = mail.alternatives[0][0]
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert reverse("notifications:unsubscribe", args=["token"]).removesuffix("token/") in mail.body


def test_email_follows_each_persons_choice_and_unsubscribe(
    people, mailoutbox, django_capture_on_commit_callbacks, deliver_outbox
):
    NotificationPreference.objects.create(user=people.member, kind="outreach_message", delivery="off")
    unsubscribe(user=people.observer, scope="outreach_message")
    with django_capture_on_commit_callbacks(execute=True):
        send(people)
    deliver_outbox()
    assert Notification.objects.filter(kind="outreach_message", recipient=people.member).exists()  # still in-app
    assert Notification.objects.filter(kind="outreach_message", recipient=people.observer).exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([people.coordinator.email, people.lund_colleague.email])


def test_sending_is_audited_with_audience_group_and_count(people):
    letter = send(people)
    entry = AuditEntry.objects.get(action=Action.OUTREACH_SENT)
    assert (entry.actor_id, entry.group_id, entry.detail) == (people.facilitator.pk, people.group.pk, "group")
    assert entry.params["recipients"] == letter.recipient_count == 4


def test_an_ended_group_sends_nothing(people):
    with pytest.raises(OutreachError):
        send(people, group=people.ended)
    assert not OutreachMessage.objects.exists()


def test_nobody_to_reach_sends_nothing(people):
    agency = people.facilitator.affiliations.get().organisation
    only_the_sender = create_group(
        creator=people.facilitator,
        organisation=agency,
        name="Bara myndigheten",
        theme="transport",
        summary="s",
        challenge="c",
        is_open=True,
    )
    with pytest.raises(OutreachError):
        send(people, group=only_the_sender)
    assert not OutreachMessage.objects.exists()
    assert not Notification.objects.filter(kind="outreach_message").exists()


def test_the_number_of_queries_does_not_grow_with_the_recipients(people):
    with CaptureQueriesContext(connection) as few:
        send(people)
    for number in range(6):
        person_at(people.lund, name=f"Fler {number}")
    with CaptureQueriesContext(connection) as many:
        letter = send(people)
    assert letter.recipient_count == 10
    assert len(many) == len(few)


# --- The pages ------------------------------------------------------------------------------


def form_data(**overrides):
    return {"audience": "all_coordinators", "group": "", "year": "", "subject": "Hej", "body": "Text"} | overrides


@pytest.mark.parametrize("role", ["visitor", "coordinator", "supplier", "member"])
@pytest.mark.parametrize("method,url", [("get", LIST), ("get", NEW), ("post", NEW)])
def test_only_facilitators_write_or_list(client, people, role, method, url):
    user = getattr(people, role)
    if user:
        client.force_login(user)
    response = getattr(client, method)(url, form_data(confirmed="yes") if method == "post" else None)
    assert response.status_code == (302 if role == "visitor" else 403)
    assert not OutreachMessage.objects.exists()


def test_facilitator_sees_the_form_the_confirmation_and_sends(client, people, django_capture_on_commit_callbacks):
    client.force_login(people.facilitator)
    assert client.get(NEW).status_code == 200
    data = form_data(audience="group", group=people.group.slug, subject="Träff", body="Välkomna")
    confirmation = client.post(NEW, data)
    assert confirmation.status_code == 200
    assert "4 people" in confirmation.content.decode() and "Lunds kommun" in confirmation.content.decode()
    assert not OutreachMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, data | {"confirmed": "yes"})
    letter = OutreachMessage.objects.get()
    assert response.status_code == 302 and response.url == letter.get_absolute_url()
    assert (letter.audience, letter.group, letter.recipient_count) == ("group", people.group, 4)
    listing = client.get(LIST)
    assert listing.status_code == 200 and "Träff" in listing.content.decode()


def test_the_letter_is_read_by_facilitators_and_recipients_only(client, people):
    letter = send(people, body="<b>fet</b>")
    for user, status in (
        (people.member, 200),
        (people.facilitator, 200),
        (people.non_member, 404),
        (people.supplier, 404),
    ):
        client.force_login(user)
        response = client.get(letter.get_absolute_url())
        assert response.status_code == status
        if status == 200:
            assert "&lt;b&gt;fet&lt;/b&gt;" in response.content.decode()


def test_rate_limit_refuses_with_a_message_and_keeps_the_text(client, people, monkeypatch):
    monkeypatch.setitem(rate_limits.LIMITS, "outreach", (1, 3600, rate_limits.LIMITS["outreach"][2]))
    client.force_login(people.facilitator)
    assert client.post(NEW, form_data(confirmed="yes")).status_code == 302
    response = client.post(NEW, form_data(subject="Andra brevet", confirmed="yes"))
    assert response.status_code == 400
    assert "many messages" in response.content.decode() and "Andra brevet" in response.content.decode()
    assert OutreachMessage.objects.count() == 1


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"audience": "group", "group": ""}, "group"),
        ({"audience": "group", "group": "finns-inte"}, "group"),
        ({"audience": "nobody"}, "audience"),
        ({"subject": ""}, "subject"),
        ({"body": ""}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"audience": "non_respondents", "year": "2015"}, "year"),
        ({"audience": "non_respondents", "year": str(YEAR + 1)}, "year"),
    ],
)
def test_bad_input_is_refused_and_the_text_kept(client, people, overrides, field):
    client.force_login(people.facilitator)
    response = client.post(NEW, form_data(subject="Behåll mig", confirmed="yes") | overrides)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    if "subject" not in overrides:
        assert "Behåll mig" in response.content.decode()
    assert not OutreachMessage.objects.exists()


def test_an_ended_group_is_refused_on_the_form(client, people):
    client.force_login(people.facilitator)
    response = client.post(NEW, form_data(audience="group", group=people.ended.slug, confirmed="yes"))
    assert response.status_code == 400 and "group" in response.context["form"].errors


def test_nobody_to_reach_says_so_and_sends_nothing(client, people):
    answer(people.lund, YEAR, [3, 3, 3])
    for organisation in (people.energi, people.trafikverket, people.ended_only.affiliations.get().organisation):
        answer(organisation, YEAR, [3, 3, 3])
    client.force_login(people.facilitator)
    response = client.post(NEW, form_data(audience="non_respondents"))
    assert response.status_code == 400
    assert "Nobody would receive" in response.content.decode()
    assert not OutreachMessage.objects.exists()


def test_the_form_is_filled_in_from_the_address_and_ignores_bad_values(client, people):
    client.force_login(people.facilitator)
    form = client.get(NEW, {"audience": "group", "group": people.group.slug, "year": str(YEAR)}).context["form"]
    assert form.initial == {"audience": "group", "group": people.group.slug, "year": YEAR}
    bogus = client.get(NEW, {"audience": "<script>", "group": "x" * 500, "year": "abc"})
    assert bogus.status_code == 200 and bogus.context["form"].initial == {}


def test_links_from_the_responses_page_the_console_and_the_group(client, people):
    client.force_login(people.facilitator)
    assert (
        f"{NEW}?audience=non_respondents&amp;year={YEAR}" in client.get(reverse("indicator:responses")).content.decode()
    )
    assert NEW in client.get(reverse("facilitator-console")).content.decode()
    assert (
        f"{NEW}?audience=group&amp;group={people.group.slug}"
        in client.get(people.group.get_absolute_url()).content.decode()
    )
    client.force_login(people.coordinator)
    assert NEW not in client.get(people.group.get_absolute_url()).content.decode()


def test_the_confirmation_page_does_not_grow_with_the_organisations(client, people):
    client.force_login(people.facilitator)
    data = form_data(audience="group", group=people.group.slug)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.post(NEW, data).status_code == 200
        return len(captured)

    few = queries()
    for number in range(5):
        organisation = OrganisationFactory(name=f"Kommun {number}")
        person_at(organisation, role=OrganisationMember.Role.ADMIN)
        people.group.memberships.create(organisation=organisation, role="member", status="active")
    assert queries() == few
