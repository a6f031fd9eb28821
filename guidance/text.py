"""Plain text to safe HTML: every character escaped, blank lines separate paragraphs, lines that
start with "- " or "* " make a list, other line breaks stay line breaks. No HTML from the
database ever reaches the page as markup."""

import re
from itertools import groupby

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BULLET = re.compile(r"^\s*[-*•]\s+")


def _block(lines: list[str]) -> str:
    """One block of lines without a blank line: its runs of list items and of text, in order."""
    html = []
    for is_list, run in groupby(lines, key=lambda line: bool(_BULLET.match(line))):
        if is_list:
            html.append("<ul>" + "".join(f"<li>{escape(_BULLET.sub('', line))}</li>" for line in run) + "</ul>")
        else:
            html.append("<p>" + "<br>".join(escape(line.strip()) for line in run) + "</p>")
    return "".join(html)


def render_body(text: str) -> SafeString:
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    html = "\n".join(_block([line for line in block.split("\n") if line.strip()]) for block in blocks if block.strip())
    return mark_safe(html)  # every piece of text went through escape above
