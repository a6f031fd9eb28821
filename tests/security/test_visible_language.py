"""Every page of the permission table (permission_table.py), read as each of a handful of people,
shows no interface words of the other language in its visible text (WCAG 3.1.2, issue 19).

Only what a person sees or hears is read: text outside <script>/<style>, and the attributes
that are spoken or shown (alt, title, aria-label, placeholder, a button's value). The world's
content is Swedish, so the English deny-list cannot match user content on a Swedish page; on
an English page the Swedish deny-list holds interface words only (no world content uses them).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tests.security.matrix import client_for
from tests.security.permission_table import ROWS

# English that leaked onto Swedish pages before (issue 19): Django's blank choice, requirement
# priorities, access-log codes, commitment states, English month abbreviations (and allauth's
# misspelt Swedish). The access log's "export" is left out: it is a Swedish word too.
NOT_ON_SWEDISH_PAGES = (
    "Select an option",
    "must",
    "should",
    "view",
    "download",
    "interested",
    "committed",
    "Successfully",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
    # allauth's Swedish writes "epost-adress"; Swedish writes "e-postadress" (Språkrådet).
    "Epost",
    "epost",
    "Epost-adress",
    "epost-adress",
)
# Swedish interface words that must not be left on English pages.
NOT_ON_ENGLISH_PAGES = ("Logga", "Spara", "Sök", "Avbryt", "Skicka", "Välj", "Tillbaka", "Ladda")

# Pages that speak another person's language: an unsubscribe link answers in its owner's.
IN_THEIR_OWNERS_LANGUAGE = {"notifications:unsubscribe"}
READERS = ("anonymous", "member", "coordinator", "supplier", "facilitator")
SPOKEN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden_depth += 1
        attributes = dict(attrs)
        for name in SPOKEN_ATTRIBUTES & set(attributes):
            self.parts.append(attributes[name] or "")
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data):
        if not self._hidden_depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def whole_word(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")  # "view" is not in "view-knapp"


def words_found(text: str, words) -> list[str]:
    return [word for word in words if whole_word(word).search(text)]


def test_visible_text_skips_scripts_and_reads_spoken_attributes():
    html = '<p>Hej</p><script>var view = 1;</script><img alt="Dec"><input type="submit" value="Spara">'
    assert visible_text(html) == "Hej Dec Spara"
    assert words_found("Visa view-knapp och 4 december", NOT_ON_SWEDISH_PAGES) == []
    assert words_found("R1 (must)", NOT_ON_SWEDISH_PAGES) == ["must"]


def reader(world, role, language):
    """A client for the role that reads the site in `language`: a signed-in person's saved
    language wins (accounts.middleware.UserLanguageMiddleware), a visitor's cookie otherwise."""
    user = world.users[role]
    if user is not None:
        user.language = language
        user.save(update_fields=["language"])
    client = client_for(user)
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: language})
    return client


def leaks(world, role, language, words):
    client = reader(world, role, language)
    found, seen, pages = [], set(), 0
    for row in ROWS:
        if row.get[role] != 200 or row.name in IN_THEIR_OWNERS_LANGUAGE:
            continue
        url = reverse(row.name, kwargs=row.kwargs(world, world.A))
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        if response["Content-Language"] != language:
            found.append(f"{url}: served in {response['Content-Language']}, not {language}")
            continue
        text = visible_text(response.content.decode())
        for word in words_found(text, words):
            at = whole_word(word).search(text).start()
            found.append(f"{url}: {word!r} in …{text[max(0, at - 60) : at + 40]}…")
    assert pages >= 10, f"only {pages} pages read for {role}: is the permission table still filled?"
    return found


@pytest.mark.parametrize("role", READERS)
def test_swedish_pages_show_no_english_interface_words(world, role):
    found = leaks(world, role, "sv", NOT_ON_SWEDISH_PAGES)
    assert not found, f"{len(found)} English words on Swedish pages for {role}:\n" + "\n".join(found)


@pytest.mark.parametrize("role", READERS)
def test_english_pages_show_no_swedish_interface_words(world, role):
    found = leaks(world, role, "en", NOT_ON_ENGLISH_PAGES)
    assert not found, f"{len(found)} Swedish words on English pages for {role}:\n" + "\n".join(found)


