"""What waits for a facilitator across all groups (PRODUCT.md §2.7, the facilitator console).

Each entry is one aggregate query (count and oldest) and one query for the few oldest items,
so the page costs the same number of queries however much is waiting."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.content_language import content_language_of
from dialogues.models import Question
from groups.models import BuyerGroup, Membership
from moderation.models import Report

JOIN_REQUEST_WAIT = timedelta(days=7)
QUIET_GROUP_DAYS = 60
SHOWN = 5


@dataclass
class Waiting:
    key: str
    title: str
    url: str
    count: int
    oldest: object  # a datetime, or None when nothing waits
    items: list  # (label, url, since, language) for the oldest few; language "" when mixed or none


def _entry(key, title, url, queryset, since_field, label, link, source=lambda item: None) -> Waiting:
    """`source` gives the object whose text the label is, for its language (a group's name, a
    dialogue's title); labels that mix several have none."""
    summary = queryset.aggregate(count=Count("pk"), oldest=Min(since_field))
    oldest_items = list(queryset.order_by(since_field, "pk")[:SHOWN]) if summary["count"] else []
    return Waiting(
        key=key,
        title=title,
        url=url,
        count=summary["count"],
        oldest=summary["oldest"],
        items=[
            (label(item), link(item), getattr(item, since_field), content_language_of(source(item)))
            for item in oldest_items
        ],
    )


def waiting_for_facilitators(now=None) -> list[Waiting]:
    now = now or timezone.now()
    return [
        _entry(
            "organisations",
            _("Organisations to verify"),
            reverse("accounts:organisation-review-list"),
            Organisation.objects.awaiting_review(),
            "created_at",
            lambda o: o.name,
            lambda o: reverse("accounts:organisation-review", args=[o.pk]),
        ),
        _entry(
            "reports",
            _("Open reports"),
            reverse("moderation:report-queue"),
            Report.objects.open().select_related("group"),
            "created_at",
            lambda r: f"{r.get_kind_display()}, {r.group.name}",
            lambda r: r.get_absolute_url(),
        ),
        _entry(
            "join-requests",
            _("Join requests waiting more than a week"),
            "",
            Membership.objects.filter(
                status=Membership.Status.REQUESTED, created_at__lt=now - JOIN_REQUEST_WAIT
            ).select_related("organisation", "group"),
            "created_at",
            lambda m: f"{m.organisation.name} → {m.group.name}",
            lambda m: reverse("groups:member-list", args=[m.group.slug]),
        ),
        _entry(
            "questions",
            _("Supplier questions unanswered past the promised answer time"),
            "",
            Question.objects.overdue(now).filter(hidden_at__isnull=True).select_related("dialogue"),
            "answer_due_at",
            lambda q: q.dialogue.title,
            lambda q: q.get_absolute_url(),
            source=lambda q: q.dialogue,
        ),
        _entry(
            "quiet-groups",
            _("Groups with no activity for %(days)d days") % {"days": QUIET_GROUP_DAYS},
            reverse("groups:group-list"),
            # An ended group is quiet because it is done, not because it needs a nudge.
            BuyerGroup.objects.ongoing().filter(last_activity_at__lt=now - timedelta(days=QUIET_GROUP_DAYS)),
            "last_activity_at",
            lambda g: g.name,
            lambda g: g.get_absolute_url(),
            source=lambda g: g,
        ),
    ]
