"""Every page works under the Content Security Policy (config/settings.py SECURE_CSP): no
inline script, no event-handler attribute, no inline style, no javascript: link, on any page
of the matrix as the cast sees it; and the policy header is on every page."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.security.matrix import client_for
from tests.security.permission_table import ROWS

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCode(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.problems = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and attributes.get("type") not in DATA_SCRIPT_TYPES:
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
            if name == "style":
                self.problems.append(f"style= on <{tag}> at line {self.getpos()[0]}")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: {name} on <{tag}> at line {self.getpos()[0]}")


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "supplier", "facilitator"])
def test_no_page_needs_inline_code(world, role):
    client = client_for(world.users[role])
    problems, pages = [], 0
    for row in ROWS:
        if row.get[role] != 200:
            continue
        response = client.get(reverse(row.name, kwargs=row.kwargs(world, world.A)))
        if not response["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        assert "Content-Security-Policy" in response.headers, row.label
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], row.label
        problems += [f"{row.label}: {problem}" for problem in InlineCode(response.content.decode()).problems]
    assert pages > 10
    assert not problems, "\n".join(problems)
