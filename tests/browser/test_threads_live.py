"""Two people on the same discussion in two browsers, over a real ASGI server: one posts, the
other sees it without reloading; the second loses its connection while the first posts twice,
and after reconnecting has both, in order, once each. axe-core checks the thread pages."""

import re
import time
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from discussions.models import Thread
from notifications.models import Notification
from tests.browser.test_foundation_pages import assert_accessible, sign_in
from tests.dialogues.servers import WebProcess, require_shared_services, web_process, web_server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def signed_in_page(browser, server, email):
    page = browser.new_context(locale="sv-SE").new_page()
    page.set_default_timeout(15_000)
    sign_in(page, server, email)
    page.wait_for_url(re.compile(r"/dashboard/$"))
    return page


def send(page, text):
    page.fill("#composer-form textarea", text)
    page.click("#composer-form button[type=submit]")


def test_two_people_talk_live_and_nothing_is_lost_across_a_dropped_connection(browser, axe, demo):
    require_shared_services()
    thread = Thread.objects.get(title__startswith="Laddning vid depåerna")
    with web_server() as address:
        server = SimpleNamespace(url=f"http://{address}")
        anna = signed_in_page(browser, server, "anna@vaxjo.demo.example")
        erik = signed_in_page(browser, server, "erik@lund.demo.example")

        # Erik's socket goes through a route the test can cut, like a network that drops.
        network = {"up": True, "sockets": []}

        def route(socket):
            if not network["up"]:
                socket.close()
                return
            socket.connect_to_server()
            network["sockets"].append(socket)

        erik.route_web_socket(re.compile(r"/ws/threads/"), route)
        for page in (anna, erik):
            page.goto(f"{server.url}{thread.get_absolute_url()}")
        erik.wait_for_selector("#live-state:not([hidden])")
        anna.wait_for_selector("#presence-text:has-text('Erik Lindqvist')")
        assert_accessible(erik, axe)
        erik.evaluate("window.loadedOnce = true")

        started = time.monotonic()
        send(anna, "Syns detta direkt, Erik?")
        erik.locator("#messages li", has_text="Syns detta direkt, Erik?").wait_for(timeout=1000)
        assert time.monotonic() - started < 1.0
        erik.wait_for_selector("#live-announcer:has-text('Nytt meddelande från Anna Andersson')", timeout=2000)
        # her box empties once the server has taken the message (which may be after Erik has it)
        expect(anna.locator("#composer-form textarea")).to_have_value("")

        # Erik's connection drops; it stays down while Anna posts twice.
        network["up"] = False
        for socket in network["sockets"]:
            socket.close()
        erik.wait_for_selector("#live-state:has-text('Anslutningen bröts')")
        send(anna, "Första medan Erik var borta")
        anna.locator("#messages li", has_text="Första medan Erik var borta").wait_for()
        send(anna, "Andra medan Erik var borta")
        anna.locator("#messages li", has_text="Andra medan Erik var borta").wait_for()
        assert erik.locator("#messages li", has_text="medan Erik var borta").count() == 0

        # Back online: the page reconnects by itself and catches up.
        network["up"] = True
        erik.locator("#messages li", has_text="Andra medan Erik var borta").wait_for(timeout=20_000)
        texts = erik.locator("#messages > li .message-body").all_inner_texts()
        assert texts[-3:] == ["Syns detta direkt, Erik?", "Första medan Erik var borta", "Andra medan Erik var borta"]
        assert erik.evaluate("window.loadedOnce") is True  # the same page: no reload
        assert len(set(erik.locator("#messages > li").evaluate_all("items => items.map(i => i.id)"))) == len(texts)

        # Bad input keeps the typed text and says why.
        send(erik, "x" * 5001)
        erik.wait_for_selector("#composer-error:not([hidden])")
        assert "högst 5000 tecken" in erik.locator("#composer-error").inner_text()
        assert len(erik.locator("#composer-form textarea").input_value()) == 5001
        box = erik.locator("#composer-form textarea")  # the error is tied to the box, in a live region
        assert box.get_attribute("aria-invalid") == "true"
        assert "composer-error" in box.get_attribute("aria-describedby").split()
        assert erik.locator("[role=alert] #composer-error").count() == 1
        assert_accessible(erik, axe)

        # Anna corrects her last message, then looks at its history; as coordinator she may moderate.
        own = anna.locator("#messages > li", has_text="Andra medan Erik var borta")
        own.get_by_role("link", name="Redigera").click()
        assert_accessible(anna, axe)
        anna.fill("textarea[name=body]", "Andra medan Erik var borta (rättad)")
        anna.locator("main form button[type=submit]").click()
        anna.wait_for_selector("#messages > li:has-text('(rättad)')")
        erik.locator("#messages > li", has_text="(rättad)").wait_for(timeout=2000)  # the edit arrives live too
        anna.locator("#messages > li", has_text="(rättad)").get_by_role("link", name="ändrat").click()
        assert "Andra medan Erik var borta" in anna.locator("main").inner_text()
        assert_accessible(anna, axe)
        anna.goto(f"{server.url}{thread.get_absolute_url()}")
        anna.locator("#messages > li", has_text="Syns detta direkt").get_by_role("link", name="Moderera").click()
        assert_accessible(anna, axe)
        anna.goto(f"{server.url}/threads/{thread.pk}/lock/")
        assert_accessible(anna, axe)
        anna.goto(f"{server.url}/threads/group/fossilfria-arbetsmaskiner/")
        assert_accessible(anna, axe)
        anna.goto(f"{server.url}{thread.get_absolute_url()}?page=2")
        assert_accessible(anna, axe)


