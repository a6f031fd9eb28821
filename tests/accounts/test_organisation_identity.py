"""The organisation's administrators keep what else it is known by (short names and
trademarks, website, phone): market dialogues check published texts against it (issue 16)."""

import pytest
from django.urls import reverse

from accounts.models import Organisation

pytestmark = pytest.mark.django_db

VALID = {"short_names": " Växjö \n\nVäxjö\nVX Energi™ ", "website": "https://www.vaxjo.se", "phone": "+46 470-410 00"}


def edit(client, organisation, data=None):
    address = reverse("accounts:organisation-edit", args=[organisation.pk])
    return client.post(address, data) if data is not None else client.get(address)


def test_an_admin_keeps_short_names_website_and_phone(client, authority, admin_user):
    client.force_login(admin_user)
    assert edit(client, authority).status_code == 200
    assert edit(client, authority, VALID).status_code == 302
    authority.refresh_from_db()
    assert authority.short_names == "Växjö\nVX Energi™"  # trimmed, empty lines and repeats dropped
    assert (authority.website, authority.phone) == ("https://www.vaxjo.se", "+46 470-410 00")
    body = client.get(authority.get_absolute_url()).content.decode()
    assert "VX Energi™" in body and "+46 470-410 00" in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "ring 0470-41000", "digits, spaces, + and - only"),
        ("phone", "12", "digits, spaces, + and - only"),
        ("website", "inte en adress", "Enter a valid URL."),
        ("short_names", VALID["short_names"] + "\n" + "x" * 101, "under 100 characters"),
    ],
)
def test_bad_details_are_refused_and_what_was_typed_is_kept(client, authority, admin_user, field, value, message):
    client.force_login(admin_user)
    response = edit(client, authority, {**VALID, field: value})
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body and "VX Energi™" in body
    assert Organisation.objects.get(pk=authority.pk).short_names == ""


def test_a_colleague_who_is_not_an_admin_cannot_edit(client, authority, colleague):
    client.force_login(colleague)
    assert edit(client, authority).status_code == 403
    assert edit(client, authority, VALID).status_code == 403
    assert Organisation.objects.get(pk=authority.pk).short_names == ""


def test_another_organisation_gets_404(client, authority, outsider):
    client.force_login(outsider)
    assert edit(client, authority, VALID).status_code == 404


def test_a_facilitator_reviewing_sees_them_but_does_not_edit(client, facilitator, unverified_admin):
    organisation = unverified_admin.affiliations.get().organisation
    organisation.short_names = "NyLev"
    organisation.phone = "08-123 456 78"
    organisation.save()
    client.force_login(facilitator)
    body = client.get(reverse("accounts:organisation-review", args=[organisation.pk])).content.decode()
    assert "NyLev" in body and "08-123 456 78" in body
    assert edit(client, organisation).status_code == 403
