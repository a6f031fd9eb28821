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


def feed_links(request, kind: str) -> list[dict]:
    """The feeds for a list of `kind` ("dialogues" or "needs"), each with its title (for the head)
    and a link text: the whole feed, then the theme's."""
    theme = request.GET.get("theme")
    theme = Theme(theme) if theme in Theme.values else None
    if kind == "dialogues":
        feed = DialogueFeed()
        links = [
            {
                "url": reverse("feeds:dialogues"),
                "title": feed.title(None),
                "text": _("Subscribe to new dialogues (Atom feed)"),
            }
        ]
        if theme:
            links.append(
                {
                    "url": reverse("feeds:dialogues-theme", args=[theme.value]),
                    "title": feed.title(theme),
                    "text": _("Subscribe to dialogues in %(theme)s (Atom feed)") % {"theme": theme.label},
                }
            )
    else:
        feed = NeedFeed()
        links = [
            {
                "url": reverse("feeds:needs"),
                "title": feed.title(None),
                "text": _("Subscribe to newly published needs (Atom feed)"),
            }
        ]
        if theme:
            links.append(
                {
                    "url": reverse("feeds:needs-theme", args=[theme.value]),
                    "title": feed.title(theme),
                    "text": _("Subscribe to published needs in %(theme)s (Atom feed)") % {"theme": theme.label},
                }
            )
    return links


@register.inclusion_tag("api/_feed_autodiscovery.html", takes_context=True)
def feed_autodiscovery(context, kind):
    return {"links": feed_links(context["request"], kind)}


@register.inclusion_tag("api/_feed_subscribe.html", takes_context=True)
def feed_subscribe(context, kind):
    return {"links": feed_links(context["request"], kind)}
