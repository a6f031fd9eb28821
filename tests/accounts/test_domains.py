import pytest
from django.urls import reverse

from accounts.models import DomainJoinRequest, OrganisationDomain
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def register(client, organisation, domain):
    return client.post(reverse("accounts:domain-create", args=[organisation.pk]), {"domain": domain})


def test_admin_registers_the_domain_of_their_own_address(client, authority, admin_user):
    client.force_login(admin_user)
    assert register(client, authority, "Vaxjo.se").status_code == 302
    assert OrganisationDomain.objects.get().domain == "vaxjo.se"


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        ("gmail.com", "public e-mail service"),
        ("not a domain", "Write a domain"),
        ("lund.se", "verified e-mail address"),
    ],
)
def test_bad_domains_are_refused_with_a_message(client, authority, admin_user, domain, message):
    client.force_login(admin_user)
    response = register(client, authority, domain)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OrganisationDomain.objects.exists()


def test_a_domain_belongs_to_one_organisation(client, authority, admin_user, outsider):
    OrganisationDomain.objects.create(organisation=outsider.affiliations.get().organisation, domain="vaxjo.se")
    client.force_login(admin_user)
    response = register(client, authority, "vaxjo.se")
    assert "already registered" in response.content.decode()


def test_unverified_organisation_cannot_register_domains(client, unverified_admin):
    client.force_login(unverified_admin)
    assert register(client, unverified_admin.affiliations.get().organisation, "nylev.se").status_code == 403


def test_newcomer_on_the_domain_is_offered_to_join_and_an_admin_confirms(
    client, authority, admin_user, mailoutbox, django_capture_on_commit_callbacks, deliver_outbox
):
    OrganisationDomain.objects.create(organisation=authority, domain="vaxjo.se")
    newcomer = UserFactory(email="ny@vaxjo.se")
    client.force_login(newcomer)
    assert "Ask to join Växjö kommun" in client.get(reverse("home:dashboard")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:domain-join-request", args=[authority.pk]))
    deliver_outbox()
    join_request = DomainJoinRequest.objects.get()
    assert [m.to for m in mailoutbox] == [[admin_user.email]]
    # Asked once: the offer is gone.
    assert "Ask to join Växjö kommun" not in client.get(reverse("home:dashboard")).content.decode()

    client.force_login(admin_user)
    client.post(reverse("accounts:domain-join-decide", args=[authority.pk, join_request.pk]), {"decision": "accept"})
    assert newcomer.affiliations.filter(organisation=authority).exists()


def test_declined_request_adds_nobody(client, authority, admin_user):
    OrganisationDomain.objects.create(organisation=authority, domain="vaxjo.se")
    newcomer = UserFactory(email="ny@vaxjo.se")
    join_request = DomainJoinRequest.objects.create(organisation=authority, user=newcomer)
    client.force_login(admin_user)
    client.post(reverse("accounts:domain-join-decide", args=[authority.pk, join_request.pk]), {"decision": "decline"})
    join_request.refresh_from_db()
    assert join_request.status == DomainJoinRequest.Status.DECLINED
    assert not newcomer.affiliations.exists()


def test_nobody_else_is_offered(client, authority):
    OrganisationDomain.objects.create(organisation=authority, domain="vaxjo.se")
    stranger = UserFactory(email="someone@lund.se")
    client.force_login(stranger)
    response = client.post(reverse("accounts:domain-join-request", args=[authority.pk]))
    assert response.status_code == 404
    assert not DomainJoinRequest.objects.exists()
