"""Issue 21's pages in a real browser, as anyone sees them: the API's documentation, the market
dialogues filtered, a group's member authorities and the indicator's public figures. At 320 CSS
px none scrolls sideways; axe-core checks each one (WCAG 2.1 AA)."""

import pytest

from tests.browser.test_indicator import demo  # noqa: F401  (the demo, with the seeded statements)
from tests.browser.test_reflow import assert_reflows, new_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_open_data_pages_reflow_and_pass_axe(browser, axe, live_server, demo):  # noqa: F811
    page = new_page(browser)
    for path in [
        "/api/v1/docs/",
        "/dialogues/",
        "/dialogues/?theme=transport&within=60&sort=-deadline",
        "/dialogues/?theme=nonsense&within=abc",
        "/groups/fossilfria-arbetsmaskiner/",
    ]:
        assert_reflows(page, axe, live_server.url + path)
    # The documentation lists every endpoint with an example a newcomer can copy.
    page.goto(live_server.url + "/api/v1/docs/")
    assert page.locator("main code", has_text="curl -s").count() >= 7
