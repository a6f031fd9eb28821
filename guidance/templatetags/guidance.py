"""`{% guidance_link "slug" %}`: a small link to a guidance text, titled in the page's language.

Any app's template may load it (guidance sits below the domain apps). The titles are read once
per template render, however many links the page has. A slug with no text renders nothing and
logs a warning: a missing text must never break the page that links to it."""

import logging

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.content_language import page_language
from guidance.models import GuidanceText

register = template.Library()
logger = logging.getLogger(__name__)

_CACHE_KEY = "guidance_texts"


def _texts(context) -> dict[str, GuidanceText]:
    cache = context.render_context
    if _CACHE_KEY not in cache:
        cache[_CACHE_KEY] = {
            text.slug: text for text in GuidanceText.objects.only("slug", "title_sv", "title_en", "body_en")
        }
    return cache[_CACHE_KEY]


@register.simple_tag(takes_context=True)
def guidance_link(context, slug):
    text = _texts(context).get(str(slug))
    if text is None:
        logger.warning("No guidance text with the key %r to link to", slug)
        return ""
    language = text.shown_language()
    lang = format_html(' lang="{}"', language) if language != page_language() else ""
    title = format_html("<span{}>{}</span>", lang, text.title)
    # both parts are escaped: the translated pattern here, the title by format_html
    label = mark_safe(conditional_escape(_("Guidance: %(title)s")) % {"title": title})
    return format_html('<a class="guidance-link" href="{}">{}</a>', reverse("guidance:detail", args=[text.slug]), label)
