"""The warning before the session ends (WCAG 2.2.1), in chromium: with the idle limit made short
(the live server reads the same settings), the warning comes, takes focus, passes axe, and "Stay
signed in" keeps the session; left alone, the page says the session has ended and keeps what was
typed in it (static/js/session-timeout.js, accounts/session_policy.py)."""

import re

import pytest
from django.core.management import call_command

from discussions.models import Thread
from tests.browser.test_foundation_pages import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WARNING = "#session-timeout:not([hidden])"
FOCUS_IN_WARNING = "document.getElementById('session-timeout').contains(document.activeElement)"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_the_warning_takes_focus_and_staying_signed_in_keeps_the_session(page, axe, live_server, demo, settings):
    settings.SESSION_IDLE_MINUTES = 0.5  # 30 seconds; warned 25 seconds before: about 5 seconds in
    settings.SESSION_WARNING_SECONDS = 25
    sign_in(page, live_server, "anna@vaxjo.demo.example")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    page.focus("#site-search")

    page.wait_for_selector(WARNING)
    assert page.evaluate(FOCUS_IN_WARNING)
    assert page.locator("#session-timeout").get_attribute("role") == "alertdialog"
    assert "1 min" in page.inner_text("#session-timeout-text")  # "1 minute" (or "1 minut" in Swedish)
    assert_accessible(page, axe)

    page.click("#session-timeout form button[type=submit]")
    page.wait_for_selector("#session-timeout", state="hidden")
    assert page.evaluate("document.activeElement.id") == "site-search"  # focus back where it was
    page.reload()
    assert re.search(r"/dashboard/$", page.url)  # still signed in: not sent to sign in
    assert page.locator("#session-timeout").count() == 1


def test_when_the_session_ends_the_page_stays_with_what_was_typed(page, live_server, demo, settings):
    settings.SESSION_IDLE_MINUTES = 0.2  # 12 seconds
    settings.SESSION_WARNING_SECONDS = 8
    thread = Thread.objects.get(title__startswith="Laddning vid depåerna")
    sign_in(page, live_server, "anna@vaxjo.demo.example")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    thread_url = f"{live_server.url}{thread.get_absolute_url()}"
    page.goto(thread_url)
    page.fill("#composer-form textarea", "Ett långt svar som inte är skickat än")

    ended = page.locator("#session-timeout").get_attribute("data-text-heading-ended")
    page.wait_for_function(
        "text => document.getElementById('session-timeout-heading').textContent === text", arg=ended, timeout=30_000
    )
    assert page.is_visible("#session-timeout") and page.evaluate(FOCUS_IN_WARNING)
    assert page.is_visible("[data-session-sign-in]") and not page.is_visible("#session-timeout form")
    assert page.url == thread_url
    assert page.input_value("#composer-form textarea") == "Ett långt svar som inte är skickat än"


def test_staying_signed_in_in_one_tab_hides_the_warning_in_the_others(browser, live_server, demo, settings):
    settings.SESSION_IDLE_MINUTES = 0.5
    settings.SESSION_WARNING_SECONDS = 25
    context = browser.new_context(locale="sv-SE")
    first = context.new_page()
    first.set_default_timeout(15_000)
    sign_in(first, live_server, "anna@vaxjo.demo.example")
    first.wait_for_url(re.compile(r"/dashboard/$"))
    second = context.new_page()
    second.set_default_timeout(15_000)
    second.goto(f"{live_server.url}/groups/")
    for tab in (first, second):
        tab.wait_for_selector(WARNING)

    second.click("#session-timeout form button[type=submit]")
    first.wait_for_selector("#session-timeout", state="hidden")
    second.wait_for_selector("#session-timeout", state="hidden")
    context.close()
