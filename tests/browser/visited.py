"""Every page a browser test opens is opened once more, as the same person, at 320×800 CSS px:
it must not scroll sideways (WCAG 1.4.10 Reflow) and html5lib must parse it without one error
(tests/html_parsing.py). The tests then hold every page they reach to this, not only the fixed
lists of tests/browser/test_reflow.py and the permission matrix.

tests/browser/conftest.py wires it in: its `browser` fixture passes every new context to
Visits.watch, which notes the HTML documents the context's pages navigate to (main frame, GET,
2xx, text/html) and checks them when the context closes; the contexts a test leaves open are
checked at the end of the test (Visits.check_open), while the live server and the test's
database still exist. Each (route, person) is checked once per session: a person plays one role
in these tests (Anna coordinates, Erik is a member, Sara supplies …), and one role can see more
on the same route than another (a coordinator's buttons). Tests that must not be re-visited say
so with @pytest.mark.no_visit_checks(reason=…).

Playwright's sync API must not be called from its own event handlers: the handler only notes
the address, and the pages are opened later, from the test's thread."""

import time
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import Resolver404, resolve

from tests.html_parsing import parse_errors

PHONE = {"width": 320, "height": 800}

# Pages whose GET changes something and must be opened only by the test itself. Checked: every
# GET in the project's urls only shows a page (unsubscribe and invitations ask before they act).
NOT_REVISITED = {
    "account_reset_password_from_key": "its GET moves the e-mailed key into the session",
}

# The element sticking out furthest to the right, the innermost one when several end at the
# same place: that is the one to fix. What a scrolling box clips does not count (an absolutely
# positioned element escapes a box that is not positioned, so it always counts).
WIDEST = """() => {
    const root = document.documentElement;
    const overflow = root.scrollWidth - root.clientWidth;
    if (overflow <= 0) return null;
    const clipped = element => {
        if (["absolute", "fixed"].includes(getComputedStyle(element).position)) return false;
        for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
            if (getComputedStyle(box).overflowX !== "visible") return true;
        }
        return false;
    };
    let widest = null, right = root.clientWidth;
    for (const element of document.querySelectorAll("body *")) {
        const edge = element.getBoundingClientRect().right;
        if (edge >= right && edge > root.clientWidth && !clipped(element)) { right = edge; widest = element; }
    }
    if (!widest) return {overflow, element: "(no element: a margin or a transform?)", right};
    const classes = [...widest.classList].map(name => "." + name).join("");
    const id = widest.id ? "#" + widest.id : "";
    const markup = widest.outerHTML.replace(/\\s+/g, " ").slice(0, 160);
    return {overflow, element: widest.tagName.toLowerCase() + id + classes + " " + markup, right: Math.round(right)};
}"""


def route_of(path: str) -> str:
    """'/groups/laddning/needs/3/' → 'groups:need-detail' (the URL's name), or the path if it has none."""
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name or match.route


def person_in(context, url: str) -> str:
    """Who the context's session cookie signs in: the person's e-mail address, or 'anonymous'."""
    cookie = next((c for c in context.cookies(url) if c["name"] == settings.SESSION_COOKIE_NAME), None)
    if cookie is None:
        return "anonymous"
    session = import_module(settings.SESSION_ENGINE).SessionStore(cookie["value"])
    user = get_user_model().objects.filter(pk=session.get(SESSION_KEY)).first()
    return user.email if user else "anonymous"


def page_problems(page, url: str) -> list[str] | None:
    """Open url in page at 320×800: what is wrong with it, or None when it is no longer an HTML
    page that answers 2xx without a redirect (a one-time link the test has used up)."""
    page.set_viewport_size(PHONE)
    response = page.goto(url)
    if (
        response is None
        or not response.ok
        or response.request.redirected_from is not None
        or not response.headers.get("content-type", "").startswith("text/html")
    ):
        return None
    problems = []
    widest = page.evaluate(WIDEST)
    if widest:
        problems.append(
            f"scrolls {widest['overflow']}px sideways at 320px; furthest right (to {widest['right']}px): "
            f"{widest['element']}"
        )
    problems += [f"parse error {error}" for error in parse_errors(response.text())]
    return problems


