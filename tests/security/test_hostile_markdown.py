"""User Markdown can never run script (PRODUCT.md §4), whatever it is: property-based tests
over text built from Markdown and HTML syntax and known attack fragments."""

from html.parser import HTMLParser
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from discussions.markdown import ALLOWED_TAGS, render_message

FRAGMENTS = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<a href='javascript:alert(1)'>",
    "javascript:alert(1)",
    "JaVaScRiPt:",
    "&#106;avascript:",
    "&#x6A;avascript:",
    "java\tscript:",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:",
    "[x](",
    "](",
    ")",
    "![i](",
    "<",
    ">",
    '"',
    "'",
    "`",
    "```",
    "\n",
    "\n\n",
    "*",
    "_",
    "~~",
    "|",
    "---",
    "> ",
    "1. ",
    "- ",
    "@Anna Berg",
    "<https://ok.example>",
    "https://ok.example/?a=<b>",
    "www.example.com",
    "mailto:a@example.se",
    " onclick=alert(1) ",
    ' style="x:expression(alert(1))"',
    "<iframe src=//evil.example>",
    "<style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "&lt;script&gt;",
    "\\",
    "\x00",
]
SAFE_SCHEMES = ("http://", "https://", "mailto:", "#person-")

markdown_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)),
    max_size=30,
).map("".join)


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


PEOPLE = [SimpleNamespace(pk=7, display_name="Anna Berg")]


def assert_harmless(html):
    for tag, attributes in Elements(html).found:
        assert tag in ALLOWED_TAGS, (tag, html)
        assert not any(name.startswith("on") or name in {"style", "src", "srcdoc"} for name in attributes), (tag, html)
        if tag == "a":
            if "href" in attributes:  # nh3 drops an href it does not accept, leaving plain text
                assert attributes["href"].strip().startswith(SAFE_SCHEMES), (attributes, html)
            assert set((attributes.get("rel") or "").split()) >= {"noopener", "nofollow"}, (attributes, html)
    assert "<script" not in html.lower()


@settings(max_examples=500)
@given(markdown_text)
def test_rendered_markdown_never_carries_script(body):
    assert_harmless(render_message(body, mentionable=PEOPLE).html)


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_any_text_renders_harmless(body):
    assert_harmless(render_message(body).html)


@given(markdown_text)
def test_rendering_is_stable(body):
    """Rendering the same text twice gives the same HTML (what is stored is what is shown)."""
    assert render_message(body).html == render_message(body).html
