"""User Markdown can never run script (PRODUCT.md §4): every attempt below is stored harmless,
and the page shows it as the stored HTML says."""

from html.parser import HTMLParser

import pytest

from discussions.markdown import render_message
from tests.dialogues.conftest import signed_in

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klicka</a>',
    "[klicka](javascript:alert(1))",
    "[klicka](JaVaScRiPt:alert(1))",
    "[klicka](  javascript:alert(1))",
    "[klicka](&#106;avascript:alert(1))",
    "[klicka](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klicka](vbscript:msgbox(1))",
    "![bild](javascript:alert(1))",
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '[x](https://ok.example "title" onclick="alert(1)")',
    "<style>body{display:none}</style>",
    "**fet** <b onmouseover=alert(1)>fet</b>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
]
SAFE_TAGS = {"p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr"}
SAFE_LINK = ("http://", "https://", "mailto:", "#person-")


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_harmless(html, *, page_tags=frozenset()):
    for tag, attributes in Elements(html).found:
        assert tag in SAFE_TAGS | page_tags, (tag, html)
        assert not any(name.startswith("on") or name == "style" for name in attributes), (tag, attributes)
        if tag == "a" and "href" in attributes and tag not in page_tags:
            assert attributes["href"].startswith(SAFE_LINK), attributes["href"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_is_rendered_harmless(attack):
    assert_harmless(render_message(attack).html)


@pytest.mark.django_db
@pytest.mark.parametrize("attack", ATTACKS[:6])
def test_attack_posted_through_the_page_never_reaches_another_reader(thread_cast, attack):
    signed_in(thread_cast.member).post(f"/threads/{thread_cast.group_thread.pk}/messages/", {"body": attack})
    message = thread_cast.group_thread.messages.latest("pk")
    assert message.body == attack.strip()  # the source is kept as written, for the record
    page = signed_in(thread_cast.observer).get(thread_cast.group_thread.get_absolute_url()).content.decode()
    shown = page[page.index(f'id="message-{message.pk}"') : page.index('id="composer"')]
    start = shown.index('class="message-body"')  # with lang="…" when the page is in another language
    body = shown[start : shown.index("</div>", start)]  # the actions after it are the page's own links
    assert_harmless(body, page_tags={"div"})


def test_links_are_kept_with_noopener_nofollow():
    html = render_message("Se [vägledningen](https://www.upphandlingsmyndigheten.se/) och https://example.se").html
    assert html == (
        '<p>Se <a href="https://www.upphandlingsmyndigheten.se/" rel="noopener nofollow">vägledningen</a> och '
        '<a href="https://example.se" rel="noopener nofollow">https://example.se</a></p>'
    )


def test_everyday_markdown_survives():
    html = render_message("**fet** *kursiv* ~~struken~~\n\n- ett\n- två\n\n> citat\n\n`kod`").html
    for fragment in (
        "<strong>fet</strong>",
        "<em>kursiv</em>",
        "<s>struken</s>",
        "<li>två</li>",
        "<blockquote>",
        "<code>kod</code>",
    ):
        assert fragment in html


def test_headings_and_images_stay_text():
    html = render_message("# Rubrik\n\n![bild](https://example.se/spårning.png)").html
    assert "<h1" not in html and "<img" not in html and "# Rubrik" in html


class Person:
    def __init__(self, pk, name):
        self.pk, self.display_name = pk, name


def test_mentions_link_only_the_given_people_and_are_returned():
    anna, erik = Person(1, "Anna Andersson"), Person(2, "Erik")
    rendered = render_message(
        "Hej @anna andersson och @Erik, inte @Eriksson eller @Maria. `@Erik` [@Erik](https://x.se) erik@Erik",
        mentionable=[anna, erik],
    )
    assert [p.pk for p in rendered.mentioned] == [1, 2]
    assert rendered.html.count('class="mention"') == 2
    assert '<a href="#person-1" class="mention" rel="noopener nofollow">@anna andersson</a>' in rendered.html
    assert "<code>@Erik</code>" in rendered.html and "@Eriksson" in rendered.html


def test_longest_name_wins_and_shared_names_are_not_guessed():
    anna, anna_berg = Person(1, "Anna"), Person(2, "Anna Berg")
    assert [p.pk for p in render_message("@Anna Berg", mentionable=[anna, anna_berg]).mentioned] == [2]
    twins = [Person(3, "Lars Nilsson"), Person(4, "Lars Nilsson")]
    assert render_message("@Lars Nilsson", mentionable=twins).mentioned == ()