@dataclass
class Watched:
    """A context's pages' addresses not checked yet."""

    urls: list[str] = field(default_factory=list)
    checking: bool = False


class Visits:
    def __init__(self):
        self.base_url = None  # the live server, set for each test by the conftest
        self.enabled = True
        self.checked: dict[tuple[str, str], list[str]] = {}  # (route, person) → its problems
        self.skipped: list[tuple[str, str]] = []  # no longer pages when re-opened: tried again next time
        self.watched: dict[object, Watched] = {}  # the open contexts
        self.seconds = 0.0  # spent re-opening pages: what these checks add to the browser tests

    def watch(self, context) -> None:
        """Note the pages context navigates to; check them before it closes."""
        watched = self.watched[context] = Watched()

        def on_response(response):  # Playwright's thread of events: note, never call back
            request = response.request
            if (
                self.enabled
                and not watched.checking
                and request.is_navigation_request()
                and request.method == "GET"
                and response.frame.parent_frame is None
                and 200 <= response.status < 300
                and response.headers.get("content-type", "").startswith("text/html")
            ):
                watched.urls.append(response.url)

        context.on("response", on_response)
        close = context.close

        def close_after_checking(*args, **kwargs):
            try:
                problems = self.check(context)
            finally:
                close(*args, **kwargs)
            fail_on(problems)

        context.close = close_after_checking

    def check(self, context) -> list[str]:
        """Re-open, in a new page of context, every page it visited whose (route, person) this
        session has not checked yet; the problems found."""
        watched = self.watched.pop(context, None)
        if watched is None or not watched.urls or self.base_url is None:
            return []
        watched.checking = True
        problems, page, started = [], None, time.monotonic()
        try:
            for visited in dict.fromkeys(watched.urls):
                parts = urlsplit(visited)
                route = route_of(parts.path)
                if route in NOT_REVISITED:
                    continue
                # Always from the live server: a test's own server (Daphne) may have stopped.
                url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
                carry_cookies(context, visited, self.base_url)
                key = (route, person_in(context, url))
                if key in self.checked:
                    continue
                page = page or context.new_page()
                found = page_problems(page, url)
                if found is None:
                    self.skipped.append(key)
                    continue
                self.checked[key] = found
                problems += [f"{url} (as {key[1]}): {problem}" for problem in found]
        finally:
            if page is not None:
                page.close()
            self.seconds += time.monotonic() - started
        return problems

    def check_open(self) -> list[str]:
        """Check the contexts the test left open, then close them: a page left open keeps its
        timers and reconnecting sockets going, and a request it sends while the test's database
        is being emptied can deadlock with the TRUNCATE (seen in CI: the flush failed)."""
        problems = []
        for context in list(self.watched):
            problems += self.check(context)
            try:
                context.close()
            except Exception:  # already closed with its browser, or the browser has gone
                pass
        return problems

    def summary(self) -> str:
        routes = {route for route, _ in self.checked}
        failed = sum(1 for problems in self.checked.values() if problems)
        return (
            f"{len(self.checked)} (route, person) pages re-opened at 320×800 and parsed with html5lib "
            f"({len(routes)} routes) in {self.seconds:.1f}s; {failed} with problems; "
            f"{len(self.skipped)} skipped, no longer pages when re-opened (used-up links, signed out); "
            f"routes never checked: {', '.join(sorted({route for route, _ in self.skipped} - routes)) or 'none'}"
        )


def carry_cookies(context, visited: str, base_url: str) -> None:
    """Give the live server the cookies of the server the page came from (a test's Daphne on
    127.0.0.1 and the live server on localhost do not share them)."""
    origin, base = urlsplit(visited), urlsplit(base_url)
    if origin.hostname == base.hostname:
        return
    cookies = context.cookies(f"{origin.scheme}://{origin.netloc}/")
    context.add_cookies(
        [{"name": c["name"], "value": c["value"], "url": base_url + "/", "httpOnly": c["httpOnly"]} for c in cookies]
    )


def fail_on(problems: list[str]) -> None:
    if problems:
        pytest.fail(
            f"{len(problems)} problems on pages this test visited, re-opened at 320×800:\n" + "\n".join(problems),
            pytrace=False,
        )
