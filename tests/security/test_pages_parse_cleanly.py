"""Every page of the permission matrix, as each role sees it, is markup the HTML parser takes
as written (WCAG 1.3.1 Info and relationships, 4.1.1 Parsing): html5lib reports every place
where it had to repair the page. A repaired page is not the page we wrote: a list inside a
<span> is moved out of it, and aria-describedby then points at an empty element."""

import html5lib
import pytest
from django.urls import reverse

from tests.html_parsing import parse_errors
from tests.security.matrix import client_for, request_cell_response
from tests.security.permission_table import ROWS
from tests.security.world import ROLES


def broken_references(html: str) -> list[str]:
    """aria-describedby and aria-labelledby naming an element that is not there or has no text
    (what a help text moved out of its field by the parser leaves behind)."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    texts = {element.get("id"): "".join(element.itertext()).strip() for element in tree.iter() if element.get("id")}
    problems = []
    for element in tree.iter():
        for attribute in ("aria-describedby", "aria-labelledby"):
            for element_id in (element.get(attribute) or "").split():
                if not texts.get(element_id):
                    state = "is empty" if element_id in texts else "is not on the page"
                    problems.append(f"<{element.tag} {attribute}> names #{element_id}, which {state}")
    return problems


def test_a_repaired_page_is_reported():
    assert parse_errors("<!DOCTYPE html><title>x</title><p><span><ul><li>rule</ul></span>")
    assert not parse_errors("<!DOCTYPE html><title>x</title><div><ul><li>rule</ul></div>")


def test_a_reference_to_an_empty_element_is_reported():
    page = '<!DOCTYPE html><title>x</title><p><input aria-describedby="help"><span id="help"><ul><li>rule</ul></span>'
    assert broken_references(page) == ["<input aria-describedby> names #help, which is empty"]
    assert not broken_references('<input aria-describedby="help"><div id="help"><ul><li>rule</ul></div>')


@pytest.mark.parametrize("role", ROLES)
def test_every_page_parses_without_errors(world, role):
    """No parse errors and no broken aria references, on every page the role may GET and every
    form the table POSTs that comes back as a page (a failed submit shows its errors)."""
    client = client_for(world.users[role])
    problems, pages = [], 0
    for row in ROWS:
        url = reverse(row.name, kwargs=row.kwargs(world, world.A))
        for method in ("get", "post"):
            if getattr(row, method)[role] != 200:
                continue
            data = row.data(world, world.A) if method == "post" else {}
            response = request_cell_response(client, method, url, data)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            pages += 1
            problems += [
                f"{method.upper()} {row.label}: {problem}" for problem in parse_errors(response.content.decode())
            ]
    assert pages > 10
    assert not problems, f"{len(problems)} parse errors:\n" + "\n".join(problems)
