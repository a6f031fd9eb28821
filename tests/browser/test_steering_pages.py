"""Issue 20's pages in a real browser: the agenda, experience reports, guidance, the programme
view, the annual report, outreach and group contacts, for the people who use them. At 320 CSS px
none scrolls sideways and the header leaves most of the first screen to the page; axe-core
checks each one (WCAG 2.1 AA)."""

import pytest
from django.utils import timezone

from guidance.seed import seed_guidance
from tests.browser.test_indicator import demo  # noqa: F401  (the demo, with the seeded statements)
from tests.browser.test_reflow import assert_reflows, new_page, signed_in

pytestmark = pytest.mark.django_db(transaction=True)

ENDED = "digitala-trygghetslarm"  # the demo group that procured, with its published report
SAME_THEME = "valfardsteknik-i-hemtjansten"


@pytest.fixture
def guidance(demo):  # noqa: F811
    seed_guidance()  # transactional tests flush what the migration seeded


def test_facilitator_pages_of_the_programme_reflow_and_pass_axe(browser, axe, live_server, guidance):
    page = signed_in(browser, live_server, "facilitator@demo.example")
    year = timezone.localdate().year
    for path in [
        "/agenda/",
        "/indicator/programme/",
        "/indicator/programme/?year=all",
        f"/indicator/report/{year}/",
        "/indicator/outreach/",
        "/indicator/outreach/new/",
        "/experience/",
        "/experience/review/",
        f"/experience/groups/{ENDED}/",
        "/guidance/",
        "/guidance/market-consultation/",
        "/guidance/market-consultation/edit/",
        "/groups/fossilfria-arbetsmaskiner/contacts/",
    ]:
        assert_reflows(page, axe, live_server.url + path)
    # The annual report names how each figure is computed and offers its data.
    page.goto(f"{live_server.url}/indicator/report/{year}/")
    assert page.locator("main table").count() >= 5
    csv = page.get_by_role("link", name="CSV").count()
    assert csv > 0 and page.get_by_role("link", name="JSON").count() == csv + 1  # and one with every table


def test_coordinator_and_supplier_pages_reflow_and_pass_axe(browser, axe, live_server, guidance):
    anna = signed_in(browser, live_server, "anna@vaxjo.demo.example")
    for path in [
        "/agenda/",
        f"/groups/{SAME_THEME}/",
        f"/groups/{ENDED}/",
        "/experience/",
        "/groups/fossilfria-arbetsmaskiner/stages/",
    ]:
        assert_reflows(anna, axe, live_server.url + path)
    # The group on the same theme shows the published report of the one that ended.
    anna.goto(f"{live_server.url}/groups/{SAME_THEME}/")
    assert anna.locator("main").get_by_role("link", name="Digital trygghetslarm").count() >= 1
    # The header's count is the agenda's length, said in words to a screen reader.
    anna.goto(live_server.url + "/agenda/")
    items = anna.locator("main li.agenda-item").count()
    assert items > 0
    header_link = anna.locator(".site-header a[href='/agenda/']")  # in the folded menu at 320 px
    assert f"Att göra, {items} " in header_link.text_content()

    sara = signed_in(browser, live_server, "sara@solvent.demo.example")
    assert_reflows(sara, axe, live_server.url + "/agenda/")


def test_public_pages_of_the_programme_reflow_and_pass_axe(browser, axe, live_server, guidance):
    page = new_page(browser)
    for path in [
        "/experience/",
        f"/experience/groups/{ENDED}/",
        "/guidance/",
        "/guidance/early-dialogue/",
        f"/groups/{ENDED}/",
    ]:
        assert_reflows(page, axe, live_server.url + path)
