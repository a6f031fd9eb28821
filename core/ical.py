"""iCalendar files (RFC 5545), written with the `icalendar` package: one calendar shape for every
download and subscription feed, in Swedish time (Europe/Stockholm, with its VTIMEZONE), and one
way to send it.

The apps describe their events (dialogues/ical.py: meetings and deadlines) and the site pages
put them together (home/views.py: the personal feed). An event's UID names the object, never
the moment, so a calendar that imports the same file twice, or polls a feed, updates the event
instead of adding a copy; SEQUENCE counts its changes and STATUS says when it is off.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from core.mail import site_domain
from core.private_responses import mark_private

CALENDAR_TIME_ZONE = ZoneInfo("Europe/Stockholm")
PRODUCT_ID = "-//Beställargrupper//Kalender//SV"
CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class CalendarEvent:
    """One event as the apps describe it. `key` is unique on the site ("meeting-12"), and the
    UID is made from it and the site's domain. `end` None: a moment (a deadline)."""

    key: str
    summary: str
    start: datetime | date
    end: datetime | date | None = None
    sequence: int = 0
    cancelled: bool = False
    location: str = ""
    description: str = ""
    url: str = ""


def event_uid(key: str) -> str:
    return f"{key}@{site_domain()}"


def _local(moment):
    if isinstance(moment, datetime):
        return timezone.localtime(moment, CALENDAR_TIME_ZONE)
    return moment


def _component(event: CalendarEvent, stamp: datetime) -> Event:
    component = Event.new(
        uid=event_uid(event.key),
        stamp=stamp,
        start=_local(event.start),
        end=_local(event.end or event.start),
        sequence=event.sequence,
        status="CANCELLED" if event.cancelled else "CONFIRMED",
        summary=event.summary,
    )
    if event.location:
        component.add("location", event.location)
    if event.description:
        component.add("description", event.description)
    if event.url:
        component.add("url", event.url)
    return component


def build_calendar(*, name: str, events: Iterable[CalendarEvent]) -> Calendar:
    """A VCALENDAR of `events` with the VTIMEZONE its times refer to."""
    calendar = Calendar.new(name=name, prodid=PRODUCT_ID, method="PUBLISH")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(ZoneInfo("UTC")).replace(microsecond=0)
    for event in events:
        calendar.add_component(_component(event, stamp))
    calendar.add_missing_timezones()
    return calendar


def calendar_response(calendar: Calendar, *, filename: str) -> HttpResponse:
    """The calendar as a private download (it names meetings and who has them)."""
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return mark_private(response)