# Templates the permission table's pages do not reach as a GET, each with why; every other
# template must be read in Swedish by test_every_template_is_read_in_swedish, so a new page's
# English cannot hide in a template no check renders.
EXPERIENCE_REPORT = "only for an ended group; the world's are ongoing (tests/experience/test_visible_language.py)"
NOT_REACHED_BY_A_GET = {
    "500.html": "static, written in both languages (no template tags can fail there)",
    "notifications/unsubscribe.html": "in its owner's language, whoever opens the link (tests/notifications)",
    "accounts/email/invitation.html": "an e-mail body, in the invitee's language (tests/accounts)",
    "notifications/email/digest.html": "an e-mail body, in its owner's language (tests/notifications)",
    "notifications/email/notification.html": "an e-mail body, in its owner's language (tests/notifications)",
    "accounts/organisation_resubmit.html": "only for a rejected organisation's administrator",
    "dialogues/conflict_clear.html": "only while a declared conflict waits to be cleared",
    "dialogues/dialogue_state_confirm.html": "answers a POST that changes a dialogue's state",
    "groups/need_move_confirm.html": "answers a POST that moves a need to another stage",
    "groups/_diff.html": "only between two versions of a need (tests/groups)",
    "groups/_ending.html": "only on an ended group's pages; the world's are ongoing (tests/groups/test_ending.py)",
    "groups/_ending_badge.html": "only for an ended group; the world's are ongoing (tests/groups/test_ending.py)",
    "groups/group_reopen.html": "only for an ended group; the world's groups are ongoing (tests/groups/test_ending.py)",
    "moderation/_removed.html": "only in place of content a moderator removed",
    "core/_error_summary.html": "only on a form with errors (tests/core/test_error_summary.py)",
    "experience/_figures.html": EXPERIENCE_REPORT,
    "experience/_group_report.html": EXPERIENCE_REPORT,
    "experience/_report_text.html": EXPERIENCE_REPORT,
    "experience/report_detail.html": EXPERIENCE_REPORT,
    "experience/report_form.html": EXPERIENCE_REPORT,
    "experience/report_review.html": EXPERIENCE_REPORT,
    "experience/report_submit.html": EXPERIENCE_REPORT,
    "experience/_same_theme.html": "only beside a published report on the same theme (tests/experience)",
}
# Error pages, rendered as the site renders them, by a request for each.
ERROR_PAGES = ("400.html", "403.html", "404.html", "405.html", "413.html", "429.html", "csrf_failure.html")


def project_templates() -> set[str]:
    names = set()
    for folder in Path(settings.BASE_DIR).glob("*/templates"):
        names |= {str(path.relative_to(folder)) for path in folder.rglob("*.html")}
    for folder in settings.TEMPLATES[0]["DIRS"]:
        names |= {str(path.relative_to(folder)) for path in Path(folder).rglob("*.html")}
    return names


def test_every_template_is_read_in_swedish(world, rf):
    read, found = set(), []
    for role in READERS:
        client = reader(world, role, "sv")
        for row in ROWS:
            if row.get[role] != 200 or row.name in IN_THEIR_OWNERS_LANGUAGE:
                continue
            response = client.get(reverse(row.name, kwargs=row.kwargs(world, world.A)))
            # a download's printable page (the record's ZIP) counts: leaks() reads HTML pages only
            read |= {template.name for template in response.templates or []}
    with translation.override("sv"):
        for name in ERROR_PAGES:
            request = rf.get("/")
            request.user = AnonymousUser()
            html = render_to_string(name, {"limit": "66 MB", "file_limit": "25 MB"}, request=request)
            found += [f"{name}: {word!r}" for word in words_found(visible_text(html), NOT_ON_SWEDISH_PAGES)]
            read.add(name)
    assert not found, "English on Swedish error pages:\n" + "\n".join(found)
    unread = project_templates() - read - set(NOT_REACHED_BY_A_GET)
    assert not unread, f"templates no Swedish page here renders: {sorted(unread)} (reach them or say why not)"
    stale = set(NOT_REACHED_BY_A_GET) & read
    assert not stale, f"now reached, take them off NOT_REACHED_BY_A_GET: {sorted(stale)}"
