import json

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_personal_data_download(client, admin_user, authority):
    client.force_login(admin_user)
    response = client.get(reverse("accounts:data-export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == admin_user.email
    assert data["account"]["name"] == "Anna Admin"
    assert data["organisations"][0]["name"] == "Växjö kommun"


def test_delete_needs_the_password_and_the_confirmation(client, admin_user):
    client.force_login(admin_user)
    url = reverse("accounts:account-delete")
    response = client.post(url, {"password": "wrong", "confirm": "on"})
    assert "not correct" in response.content.decode()
    response = client.post(url, {"password": "pw-test-2026"})
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.deleted_at is None and admin_user.is_active


def test_deleted_account_is_anonymised_and_its_name_keeps_the_organisation(client, admin_user):
    email = admin_user.email
    client.force_login(admin_user)
    response = client.post(reverse("accounts:account-delete"), {"password": "pw-test-2026", "confirm": "on"})
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.email != email and admin_user.name == "" and not admin_user.is_active
    assert not admin_user.emailaddress_set.exists()
    with translation.override("en"):
        assert admin_user.display_name == "deleted user, Växjö kommun"
    with translation.override("sv"):
        assert admin_user.display_name == "raderad användare, Växjö kommun"
    # Signed out, and cannot sign in again.
    assert client.get(reverse("home:dashboard")).status_code == 302
    assert not client.login(email=email, password="pw-test-2026")


def test_deleted_people_leave_the_organisation_page(client, admin_user, colleague, authority):
    client.force_login(colleague)
    client.post(reverse("accounts:account-delete"), {"password": "pw-test-2026", "confirm": "on"})
    client.force_login(admin_user)
    assert "Cecilia Kollega" not in client.get(authority.get_absolute_url()).content.decode()
