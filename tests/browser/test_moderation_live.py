"""Moderation in real browsers over a real ASGI server: an observer reports a message, the
facilitator finds it in the queue and removes it after a confirmation step, and the message
turns into "removed by a moderator" in the observer's open page without a reload; a lock
arrives the same way. axe-core checks every moderation page on the way."""

import re
from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import User
from discussions.models import Thread
from tests.browser.test_foundation_pages import assert_accessible
from tests.browser.test_indicator import demo, sign_in_with_code  # noqa: F401 (fixture)
from tests.browser.test_threads_live import send, signed_in_page
from tests.dialogues.servers import require_shared_services, web_server

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_facilitator_removes_a_message_and_it_disappears_live(browser, axe, demo):  # noqa: F811
    require_shared_services()
    thread = Thread.objects.get(title__startswith="Laddning vid depåerna")
    secret = generate_totp_secret()
    TOTP.activate(User.objects.get(email="facilitator@demo.example"), secret)
    with web_server() as address:
        server = SimpleNamespace(url=f"http://{address}")
        erik = signed_in_page(browser, server, "erik@lund.demo.example")
        olle = signed_in_page(browser, server, "olle@energi.demo.example")
        for page in (erik, olle):
            page.goto(f"{server.url}{thread.get_absolute_url()}")
            page.wait_for_selector("#live-state:not([hidden])")
        send(erik, "Ni på Energimyndigheten begriper ingenting.")
        rude = olle.locator("#messages > li", has_text="begriper ingenting")
        rude.wait_for()
        message_id = rude.get_attribute("id")

        # Olle reports it from the live page (the report link came with the live message).
        rude.get_by_role("link", name="Anmäl").click()
        olle.wait_for_url(re.compile(r"/moderation/report/message/\d+/$"))
        assert_accessible(olle, axe)
        olle.locator("main form button[type=submit]").click()  # no reason: refused, nothing lost
        olle.wait_for_selector("main .errorlist")
        olle.fill("textarea[name=reason]", "Nedsättande mot en medlem.")
        olle.locator("main form button[type=submit]").click()
        olle.wait_for_selector(f"#{message_id}")
        olle.wait_for_selector("#live-state:not([hidden])")

        # Fia finds the report in the queue, looks at it and removes the message.
        fia = browser.new_context(locale="sv-SE").new_page()
        fia.set_default_timeout(15_000)
        sign_in_with_code(fia, server, "facilitator@demo.example", secret)
        fia.goto(f"{server.url}/moderation/")
        assert_accessible(fia, axe)
        fia.get_by_role("link", name="Öppna anmälan").first.click()
        fia.wait_for_selector("main:has-text('Nedsättande mot en medlem.')")
        assert_accessible(fia, axe)
        fia.get_by_role("link", name="Ta bort innehållet …").click()
        assert_accessible(fia, axe)
        fia.fill("textarea[name=reason]", "Personangrepp, se uppförandekoden.")
        fia.get_by_role("button", name="Fortsätt").click()
        fia.wait_for_selector("#confirm-hide")
        assert_accessible(fia, axe)
        assert "begriper ingenting" in olle.locator(f"#{message_id}").inner_text()  # not before confirming
        fia.get_by_role("button", name="Ja, ta bort det").click()
        fia.wait_for_url(re.compile(r"/moderation/reports/\d+/$"))

        # Olle's page, open all along, shows the removal in place of the text.
        olle.wait_for_selector(f"#{message_id}:has-text('Borttaget av en moderator: Personangrepp')", timeout=3000)
        assert "begriper ingenting" not in olle.locator(f"#{message_id}").inner_text()
        assert olle.locator(f"#{message_id}").get_by_role("link", name="Anmäl").count() == 0
        assert_accessible(olle, axe)

        # A lock reaches the open pages the same way.
        fia.goto(f"{server.url}/threads/{thread.pk}/lock/")
        fia.fill("textarea[name=reason]", "Paus i diskussionen.")
        fia.locator("main form button[type=submit]").click()
        olle.wait_for_selector("#locked-notice:has-text('Paus i diskussionen.')", timeout=3000)
        erik.wait_for_selector("#composer-form[hidden]", state="attached", timeout=3000)

        # The other moderation pages pass axe too.
        fia.goto(f"{server.url}/facilitator/")
        fia.wait_for_selector("#waiting-reports")
        assert_accessible(fia, axe)
        erik_user = User.objects.get(email="erik@lund.demo.example")
        fia.goto(f"{server.url}/moderation/users/{erik_user.pk}/suspend/")
        assert_accessible(fia, axe)
        fia.fill("textarea[name=reason]", "Upprepade personangrepp.")
        fia.get_by_role("button", name="Fortsätt").click()
        fia.wait_for_selector("#confirm-suspend")
        assert_accessible(fia, axe)
        fia.get_by_role("button", name="Ja, stäng av").click()
        fia.wait_for_url(re.compile(r"/moderation/suspensions/$"))
        assert_accessible(fia, axe)
        erik.goto(f"{server.url}/moderation/code-of-conduct/")
        erik.wait_for_selector("main:has-text('Upprepade personangrepp.')")
        assert_accessible(erik, axe)
