"""Links to the Atom feeds (api/feeds.py) from the HTML lists they mirror: `<link rel="alternate">`
in the page's head for feed readers and browsers to discover, and a visible "subscribe" link.
A list filtered by a valid ?theme= also offers that theme's feed; any other value is ignored, as
the lists ignore it."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from api.feeds import DialogueFeed, NeedFeed
from groups.models import Theme

register = template.Library()


# For each kind of list: its feed, the whole feed's and a theme's URL names, and the link texts.
FEEDS = {
    "dialogues": (
        DialogueFeed,
        "feeds:dialogues",
        "feeds:dialogues-theme",
        lambda: _("Subscribe to new dialogues (Atom feed)"),
        lambda theme: _("Subscribe to dialogues in %(theme)s (Atom feed)") % {"theme": theme},
    ),
    "needs": (
        NeedFeed,
        "feeds:needs",
        "feeds:needs-theme",
        lambda: _("Subscribe to newly published needs (Atom feed)"),
        lambda theme: _("Subscribe to published needs in %(theme)s (Atom feed)") % {"theme": theme},
    ),
}


def feed_links(request, kind: str) -> list[dict]:
    """The feeds for a list of `kind` ("dialogues" or "needs"), each with its title (for the head)
    and a link text: the whole feed, then the theme's."""
    feed_class, whole, per_theme, whole_text, theme_text = FEEDS[kind]
    feed = feed_class()
    links = [{"url": reverse(whole), "title": feed.title(None), "text": whole_text()}]
    theme = request.GET.get("theme")
    if theme in Theme.values:
        theme = Theme(theme)
        links.append(
            {"url": reverse(per_theme, args=[theme.value]), "title": feed.title(theme), "text": theme_text(theme.label)}
        )
    return links


@register.inclusion_tag("api/_feed_autodiscovery.html", takes_context=True)
def feed_autodiscovery(context, kind):
    return {"links": feed_links(context["request"], kind)}


@register.inclusion_tag("api/_feed_subscribe.html", takes_context=True)
def feed_subscribe(context, kind):
    return {"links": feed_links(context["request"], kind)}
