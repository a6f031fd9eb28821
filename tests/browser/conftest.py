"""Browser tests: Debian's chromium driven by Playwright, never a downloaded browser."""

import os
import threading
import time

import pytest

from tests.browser.visited import Visits, fail_on

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's sync API runs an event loop on this thread; the ORM calls that set up the
# data in these tests are ordinary synchronous code and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    # Browser tests run last: Playwright's sync API keeps an event loop running in the main
    # thread for as long as the session's browser lives, and the async tests (WebSocket
    # consumers) cannot start their own loop after that.
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))


VISITS = Visits()  # one for the session: each (route, person) is checked once


def pytest_terminal_summary(terminalreporter):
    if VISITS.checked:
        terminalreporter.write_sep("-", "pages the browser tests visited")
        terminalreporter.write_line(VISITS.summary())


@pytest.fixture(autouse=True)
def _visit_checks(request, live_server):
    """Re-open the pages this test's browsers visited (tests/browser/visited.py): those of a
    context it closes when it closes, those of the contexts it leaves open here, after the test
    and before the database is emptied (pytest-django's helper was set up first)."""
    marker = request.node.get_closest_marker("no_visit_checks")
    if marker and not marker.kwargs.get("reason"):
        pytest.fail("@pytest.mark.no_visit_checks needs a reason=")
    VISITS.base_url, VISITS.enabled = live_server.url, marker is None
    yield
    problems = VISITS.check_open()
    VISITS.base_url, VISITS.enabled = None, True
    wait_for_live_requests()
    fail_on(problems)


def wait_for_live_requests(timeout: float = 10.0) -> None:
    """Let the live server finish the requests the closed pages had sent. Closing a context
    drops its connections, but a request already in a server thread runs on; one still writing
    when pytest-django empties the database can deadlock with the TRUNCATE (seen in CI: "couldn't
    be flushed" after test_session_timeout). The server's request threads are named after
    socketserver's process_request_thread and end when their connection closes."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))


# Per module, not per session: Playwright's sync API keeps an event loop running on the main
# thread while it is open, and async tests (Channels consumers) that run after the browser
# tests cannot start theirs.
@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: scripts/ensure-chromium should have installed it")
        pytest.skip("chromium is not installed (scripts/ensure-chromium installs it)")
    from playwright.sync_api import sync_playwright

    # launch() gives every run a fresh, empty profile of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        new_context = browser.new_context

        def new_watched_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            VISITS.watch(context)
            return context

        browser.new_context = new_watched_context
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()
