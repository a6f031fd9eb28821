"""A group's stage plan as calendar events (core/ical.py writes them): each stage with planned
dates is an all-day event in the calendars of the people who work in the group, for as long as
the group has not ended.

- The UID is the plan entry's ("stage-<pk>"); SEQUENCE is StagePlanEntry.calendar_sequence,
  raised each time the planned dates change (groups/views/group.py stage_plan).
- A stage with both dates spans them (DTEND is the day after the planned end, as RFC 5545
  counts all-day events); with one date it is that day. A stage whose dates are removed, or a
  group that ends, leaves the feed: a subscribing calendar drops the event at its next poll.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from core.ical import CalendarEvent
from groups.access import groups_of_member_user, groups_with_workspace_for
from groups.models import BuyerGroup, StagePlanEntry
from notifications.services import absolute_url


def groups_of_calendar(user):
    """The groups a person's calendar covers: those whose workspace they work in. Facilitators
    see every group's workspace, so for them only the groups they coordinate or belong to (a
    calendar of every group would be noise)."""
    if user.is_facilitator:
        return BuyerGroup.objects.filter(
            Q(pk__in=groups_of_member_user(user).values("pk")) | Q(coordinators__user=user)
        ).distinct()
    return groups_with_workspace_for(user)


def stage_event(entry: StagePlanEntry) -> CalendarEvent | None:
    start = entry.planned_start or entry.planned_end
    end = entry.planned_end or entry.planned_start
    if start is None:
        return None
    group = entry.group
    return CalendarEvent(
        key=f"stage-{entry.pk}",
        summary=_("%(stage)s: %(group)s") % {"stage": entry.get_stage_display(), "group": group.name},
        start=start,
        end=end + timedelta(days=1),
        sequence=entry.calendar_sequence,
        description=_("The planned dates of a stage in the stage plan of %(group)s.") % {"group": group.name},
        url=absolute_url(group.get_absolute_url()),
    )


def stage_plan_events(user) -> list[CalendarEvent]:
    """The planned stages of the person's groups that have not ended (two queries)."""
    entries = (
        StagePlanEntry.objects.filter(group__in=groups_of_calendar(user).values("pk"), group__outcome="")
        .filter(Q(planned_start__isnull=False) | Q(planned_end__isnull=False))
        .select_related("group")
        .order_by("group_id", "pk")
    )
    return [event for entry in entries if (event := stage_event(entry))]