def test_a_message_read_live_is_not_left_unread_in_the_notification_centre(browser, demo):
    """The open, visible page tells the server it showed the message (static/js/thread.js):
    Erik's notification of it is read without his opening anything."""
    require_shared_services()
    thread = Thread.objects.get(title__startswith="Laddning vid depåerna")
    erik_user = User.objects.get(email="erik@lund.demo.example")

    def erik_unread():
        return Notification.objects.unread().filter(recipient=erik_user, collapse_key=f"thread-{thread.pk}").count()

    with web_server() as address:
        server = SimpleNamespace(url=f"http://{address}")
        anna = signed_in_page(browser, server, "anna@vaxjo.demo.example")
        erik = signed_in_page(browser, server, "erik@lund.demo.example")
        for page in (anna, erik):
            page.goto(f"{server.url}{thread.get_absolute_url()}")
        erik.wait_for_selector("#live-state:not([hidden])")
        assert erik_unread() == 0  # opening the discussion read what was there

        send(anna, "Läser du detta live, Erik?")
        erik.locator("#messages li", has_text="Läser du detta live, Erik?").wait_for(timeout=2000)
        deadline = time.monotonic() + 10
        while erik_unread() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert erik_unread() == 0
        assert Notification.objects.filter(recipient=erik_user, collapse_key=f"thread-{thread.pk}").exists()


# Every socket the page opens records the code it was closed with (the page's own handlers stay).
RECORD_CLOSE_CODES = """
window.closeCodes = [];
window.WebSocket = class extends window.WebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("close", (event) => window.closeCodes.push(event.code));
  }
};
"""


def test_a_page_reconnects_to_the_process_that_replaces_a_stopped_one(browser, demo):
    """A deploy stops the web process with SIGTERM: it closes the page's sockets with 1012
    ("service restart"). The page says the connection broke, not that access was lost, and once
    a new process serves the same address it reconnects by itself and catches up."""
    require_shared_services()
    thread = Thread.objects.get(title__startswith="Laddning vid depåerna")
    with web_process() as first:
        server = SimpleNamespace(url=f"http://{first.address}")
        anna = signed_in_page(browser, server, "anna@vaxjo.demo.example")
        erik = signed_in_page(browser, server, "erik@lund.demo.example")
        erik.add_init_script(RECORD_CLOSE_CODES)
        for page in (anna, erik):
            page.goto(f"{server.url}{thread.get_absolute_url()}")
        erik.wait_for_selector("#live-state:not([hidden])")
        erik.evaluate("window.loadedOnce = true")

        first.stop()  # SIGTERM, as a deploy sends it
        erik.wait_for_selector("#live-state:has-text('Anslutningen bröts')")
        assert 1012 in erik.evaluate("window.closeCodes")  # not 4403: the page shows no "access lost"

        second = WebProcess()
        second.port, second.address = first.port, first.address  # where the pages are
        try:
            second.start()
            send(anna, "Efter omstarten")
            anna.locator("#messages li", has_text="Efter omstarten").wait_for()
            erik.locator("#messages li", has_text="Efter omstarten").wait_for(timeout=40_000)
            erik.wait_for_selector("#live-state:has-text('Direkt')", timeout=40_000)
            assert erik.evaluate("window.loadedOnce") is True  # the same page: no reload
        finally:
            second.stop()
