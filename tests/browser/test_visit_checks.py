"""The checks every browser test's pages go through (tests/browser/visited.py) fail a page that
scrolls sideways at 320 px and a page html5lib has to repair, and name both: the same watch,
close and check the conftest's `browser` fixture puts on every context, here with pages made to
fail (served by the context's route, at addresses on the live server)."""

import pytest

from tests.browser.visited import Visits

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.no_visit_checks(reason="its pages are made to fail; it checks them with a Visits of its own"),
]

HEAD = '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Prov</title></head><body>'
PAGES = {
    "/visit-checks/too-wide/": HEAD + '<main><div class="trap" style="width: 600px">Bred</div></main></body></html>',
    "/visit-checks/misparsed/": HEAD + "<main><p><span><ul><li>Regel</ul></span></main></body></html>",
    # The bug these checks found first: a visually hidden column heading (absolutely positioned)
    # escapes its table's scrolling box, which is not positioned, and widens the page.
    "/visit-checks/escapes-its-box/": HEAD
    + '<main><div style="overflow-x: auto"><table><tr><td style="min-width: 500px">Bred kolumn</td>'
    + '<td><span class="hidden-heading" style="position: absolute">Åtgärder</span></td></tr></table></div>'
    + "</main></body></html>",
    "/visit-checks/fine/": HEAD + "<main><p>Ryms och tolkas som skrivet.</p></main></body></html>",
    "/visit-checks/used-up/": HEAD + '<main><div style="width: 600px">Engångslänk</div></main></body></html>',
}


def test_a_page_too_wide_at_320px_and_a_page_with_a_parse_error_fail_the_test(browser, live_server):
    visits = Visits()
    visits.base_url = live_server.url
    context = browser.new_context(locale="sv-SE")
    visits.watch(context)
    served = set()

    def serve(route):
        path = route.request.url.removeprefix(live_server.url)
        if path == "/visit-checks/used-up/" and path in served:
            route.fulfill(status=404, content_type="text/html", body=HEAD + "<p>Redan använd.</p>")
            return
        served.add(path)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=PAGES[path])

    context.route(f"{live_server.url}/visit-checks/**", serve)
    page = context.new_page()
    for path in PAGES:
        page.goto(live_server.url + path)

    with pytest.raises(pytest.fail.Exception) as failure:
        context.close()

    report = str(failure.value)
    assert "4 problems" in report, report
    assert f"{live_server.url}/visit-checks/too-wide/ (as anonymous): scrolls 288px sideways" in report
    assert 'div.trap <div class="trap" style="width: 600px">' in report
    assert f"{live_server.url}/visit-checks/misparsed/ (as anonymous): parse error line 1:" in report
    assert "unexpected-end-tag {'name': 'span'}" in report
    # Named is the heading that escapes the box, not the cells the box scrolls.
    assert "/visit-checks/escapes-its-box/ (as anonymous): scrolls" in report
    assert "furthest right" in report and "span.hidden-heading <span" in report
    assert "/fine/" not in report and "/used-up/" not in report  # a one-time link, used up: skipped
    assert {route for route, _ in visits.checked} == set(PAGES) - {"/visit-checks/used-up/"}
    assert visits.skipped == [("/visit-checks/used-up/", "anonymous")]
