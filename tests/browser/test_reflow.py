"""Reflow (WCAG 1.4.10): at 320 CSS px no page scrolls sideways, and the header, its menu
collapsed, leaves most of a phone's first screen to the page. axe-core checks each page too.

REFLOW_SHOTS=/some/dir also saves screenshots of four pages at 320 and 1280 px in Swedish and
English (test_screenshots_for_review), for a person to look at."""

import os
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command

from accounts.models import User
from discussions.demo import GROUP_SLUG
from groups.models import BuyerGroup
from tests.browser.test_foundation_pages import assert_accessible, sign_in
from tests.totp import current_code

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 320, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = os.environ.get("REFLOW_SHOTS", "")


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def new_page(browser, viewport=PHONE):
    page = browser.new_context(locale="sv-SE", viewport=viewport).new_page()
    page.set_default_timeout(15_000)
    return page


def signed_in(browser, live_server, email, viewport=PHONE):
    page = new_page(browser, viewport)
    user = User.objects.get(email=email)
    secret = None
    if user.is_facilitator:  # staff are held to two-factor on every page
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    sign_in(page, live_server, email)
    if secret:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
        page.fill("input[name=code]", current_code(secret))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    return page


def demo_paths():
    group = BuyerGroup.objects.get(slug=GROUP_SLUG)
    need = group.needs.order_by("pk").first()
    thread = group.threads.order_by("pk").first()
    dialogue = group.dialogues.order_by("pk").first()
    return {
        "directory": "/groups/",
        "group": group.get_absolute_url(),
        "need": need.get_absolute_url(),
        "discussion": thread.get_absolute_url(),
        "dialogue": dialogue.get_absolute_url(),
    }


def sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def header_share(page) -> float:
    height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    return height / page.viewport_size["height"]


def assert_reflows(page, axe, url):
    response = page.goto(url)
    assert response.status == 200, url
    overflow = sideways_overflow(page)
    assert overflow <= 0, f"{url} scrolls {overflow}px sideways at 320px"
    share = header_share(page)
    assert share < 0.25, f"{url}: the collapsed header takes {share:.0%} of the first screen"
    assert_accessible(page, axe)


def test_public_pages_reflow_at_320px(browser, axe, live_server, demo):
    page = new_page(browser)
    paths = demo_paths()
    for path in [
        "/",
        paths["directory"],
        paths["group"],  # the public summary, with the member authorities
        "/dialogues/?theme=transport&county=07&within=365&sort=-deadline",
        "/dialogues/?theme=food",  # nothing matches
        "/dialogues/?within=abc",  # a bad filter: the error summary
        "/search/?q=laddning",
        "/accounts/login/",
        "/accounts/signup/",
        "/indicator/statistics/",
    ]:
        assert_reflows(page, axe, live_server.url + path)


def test_member_pages_reflow_at_320px(browser, axe, live_server, demo):
    page = signed_in(browser, live_server, "anna@vaxjo.demo.example")
    paths = demo_paths()
    for path in [
        "/dashboard/",
        paths["directory"],
        paths["group"],
        paths["need"],
        paths["discussion"],
        paths["dialogue"],
        "/profile/",
        "/search/?q=laddning",
    ]:
        assert_reflows(page, axe, live_server.url + path)
    # The need's commitments table is wider than a phone: it scrolls in its own labelled box.
    page.goto(live_server.url + paths["need"])
    box = page.locator(".table-scroll[role=region][tabindex='0']").first
    assert box.get_attribute("aria-label")
    box.focus()
    page.keyboard.press("ArrowRight")
    # The arrow key scrolls smoothly: the box has moved a moment after the key press, not at it.
    page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle(), timeout=2000)


def test_sign_out_lines_up_with_the_menu_links(browser, live_server, demo):
    page = signed_in(browser, live_server, "anna@vaxjo.demo.example", DESKTOP)
    profile = page.locator(".nav").get_by_role("link", name="Profil").bounding_box()
    sign_out = page.locator(".nav").get_by_role("button", name="Logga ut").bounding_box()
    assert abs(profile["y"] - sign_out["y"]) <= 1 and abs(profile["height"] - sign_out["height"]) <= 1


def test_facilitator_pages_reflow_at_320px(browser, axe, live_server, demo):
    page = signed_in(browser, live_server, "facilitator@demo.example")
    for path in ["/dashboard/", "/facilitator/", "/indicator/", "/indicator/responses/", "/audit/"]:
        assert_reflows(page, axe, live_server.url + path)


def test_the_menu_opens_and_closes_from_the_keyboard_on_a_phone(browser, live_server, demo):
    page = new_page(browser)
    page.goto(live_server.url + "/groups/")
    toggle = page.locator(".menu-toggle")
    menu = page.locator("#site-menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link", name="Logga in").is_visible()
    box = toggle.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()


def test_the_menu_shows_without_javascript(browser, live_server, demo):
    context = browser.new_context(locale="sv-SE", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/groups/")
    assert page.locator("#site-menu").get_by_role("link", name="Logga in").is_visible()
    assert not page.locator(".menu-toggle").is_visible()
    assert sideways_overflow(page) <= 0
    context.close()


def test_the_menu_is_open_on_a_wide_screen(browser, live_server, demo):
    page = new_page(browser, DESKTOP)
    page.goto(live_server.url + "/groups/")
    assert page.locator("#site-menu").get_by_role("link", name="Logga in").is_visible()
    assert not page.locator(".menu-toggle").is_visible()


@pytest.mark.skipif(not SHOTS, reason="REFLOW_SHOTS names no folder for screenshots")
def test_screenshots_for_review(browser, live_server, demo):
    os.makedirs(SHOTS, exist_ok=True)
    anna = User.objects.get(email="anna@vaxjo.demo.example")
    paths = demo_paths()
    for language in ("sv", "en"):
        User.objects.filter(email__endswith="demo.example").update(language=language)
        for width, viewport in ((320, PHONE), (1280, DESKTOP)):
            page = signed_in(browser, live_server, anna.email, viewport)
            for name in ("directory", "need", "discussion"):
                page.goto(live_server.url + paths[name])
                page.screenshot(path=f"{SHOTS}/{name}-{language}-{width}.png", full_page=True)
            page.context.close()
            page = signed_in(browser, live_server, "facilitator@demo.example", viewport)
            page.goto(live_server.url + "/indicator/")
            page.screenshot(path=f"{SHOTS}/indicator-{language}-{width}.png", full_page=True)
            page.context.close()
