"""The notification centre and the settings page in chromium, checked with axe-core."""

import re

import pytest
from django.core.management import call_command

from accounts.models import User
from groups.models import BuyerGroup
from notifications.models import Notification, NotificationPreference
from notifications.services import notify
from tests.browser.test_foundation_pages import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_centre_lists_marks_read_and_links_to_the_object(browser, axe, live_server, demo):
    anna = User.objects.get(email="anna@vaxjo.demo.example")
    group = BuyerGroup.objects.first()
    for organisation in ("Lunds kommun", "Region Kronoberg", "Trafikverket"):
        notify(
            kind="join_request",
            recipients=[anna],
            params={"organisation": organisation, "group": group.name},
            url=f"/groups/{group.slug}/members/",
            place=group,
            target=group,
        )
    page = browser.new_context(locale="sv-SE").new_page()
    sign_in(page, live_server, "anna@vaxjo.demo.example")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    unread = Notification.objects.filter(recipient=anna, read_at=None).count()
    assert page.locator("[data-unread-count]").inner_text() == f"{unread} olästa"

    page.get_by_role("link", name=re.compile("^Aviseringar")).click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Aviseringar"
    assert_accessible(page, axe)

    page.get_by_role("link", name=f"Trafikverket ansöker om att gå med i {group.name}.").click()
    page.wait_for_url(re.compile(rf"/groups/{group.slug}/members/$"))
    assert page.locator("[data-unread-count]").inner_text() == f"{unread - 1} olästa"

    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("button", name="Markera alla som lästa").click()
    page.wait_for_load_state()
    assert page.locator("[data-unread-count]").is_hidden()
    assert "Alla aviseringar är markerade som lästa." in page.locator("main").inner_text()
    assert_accessible(page, axe)

    # The group disappears: its items say so instead of failing.
    BuyerGroup.objects.filter(pk=group.pk).update(slug="borta")
    Notification.objects.filter(recipient=anna, target_id=group.pk).update(target_id=10**9)
    page.goto(f"{live_server.url}/notifications/")
    assert "finns inte längre" in page.locator("main").inner_text()
    assert_accessible(page, axe)


def test_settings_page_saves_a_choice_and_suppliers_pick_themes(browser, axe, live_server, demo):
    page = browser.new_context(locale="sv-SE").new_page()
    sign_in(page, live_server, "sara@solvent.demo.example")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    page.goto(f"{live_server.url}/notifications/preferences/")
    assert_accessible(page, axe)
    page.get_by_label("Nya meddelanden i trådar som du följer").select_option("immediately")
    page.get_by_label("Energi och klimat").check()
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert "Dina inställningar för aviseringar är sparade." in page.locator("main").inner_text()
    sara = User.objects.get(email="sara@solvent.demo.example")
    assert NotificationPreference.objects.get(user=sara, kind="thread_message").delivery == "immediately"
    assert list(sara.theme_follows.values_list("theme", flat=True)) == ["energy"]
    assert page.get_by_label("Energi och klimat").is_checked()
    assert_accessible(page, axe)
