"""core/content_language.py: which language a text is written in, found from its owners, and
the attribute `{% content_lang %}` writes only where it differs from the page's (WCAG 3.1.2)."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from core.content_language import content_language_of


def owner(language=None, **owners):
    return SimpleNamespace(content_language=language, **owners)


GROUP = owner("sv")
ENGLISH_DIALOGUE = owner("en", group=GROUP)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (GROUP, "sv"),
        (SimpleNamespace(need=SimpleNamespace(group=GROUP)), "sv"),  # a need version, its comment
        (SimpleNamespace(thread=SimpleNamespace(dialogue=None, group=GROUP)), "sv"),  # a group discussion's message
        (SimpleNamespace(thread=SimpleNamespace(dialogue=ENGLISH_DIALOGUE, group=GROUP)), "en"),  # the dialogue wins
        (SimpleNamespace(dialogue=ENGLISH_DIALOGUE), "en"),  # a question, an answer
        (SimpleNamespace(document=SimpleNamespace(group=owner("en"))), "en"),  # a document version
        ("en", "en"),  # a search hit carries the code
        (None, ""),
        (SimpleNamespace(), ""),  # the platform's own words
    ],
)
def test_the_language_comes_from_the_nearest_owner_that_knows(text, language):
    assert content_language_of(text) == language


def test_a_loop_of_owners_ends():
    looped = SimpleNamespace()
    looped.thread = looped
    assert content_language_of(looped) == ""


def render(template: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load content_language %}" + template).render(Context(context))


def test_the_attribute_is_written_only_where_the_language_differs_from_the_pages():
    template = "<p{% content_lang text %}>x</p>"
    assert render(template, "en", text=GROUP) == '<p lang="sv">x</p>'
    assert render(template, "sv", text=GROUP) == "<p>x</p>"
    assert render(template, "sv", text=ENGLISH_DIALOGUE) == '<p lang="en">x</p>'
    assert render(template, "en", text=SimpleNamespace()) == "<p>x</p>"


def test_the_platforms_words_inside_marked_content_get_the_pages_language_back():
    template = "<dd{% content_lang text %}><span{% page_lang text %}>[removed:</span> ord</dd>"
    assert render(template, "en", text=GROUP) == '<dd lang="sv"><span lang="en">[removed:</span> ord</dd>'
    assert render(template, "sv", text=GROUP) == "<dd><span>[removed:</span> ord</dd>"
