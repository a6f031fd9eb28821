"""The language people write their texts in (WCAG 3.1.2 Language of parts).

A buyer group, a market dialogue and an organisation each say which language their texts are
written in (`content_language`, one of ContentLanguage). Wherever such a text is shown, the
element around it says so with `{% content_lang obj %}` when that differs from the page's
language, so a screen reader reads a Swedish need statement with Swedish pronunciation on an
English page, and the other way round.

`{% content_lang obj %}` takes the text's own object (a message, a question, a need version…)
and finds the object that knows the language by following its owners: a thread's dialogue
wins over its group, so a dialogue written in English inside a Swedish group reads as English.
Core cannot import the apps, so the owners are followed by attribute name (OWNERS) rather
than by model.
"""

from django import template
from django.db import models
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

register = template.Library()


class ContentLanguage(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


# Whom a piece of content belongs to, nearest first: a message its thread, a thread its dialogue
# (None for a group's own discussion) before its group, a need version or comment its need, a
# document version its document.
OWNERS = ("dialogue", "thread", "need", "document", "group")

# A message → thread → dialogue → group chain is four steps; a loop is a mistake, not content.
_MAX_STEPS = 6


def content_language_field(*, help_text) -> models.CharField:
    """The field every owner of texts declares: the same choices, Swedish unless told."""
    return models.CharField(
        _("language of the texts"),
        max_length=2,
        choices=ContentLanguage.choices,
        default=ContentLanguage.SWEDISH,
        # also in the database: rows written by code that predates the field (a migration's
        # historical models) get Swedish too
        db_default=ContentLanguage.SWEDISH,
        help_text=help_text,
    )


class ContentLanguageFormMixin:
    """For a ModelForm that edits content_language: a post without it (a script, or a page
    loaded before the field existed) keeps what the object has, Swedish for a new one, rather
    than failing. A value that is not one of the choices is refused as usual."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_language"].required = False

    def clean_content_language(self):
        return self.cleaned_data["content_language"] or self.instance.content_language


def content_language_of(obj) -> str:
    """The language `obj`'s text is written in, from the nearest owner that knows; "" when none
    does (a text of the platform itself, or something not in the chain). A string is taken as
    the language itself (a search hit carries its languages as codes)."""
    if isinstance(obj, str):
        return obj
    for _step in range(_MAX_STEPS):
        if obj is None:
            return ""
        language = getattr(obj, "content_language", None)
        if language:
            return language
        obj = next((owner for name in OWNERS if (owner := getattr(obj, name, None)) is not None), None)
    return ""


def page_language() -> str:
    return (translation.get_language() or "").split("-")[0]


@register.simple_tag
def content_lang(obj) -> str:
    """` lang="sv"` for an element holding `obj`'s text when its language differs from the
    page's, else nothing: `<h1{% content_lang group %}>{{ group.name }}</h1>`."""
    language = content_language_of(obj)
    if not language or language == page_language():
        return ""
    return format_html(' lang="{}"', language)


@register.simple_tag
def page_lang(obj) -> str:
    """` lang="en"` (the page's language) for the platform's own words inside an element that
    `{% content_lang obj %}` marked, else nothing: a diff's hidden "[removed: …]"."""
    if not content_lang(obj):
        return ""
    return format_html(' lang="{}"', page_language())
