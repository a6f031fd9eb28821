"""Search in chromium: the header's search box, the grouped and highlighted results, a kind's
own page and a bad query, for a visitor and for a signed-in coordinator; axe on each page."""

import re

import pytest
from django.core.management import call_command

from tests.browser.test_foundation_pages import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def search_from_header(page, words):
    header = page.get_by_role("search", name="Sök på webbplatsen")
    header.get_by_label("Sök").fill(words)
    header.get_by_role("button", name="Sök").click()
    page.wait_for_url(re.compile(r"/search/\?q="))


def test_a_visitor_searches_from_the_header(page, axe, live_server, demo):
    page.goto(f"{live_server.url}/groups/")
    search_from_header(page, "hjullastare")
    assert page.locator("h1").inner_text() == "Sök"
    assert page.locator("#search-query").input_value() == "hjullastare"
    assert page.get_by_role("heading", level=2, name=re.compile("Marknadsdialoger")).count() == 1
    assert page.locator("main mark").count() >= 1
    assert page.get_by_role("heading", level=2, name=re.compile("Meddelanden")).count() == 0  # no thread is public
    assert_accessible(page, axe)

    page.get_by_role("navigation", name="Vad du söker bland").get_by_role("link", name="Marknadsdialoger").click()
    page.wait_for_url(re.compile(r"kind=dialogues"))
    assert page.locator("main .search-hit").count() >= 1
    assert_accessible(page, axe)

    search_from_header(page, "?!")
    assert "bara skiljetecken" in page.get_by_role("alert").inner_text()
    assert page.locator("#search-query").input_value() == "?!"
    assert_accessible(page, axe)


def test_a_coordinator_finds_the_groups_discussions(page, axe, live_server, demo):
    sign_in(page, live_server, "anna@vaxjo.demo.example")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    search_from_header(page, "laddning")
    messages = page.get_by_role("region", name=re.compile("Meddelanden"))
    assert messages.locator(".search-hit").count() >= 1
    assert_accessible(page, axe)
    page.goto(f"{live_server.url}/search/?q=laddning&kind=messages&page=abc")
    assert page.locator("main .search-hit").count() >= 1
    assert_accessible(page, axe)
