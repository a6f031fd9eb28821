"""Markdown in discussion messages, rendered and sanitized on the server once, when a message
is written; the stored HTML is shown as it is.

Two layers, so a mistake in one is caught by the other: markdown-it never passes raw HTML
through (it is shown as text) and refuses `javascript:`-style links; nh3 then keeps only the
tags and attributes below, only http, https and mailto links, and gives every link
rel="noopener nofollow". No headings (a message must not break the page's outline) and no
images (an image from another server would tell that server who reads the discussion).

@mentions: "@" followed by the name of someone who may be mentioned (the caller decides who,
discussions/access.py) becomes a link to that person in the thread page's list of people.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_CLASSES = {"a": {"mention"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    .enable(["linkify", "table", "strikethrough"])
    .disable(["heading", "lheading", "image", "html_block", "html_inline"])
)


@dataclass(frozen=True)
class RenderedMessage:
    html: str
    mentioned: tuple  # the users linked by an @mention, each once


def mention_anchor(user_pk: int) -> str:
    return f"person-{user_pk}"


def render_message(body: str, *, mentionable: Iterable = ()) -> RenderedMessage:
    """Markdown → safe HTML, with @mentions of the given users linked."""
    people: dict[str, list] = {}
    for person in mentionable:
        name = person.display_name.strip()
        if name:
            people.setdefault(name.casefold(), []).append(person)
    tokens = _markdown.parse(body)
    mentioned: dict[int, object] = {}
    if people:
        names = sorted(people, key=len, reverse=True)  # the longest name wins: "Anna Berg" over "Anna"
        pattern = re.compile(r"(?<![\w@])@(" + "|".join(re.escape(name) for name in names) + r")(?!\w)", re.IGNORECASE)
        for block in tokens:
            if block.type == "inline" and block.children:
                block.children = _link_mentions(block.children, pattern, people, mentioned)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow",
    )
    return RenderedMessage(html=clean.strip(), mentioned=tuple(mentioned.values()))


def _link_mentions(children: list[Token], pattern, people, mentioned) -> list[Token]:
    result, link_depth = [], 0
    for token in children:
        if token.type == "link_open":
            link_depth += 1
        elif token.type == "link_close":
            link_depth -= 1
        if token.type != "text" or link_depth:  # never inside code or an existing link
            result.append(token)
            continue
        position = 0
        for match in pattern.finditer(token.content):
            matching = people[match.group(1).casefold()]
            if len(matching) > 1:
                continue  # two readers share the name: linking either would be a guess
            person = matching[0]
            mentioned[person.pk] = person
            result.append(Token("text", "", 0, content=token.content[position : match.start()]))
            link = {"href": f"#{mention_anchor(person.pk)}", "class": "mention"}
            result.append(Token("link_open", "a", 1, attrs=link))
            result.append(Token("text", "", 0, content=match.group(0)))
            result.append(Token("link_close", "a", -1))
            position = match.end()
        result.append(Token("text", "", 0, content=token.content[position:]))
    return result
