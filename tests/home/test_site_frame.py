"""What every page shares: the icon, the menu's names, the status page, and the 405 page."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from core import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def test_every_page_links_its_icon(client):
    html = client.get("/").content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html


def test_favicon_ico_is_answered_with_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".ico")
    assert finders.find("favicon.ico") and finders.find("favicon.svg")


def test_the_two_overview_entries_have_distinct_names(client, english, facilitator):
    client.force_login(facilitator)
    html = client.get("/dashboard/").content.decode()
    assert f'href="{reverse("home:dashboard")}" aria-current="page">My overview</a>' in html
    assert f'href="{reverse("facilitator-console")}">Facilitator console</a>' in html


def test_the_footer_links_the_status_page_not_the_json(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("status")}"' in html
    assert f'href="{reverse("health")}"' not in html


def test_status_page_shows_every_check_in_the_persons_language(client, english):
    response = client.get("/status/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Everything is working." in html
    assert html.count("badge-ok") == len(health.CHECKS)
    assert "Database" in html


def test_status_page_says_what_is_down(client, english, monkeypatch):
    def refuse():
        raise ConnectionRefusedError

    monkeypatch.setitem(health.CHECKS, "broker", refuse)
    response = client.get("/status/")
    assert response.status_code == 503
    html = response.content.decode()
    assert 'Background work (e-mail and notifications): <span class="badge badge-error">' in html
    assert html.count("badge-ok") == len(health.CHECKS) - 1


def test_health_stays_json_for_machines(client):
    response = client.get("/health/")
    assert response["Content-Type"] == "application/json"


def test_a_wrong_method_gets_the_sites_page_and_keeps_allow(client, english, admin_user, authority):
    client.force_login(admin_user)
    response = client.get(reverse("accounts:invitation-create", kwargs={"pk": authority.pk}))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "<h1>This cannot be done here</h1>" in response.content.decode()
