"""An organisation's county (län): given at registration or by its administrators, shown on
its page, and used to find market dialogues by region (issue 21)."""

import pytest
from django.urls import reverse

from accounts.models import County, Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTRATION = {"name": "Alvesta kommun", "kind": "kommun", "organisation_number": "212000-0142"}


def test_registering_keeps_the_county(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:organisation-create"), {**REGISTRATION, "county": "07"})
    assert response.status_code == 302
    assert Organisation.objects.get(name="Alvesta kommun").county == County.KRONOBERG


def test_the_county_is_optional(client):
    client.force_login(UserFactory())
    client.post(reverse("accounts:organisation-create"), {**REGISTRATION, "kind": "supplier"})
    assert Organisation.objects.get(name="Alvesta kommun").county == ""


def test_an_unknown_county_is_refused_and_what_was_typed_kept(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:organisation-create"), {**REGISTRATION, "county": "99"})
    body = response.content.decode()
    assert "Select a valid choice. 99 is not one of the available choices." in body
    assert 'value="Alvesta kommun"' in body
    assert not Organisation.objects.exists()


def test_the_registration_form_says_what_the_county_is_for(client):
    client.force_login(UserFactory())
    body = client.get(reverse("accounts:organisation-create")).content.decode()
    assert '<label for="id_county">County:</label>' in body
    assert "find its buyer groups' market dialogues by region" in body


def test_an_admin_sets_the_county_and_the_page_shows_it(client, authority, admin_user):
    client.force_login(admin_user)
    address = reverse("accounts:organisation-edit", args=[authority.pk])
    assert 'name="county"' in client.get(address).content.decode()
    assert client.post(address, {"county": "07", "content_language": "sv"}).status_code == 302
    authority.refresh_from_db()
    assert authority.county == County.KRONOBERG
    body = client.get(authority.get_absolute_url()).content.decode()
    assert "<dt>County</dt><dd>Kronobergs län</dd>" in body


def test_county_names_are_proper_names_in_every_language(authority):
    authority.county = County.SKANE
    assert authority.get_county_display() == "Skåne län"
    assert len(County.choices) == 21
