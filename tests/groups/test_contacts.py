"""Facilitators name a group's contact persons at Upphandlingsmyndigheten: only facilitators
choose, only facilitators can be chosen, the change is audited, and everyone sees them."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEntry
from groups.services.group import set_contacts
from tests.factories import person_at

pytestmark = pytest.mark.django_db


def contacts_url(group):
    return reverse("groups:group-contacts", args=[group.slug])


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "role,status",
    [
        ("visitor", 302),
        ("stranger", 404),
        ("supplier", 404),
        ("non_member", 404),
        ("member", 403),
        ("coordinator", 403),
    ],
)
def test_only_facilitators_choose_the_contacts(client, cast, role, status, method):
    user = getattr(cast, role)
    if user:
        client.force_login(user)
    data = {"contacts": [cast.facilitator.pk]} if method == "post" else None
    assert getattr(client, method)(contacts_url(cast.group), data).status_code == status
    assert not cast.group.contacts.exists()


def test_a_facilitator_names_a_facilitator_and_it_is_audited(client, cast):
    colleague = person_at(cast.facilitator.affiliations.get().organisation, name="Frida Facilitator")
    client.force_login(cast.facilitator)
    assert client.get(contacts_url(cast.group)).status_code == 200
    response = client.post(contacts_url(cast.group), {"contacts": [colleague.pk]})
    assert response.status_code == 302
    assert list(cast.group.contacts.all()) == [colleague]
    entry = AuditEntry.objects.get(action=Action.GROUP_CONTACTS_CHANGED)
    assert (entry.actor_id, entry.group_id) == (cast.facilitator.pk, cast.group.pk)
    assert entry.params["contacts"] == [f"Frida Facilitator <{colleague.email}>"]


@pytest.mark.parametrize("who", ["coordinator", "supplier", "member"])
def test_only_facilitators_can_be_named(client, cast, who):
    client.force_login(cast.facilitator)
    response = client.post(contacts_url(cast.group), {"contacts": [getattr(cast, who).pk]})
    assert response.status_code == 400
    assert "contacts" in response.context["form"].errors
    assert not cast.group.contacts.exists()


def test_bogus_input_is_refused_without_a_500(client, cast):
    client.force_login(cast.facilitator)
    assert client.post(contacts_url(cast.group), {"contacts": ["abc"]}).status_code == 400
    assert client.post(contacts_url(cast.group), {"contacts": ["999999"]}).status_code == 400


def test_saving_the_same_choice_again_writes_nothing_to_the_log(cast):
    set_contacts(group=cast.group, user=cast.facilitator, contacts=[cast.facilitator])
    set_contacts(group=cast.group, user=cast.facilitator, contacts=[cast.facilitator])
    assert AuditEntry.objects.filter(action=Action.GROUP_CONTACTS_CHANGED).count() == 1


@pytest.mark.parametrize("role", ["visitor", "non_member", "member", "facilitator"])
def test_the_contact_is_shown_on_the_public_page_and_the_workspace(client, cast, role):
    set_contacts(group=cast.group, user=cast.facilitator, contacts=[cast.facilitator])
    if getattr(cast, role):
        client.force_login(getattr(cast, role))
    page = client.get(cast.group.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    assert 'lang="en"' in page
    assert "Contact person at Upphandlingsmyndigheten: Fia Processledare" in page
    assert f'href="mailto:{cast.facilitator.email}"' in page
    assert (contacts_url(cast.group) in page) == (role == "facilitator")


def test_no_contact_shows_nothing(client, cast):
    page = client.get(cast.group.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    assert 'lang="en"' in page and "Contact person at Upphandlingsmyndigheten" not in page


def test_unticking_every_box_removes_the_contacts(client, cast):
    set_contacts(group=cast.group, user=cast.facilitator, contacts=[cast.facilitator])
    client.force_login(cast.facilitator)
    assert client.post(contacts_url(cast.group), {}).status_code == 302
    assert not cast.group.contacts.exists()
