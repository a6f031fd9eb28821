import functools

from django.db import connection
from django.utils.functional import SimpleLazyObject, cached_property

from groups.models import Coordinator
from home.agenda import AgendaCount, count_key
from notifications.models import Notification


def agenda(request):
    """The header's "To do" count (home/agenda.py): worked out only if a template asks."""
    user = getattr(request, "user", None)
    return {"agenda": AgendaCount(user if user is not None and user.is_authenticated else None)}


@functools.cache
def _header_sql() -> str:
    """Written out rather than built by the ORM for every page (building it cost more than the
    bare view's whole request): Notification.objects.unread() for the person, counted, and
    whether they coordinate a group. tests/home/test_header.py holds it to the querysets."""
    quote = connection.ops.quote_name
    notification, coordinator = Notification._meta, Coordinator._meta
    return (
        f"SELECT (SELECT COUNT(*) FROM {quote(notification.db_table)}"
        f" WHERE {quote(notification.get_field('recipient').column)} = %s"
        f" AND {quote(notification.get_field('read_at').column)} IS NULL),"
        f" EXISTS (SELECT 1 FROM {quote(coordinator.db_table)}"
        f" WHERE {quote(coordinator.get_field('user').column)} = %s)"
    )


class HeaderFigures:
    """The rest of what the signed-in header shows of the person: the unread notifications and
    whether they moderate (the rule of moderation.access.is_any_moderator), read together in one
    query, once per request and only if a template asks."""

    def __init__(self, user):
        self.user = user if user is not None and user.is_authenticated else None

    @cached_property
    def _figures(self) -> tuple[int, bool]:
        if self.user is None:
            return 0, False
        with connection.cursor() as cursor:
            cursor.execute(_header_sql(), [self.user.pk, self.user.pk])
            unread, coordinates = cursor.fetchone()
        return unread, bool(coordinates)

    @property
    def count(self) -> int:
        """notifications.count in the templates."""
        return self._figures[0]

    @property
    def is_moderator(self) -> bool:
        return self.user is not None and (self.user.is_facilitator or self._figures[1])


def header(request):
    figures = HeaderFigures(getattr(request, "user", None))
    return {"notifications": figures, "is_moderator": SimpleLazyObject(lambda: figures.is_moderator)}


def header_check(request, cached: dict) -> tuple:
    """What the header shows of the person beyond the tables a page reads: unread notifications,
    coordinating, the agenda's count and overdue items (core/kept_pages.py add_check; the count
    comes with the page from the cache when it is there)."""
    user = getattr(request, "user", None)
    signed_in = user if user is not None and user.is_authenticated else None
    agenda = AgendaCount(signed_in, cached=cached.get(count_key(signed_in.pk)) if signed_in else None)
    return (HeaderFigures(user)._figures, agenda.figures)


def header_cache_keys(request) -> list[str]:
    user = getattr(request, "user", None)
    return [count_key(user.pk)] if user is not None and user.is_authenticated else []
