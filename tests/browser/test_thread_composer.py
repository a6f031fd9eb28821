"""Bypass blocks in a discussion (WCAG 2.4.1, issue 19): from the top of a page of 50 messages
the keyboard reaches the message box in a few presses, with and without JavaScript, and the box
sits right after the newest message, where it keeps the focus after sending."""

import re
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from accounts.models import User
from discussions.demo import BIG_THREAD_TITLE
from discussions.models import Thread
from tests.browser.test_foundation_pages import assert_accessible, sign_in
from tests.dialogues.servers import require_shared_services, web_server

pytestmark = pytest.mark.django_db(transaction=True)

FEW_TABS = 3


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def erik_on_the_big_thread(browser, server, *, javascript=True):
    """Erik (a member who may write) on the first page of the demo's 300-message discussion."""
    page = browser.new_context(locale="sv-SE", java_script_enabled=javascript).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, server, "erik@lund.demo.example")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    thread = Thread.objects.get(title=BIG_THREAD_TITLE)
    page.goto(f"{server.url}{thread.get_absolute_url()}")
    assert page.locator("#messages > li").count() == 50
    return page


def focused(page) -> dict:
    return page.evaluate(
        "({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " href: document.activeElement.getAttribute('href') || '', text: document.activeElement.textContent.trim()})"
    )


def tabs_to_the_message_box(page, limit=400) -> tuple[int, str]:
    """Press Tab from the top of the page until the focus is in the message box, or on a link
    to it (then press Enter). Returns the number of Tab presses and the link's text, if any."""
    for tabs in range(1, limit + 1):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["id"] == "id_body":
            return tabs, ""
        if now["href"] == "#id_body":
            page.keyboard.press("Enter")
            return tabs, now["text"]
    raise AssertionError(f"no message box after {limit} presses of Tab")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_skip_link_takes_the_keyboard_to_the_message_box_in_a_few_presses(browser, live_server, demo, javascript):
    page = erik_on_the_big_thread(browser, live_server, javascript=javascript)
    tabs, link = tabs_to_the_message_box(page)
    print(f"Tab presses to the message box ({'with' if javascript else 'without'} JavaScript): {tabs}")
    assert tabs <= FEW_TABS
    assert link == "Skriv ett meddelande"
    assert focused(page)["id"] == "id_body"
    assert page.evaluate("document.activeElement === document.querySelector('#composer-form textarea')")
    assert page.locator("#id_body").is_visible()
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0  # scrolled into view
    page.keyboard.type("Skrivet direkt efter länken")
    assert page.locator("#id_body").input_value() == "Skrivet direkt efter länken"


def test_the_link_under_the_heading_puts_the_cursor_in_the_message_box(browser, live_server, demo, axe):
    page = erik_on_the_big_thread(browser, live_server)
    link = page.locator("main h1 + * a[href='#id_body']")
    assert link.inner_text() == "Skriv ett meddelande"
    link.click()
    assert focused(page)["id"] == "id_body"
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    link.click()  # a second time, with #id_body already in the address
    assert focused(page)["id"] == "id_body"
    assert_accessible(page, axe)


def test_the_message_box_follows_the_newest_message_and_keeps_the_focus_after_sending(browser, live_server, demo):
    page = erik_on_the_big_thread(browser, live_server)
    thread = Thread.objects.get(title=BIG_THREAD_TITLE)
    newest = thread.messages.latest("pk")
    # Going back from the box, the first thing met is the newest message (its last link).
    page.focus("#id_body")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.closest('#messages > li')?.id") == f"message-{newest.pk}"

    page.fill("#id_body", "Svar skrivet i rutan")
    page.click("#composer-form button[type=submit]")
    page.locator("#messages > li:last-child", has_text="Svar skrivet i rutan").wait_for()
    assert focused(page)["id"] == "id_body"
    assert page.locator("#id_body").input_value() == ""
    assert thread.messages.latest("pk").author == User.objects.get(email="erik@lund.demo.example")


def test_the_links_hide_while_the_discussion_is_locked_live_and_come_back(browser, demo):
    require_shared_services()
    thread = Thread.objects.get(title=BIG_THREAD_TITLE)
    with web_server() as address:
        server = SimpleNamespace(url=f"http://{address}")
        erik = erik_on_the_big_thread(browser, server)
        erik.wait_for_selector("#live-state:not([hidden])")
        anna = browser.new_context(locale="sv-SE").new_page()
        sign_in(anna, server, "anna@vaxjo.demo.example")
        anna.wait_for_url(re.compile(r"/dashboard/$"))

        anna.goto(f"{server.url}/threads/{thread.pk}/lock/")
        anna.fill("textarea[name=reason]", "Paus i diskussionen.")
        anna.locator("main form button[type=submit]").click()
        erik.wait_for_selector("#composer-form[hidden]", state="attached", timeout=3000)
        hidden = erik.locator("[data-composer-link]").evaluate_all("links => links.map(link => link.hidden)")
        assert hidden == [True, True]

        anna.goto(f"{server.url}/threads/{thread.pk}/lock/")
        anna.locator("main form button[type=submit]").click()
        erik.wait_for_selector("#composer-form:not([hidden])", timeout=3000)
        erik.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
        tabs, link = tabs_to_the_message_box(erik)
        assert tabs <= FEW_TABS and link == "Skriv ett meddelande" and focused(erik)["id"] == "id_body"


def test_typing_at_and_a_name_offers_people_to_mention_by_keyboard(browser, live_server, demo, axe):
    page = erik_on_the_big_thread(browser, live_server)
    page.focus("#id_body")
    page.keyboard.type("Hej @ann")
    option = page.locator("#mention-options [role=option]", has_text="Anna Andersson")
    option.wait_for()
    box = page.locator("#id_body")
    assert box.get_attribute("aria-controls") == "mention-options"
    assert box.get_attribute("aria-autocomplete") == "list"
    active = box.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    found = page.locator("#mention-status").inner_text()
    assert found  # how many, and how to choose (read out by the status role)
    assert_accessible(page, axe)
    while page.locator(f"#{box.get_attribute('aria-activedescendant')}").inner_text().split(" (")[0] != (
        "Anna Andersson"
    ):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert box.input_value() == "Hej @Anna Andersson "
    assert page.locator("#mention-options").is_hidden()
    assert box.get_attribute("aria-activedescendant") is None
    assert focused(page)["id"] == "id_body"

    page.keyboard.type("och @zzzz")
    page.wait_for_function("found => document.getElementById('mention-status').textContent !== found", arg=found)
    assert page.locator("#mention-options").is_hidden()
    page.keyboard.type(" @erik")
    page.locator("#mention-options [role=option]").first.wait_for()
    page.keyboard.press("Escape")
    assert page.locator("#mention-options").is_hidden()
    assert box.input_value() == "Hej @Anna Andersson och @zzzz @erik"  # Escape leaves the text as typed
