"""The language an organisation's texts are written in: chosen at registration, changed by its
administrators, refused when it is not a choice (WCAG 3.1.2, issue 19)."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTRATION = {"name": "Alvesta kommun", "kind": "kommun", "organisation_number": "212000-0142"}


def test_registration_keeps_the_language_chosen(client):
    client.force_login(UserFactory())
    assert (
        client.post(reverse("accounts:organisation-create"), {**REGISTRATION, "content_language": "en"}).status_code
        == 302
    )
    assert Organisation.objects.get(name="Alvesta kommun").content_language == "en"


def test_registration_without_a_language_is_swedish(client):
    client.force_login(UserFactory())
    client.post(reverse("accounts:organisation-create"), REGISTRATION)
    assert Organisation.objects.get(name="Alvesta kommun").content_language == "sv"


def test_an_admin_changes_the_language_and_the_name_is_marked(client, authority, admin_user):
    client.force_login(admin_user)
    url = reverse("accounts:organisation-edit", args=[authority.pk])
    assert "screen readers read them in that language" in client.get(url).content.decode()
    assert client.post(url, {"content_language": "en"}).status_code == 302
    authority.refresh_from_db()
    assert authority.content_language == "en"
    admin_user.language = "sv"
    admin_user.save(update_fields=["language"])
    assert f'<h1 lang="en">{authority.name}</h1>' in client.get(authority.get_absolute_url()).content.decode()


def test_a_language_that_is_not_a_choice_is_refused_with_a_message(client, authority, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("accounts:organisation-edit", args=[authority.pk]), {"content_language": "xx"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert Organisation.objects.get(pk=authority.pk).content_language == "sv"
