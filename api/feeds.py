"""Atom feeds (RFC 4287) of the open market dialogues and the published need statements, overall
and per theme, for suppliers' tender-watch services.

A feed shows exactly what an anonymous visitor's page shows: a dialogue that is open (never a
draft), a need's published version (never the version the group is still working on). An entry's
<id> is a tag URI in the site's domain (settings.SITE_URL, not the request's Host) made of the
object's kind and primary key, so it never changes when a title does; its <updated> is the
object's `updated_at` (groups/freshness.py, dialogues/freshness.py). The fixed words follow the
request's language; the entries' own texts stay in the language they were written in.
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.mail import site_domain
from dialogues.models import Dialogue
from groups.models import NeedStatement, Theme

MAX_ENTRIES = 100
MAX_AGE_SECONDS = 300  # a reader polling more often than this is served from a cache
TAG_YEAR = 2026  # the tag URI's date (RFC 4151): fixed, or every id would change with it
PURPOSE_WORDS = 60


def tag_uri(*parts) -> str:
    """`tag:example.test,2026:dialogue:12`: the same for as long as the site keeps its domain."""
    return f"tag:{site_domain()},{TAG_YEAR}:" + ":".join(str(part) for part in parts)


def public_feed(feed):
    """A feed's view: for everyone (anonymous readers are the point), GET and HEAD only, and
    cacheable by anyone. A signed-in person's copy is still made private by
    core/private_responses.py, which overrides `public` (the content is the same either way)."""
    return login_not_required(require_safe(cache_control(public=True, max_age=MAX_AGE_SECONDS)(feed)))


class PlainTextAtomFeed(Atom1Feed):
    """Atom with a plain-text <summary> (Django writes type="html") and a theme <category> that
    carries its label as well as its code."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        handler.addQuickElement("summary", item["description"], {"type": "text"})
        code, label = item["theme"]
        handler.addQuickElement("category", "", {"term": code, "label": label})


class ThemeFeed(Feed):
    """What the dialogue and need feeds share: the optional theme (an unknown one is a 404), the
    feed's id and links, and the entries' dates, author and category. Subclasses say what
    `kind` of object they list, where its HTML list is, and how its entries read."""

    feed_type = PlainTextAtomFeed
    kind = ""
    list_url_name = ""

    def get_object(self, request, theme=None):
        if theme is not None and theme not in Theme.values:
            raise Http404
        return Theme(theme) if theme else None

    def feed_guid(self, theme):
        return tag_uri("feed", self.kind, *([theme.value] if theme else []))

    def link(self, theme):
        url = reverse(self.list_url_name)
        return f"{url}?theme={theme.value}" if theme else url

    def group_of(self, item):
        return item.group

    def item_guid(self, item):
        return tag_uri(self.kind, item.pk)

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return self.group_of(item).name

    def item_extra_kwargs(self, item):
        group = self.group_of(item)
        return {"theme": (group.theme, group.get_theme_display())}


def deadline(moment) -> str:
    return date_format(localtime(moment), "DATETIME_FORMAT")


def theme_line(group) -> str:
    return _("Buyer group: %(group)s (%(theme)s)") % {"group": group.name, "theme": group.get_theme_display()}


class DialogueFeed(ThemeFeed):
    """Open market dialogues, the most recently updated first."""

    kind = "dialogue"
    list_url_name = "dialogues:dialogue-list"

    def title(self, theme):
        if theme:
            return _("Open market dialogues: %(theme)s") % {"theme": theme.label}
        return _("Open market dialogues")

    def subtitle(self, theme):
        return _("Market dialogues in which buyer groups of public authorities ask suppliers for their views.")

    def items(self, theme):
        dialogues = Dialogue.objects.open().select_related("group")
        if theme:
            dialogues = dialogues.filter(group__theme=theme)
        return dialogues.order_by("-updated_at", "-pk")[:MAX_ENTRIES]

    def item_title(self, dialogue):
        return dialogue.title

    def item_pubdate(self, dialogue):
        return dialogue.opened_at

    def item_description(self, dialogue):
        return "\n".join(
            [
                Truncator(dialogue.purpose).words(PURPOSE_WORDS),
                _("Questions until: %(moment)s") % {"moment": deadline(dialogue.question_deadline)},
                _("Proposals until: %(moment)s") % {"moment": deadline(dialogue.submission_deadline)},
                theme_line(dialogue.group),
            ]
        )


class NeedFeed(ThemeFeed):
    """Published need statements (their published version), the most recently updated first.
    A closed need has left the market and the feed; its page stays public."""

    kind = "need"
    list_url_name = "groups:group-list"

    def title(self, theme):
        if theme:
            return _("Published needs: %(theme)s") % {"theme": theme.label}
        return _("Published needs")

    def subtitle(self, theme):
        return _("Needs that buyer groups of public authorities have described and published to the market.")

    def items(self, theme):
        needs = NeedStatement.objects.filter(
            state=NeedStatement.State.PUBLISHED, published_version__isnull=False
        ).select_related("group", "published_version")
        if theme:
            needs = needs.filter(group__theme=theme)
        return needs.order_by("-updated_at", "-pk")[:MAX_ENTRIES]

    def item_title(self, need):
        return need.published_version.title

    def item_pubdate(self, need):
        return need.published_at

    def item_description(self, need):
        version = need.published_version
        count = len(version.requirements)
        return "\n".join(
            [
                theme_line(need.group),
                _("Version %(number)s") % {"number": version.number},
                ngettext("%(count)s functional requirement", "%(count)s functional requirements", count)
                % {"count": count},
            ]
        )
