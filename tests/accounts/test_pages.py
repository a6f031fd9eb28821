import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/accessibility/", "/health/", "/accounts/login/", "/accounts/signup/", "/groups/"]
PRIVATE = ["/dashboard/", "/profile/", "/profile/delete/", "/organisations/new/", "/organisations/review/"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_need_no_sign_in(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PRIVATE)
def test_private_pages_send_visitors_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("path", PRIVATE[:4])
def test_private_pages_open_for_a_signed_in_user(client, admin_user, path):
    client.force_login(admin_user)
    assert client.get(path).status_code == 200


def test_unknown_address_gets_the_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() or "Sidan finns inte" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def test_forbidden_action_gets_the_styled_403_with_the_reason(client, colleague, authority):
    client.force_login(colleague)
    response = client.post(reverse("accounts:invitation-create", args=[authority.pk]), {"email": "x@vaxjo.se"})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="site-header"' in html and "administrators" in html


def test_swedish_is_the_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="")
    assert response["Content-Language"] == "sv"
    assert "Köp innovation tillsammans" in response.content.decode()


def test_language_switch_is_saved_on_the_profile(client, admin_user):
    admin_user.language = "sv"
    admin_user.save()
    client.force_login(admin_user)
    response = client.post("/language/", {"language": "en", "next": "/dashboard/"})
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.language == "en"
    assert "Welcome, Anna Admin" in client.get("/dashboard/").content.decode()


def test_saved_language_wins_over_the_browser(client, admin_user):
    admin_user.language = "sv"
    admin_user.save()
    client.force_login(admin_user)
    response = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "sv"
    assert "Välkommen, Anna Admin" in response.content.decode()


def test_profile_keeps_what_was_typed_on_error(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/profile/", {"name": "Anna Andersson", "title": "Upphandlare", "language": "xx"})
    assert response.status_code == 200
    assert 'value="Anna Andersson"' in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.name == "Anna Admin"
