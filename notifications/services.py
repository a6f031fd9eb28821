"""The notification outbox: other apps call `notify` inside the transaction of their event.

Rows are written in the caller's transaction; after commit, delivery is scheduled in batched
Celery tasks. If the broker cannot be reached then, the request still succeeds (the rows are
safe in the database) and the periodic sweep (`requeue_undelivered`) schedules them later.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connections, router, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.content_language import content_language_of
from notifications.models import Notification, NotificationPreference, OutgoingEmail, encode_params
from notifications.registry import Delivery, get_kind, is_registered, registered_kinds

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def _recipients(recipients, actor) -> QuerySet:
    """Active, not deleted users, each once, without the actor, as a queryset (not run here)."""
    users = get_user_model().objects
    if isinstance(recipients, QuerySet):
        users = users.filter(pk__in=recipients.values("pk"))
    else:
        users = users.filter(pk__in={getattr(r, "pk", r) for r in recipients})
    users = users.filter(is_active=True, deleted_at__isnull=True)
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    return users


def _insert_for_each(users: QuerySet, row: Notification) -> list[int]:
    """A copy of `row` for every user the queryset selects, written by one INSERT … SELECT, so
    the database does the per-recipient work and the cost in Python is the same for 2 readers
    as for 2,000. A row that would repeat a recipient's dedupe key is left out (ON CONFLICT DO
    NOTHING; the partial unique constraint notification_once_per_key). Returns the new ids.

    Django has no INSERT … SELECT, so the statement is put together here from the model's own
    fields: columns by `field.column`, values by `field.get_db_prep_save` (JSON, dates and
    foreign keys as the backend wants them), the SELECT compiled from the queryset. Both
    PostgreSQL and SQLite (3.35 or newer) take this form; `WHERE true` is what SQLite needs to
    tell the SELECT's end from the ON CONFLICT clause."""
    connection = connections[router.db_for_write(Notification)]
    quote = connection.ops.quote_name
    recipient = Notification._meta.get_field("recipient")
    fields = [field for field in Notification._meta.concrete_fields if not field.primary_key and field != recipient]
    columns = ", ".join(quote(field.column) for field in [recipient, *fields])
    values = [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
    try:
        select_sql, select_params = users.order_by().values("pk").query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:  # nobody to tell (an empty list, or a queryset that can match no one)
        return []
    sql = (
        f"INSERT INTO {quote(Notification._meta.db_table)} ({columns}) "
        f"SELECT recipients.pk, {', '.join(['%s'] * len(values))} FROM ({select_sql}) recipients WHERE true "
        f"ON CONFLICT DO NOTHING RETURNING {quote(Notification._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *select_params])
        return sorted(pk for (pk,) in cursor.fetchall())


def notify(
    *,
    kind: str,
    recipients,
    params: dict | None = None,
    url: str = "",
    place=None,
    target=None,
    actor=None,
    dedupe_key: str = "",
    collapse_key: str = "",
) -> int:
    """Write one Notification row per recipient in the caller's transaction (one statement
    whatever the number of recipients); after commit, schedule delivery in batched Celery tasks
    (never one task per recipient).

    Recipients are users (an iterable or a queryset); duplicates, deleted and inactive users
    and the actor are skipped. `params` are JSON-serialisable values (dates and datetimes are
    allowed) rendered into the kind's translatable message in the recipient's language when the
    item is shown or e-mailed (see the owning app's notification_kinds.py for what each kind
    expects). `kind` must be registered (notifications/registry.py), else UnknownKind. `place`
    is what the item belongs to for digest grouping (its label and URL are stored); `target` is
    the object the item links to (an item whose object was deleted says so). `url` defaults to
    the target's URL. `dedupe_key` makes the row unique per recipient, so a periodic job can run
    again without notifying twice.

    `collapse_key` (new messages in one discussion) keeps one unread item per recipient and
    kind: a recipient who has an unread item with that key gets it counted up (`count`, the
    kind's `collapsed` message, the latest params, actor and time; the link stays on the first
    unread event) and delivered again, instead of a new row. `mark_read(collapse_key=…)` is how
    the owning app says the person has seen them all. Returns the number of rows created or
    counted up."""
    kind = get_kind(kind).key
    if not url and target is not None and hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url()
    row = Notification(
        kind=kind,
        params=encode_params(params or {}),
        url=url,
        place_label=str(place)[:300] if place is not None else "",
        place_url=place.get_absolute_url() if place is not None and hasattr(place, "get_absolute_url") else "",
        place_language=content_language_of(place),
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        actor=actor,
        dedupe_key=dedupe_key,
        collapse_key=collapse_key,
        created_at=timezone.now(),
    )
    users = _recipients(recipients, actor)
    counted_ids = _count_into_unread(users, row) if collapse_key else []
    # Those just counted up are left out by the constraint notification_one_unread_per_collapse_key.
    created_ids = _insert_for_each(users, row)
    if to_deliver := sorted([*counted_ids, *created_ids]):
        transaction.on_commit(lambda: schedule_delivery(to_deliver), robust=True)
    return len(to_deliver)


def _count_into_unread(users: QuerySet, row: Notification) -> list[int]:
    """Count `row`'s event into each user's unread item with the same kind and collapse key, and
    hand that item to delivery again; returns the ids of the items counted up."""
    unread = Notification.objects.unread().filter(recipient__in=users, kind=row.kind, collapse_key=row.collapse_key)
    if row.dedupe_key:  # an event told already (its dedupe key is taken) is not counted twice
        told = Notification.objects.filter(dedupe_key=row.dedupe_key).values("recipient_id")
        unread = unread.exclude(recipient__in=told)
    pks = list(unread.values_list("pk", flat=True))
    if pks:
        Notification.objects.unread().filter(pk__in=pks).update(
            count=F("count") + 1,
            params=row.params,
            actor=row.actor,
            dedupe_key=row.dedupe_key,
            created_at=row.created_at,
            delivered_at=None,
            email_state=Notification.EmailState.PENDING,
            emailed_at=None,
            attempts=0,
            last_error="",
        )
    return pks


def schedule_delivery(notification_ids: list[int]) -> None:
    """Queue delivery in batches. Runs after commit; a broker outage is logged, not raised: the
    rows wait in the database for the sweep."""
    from notifications.tasks import deliver_notifications

    size = settings.NOTIFICATION_BATCH_SIZE
    for start in range(0, len(notification_ids), size):
        batch = notification_ids[start : start + size]
        try:
            # argsrepr: the log line names the batch's size; Celery's own repr of 100 ids costs
            # a millisecond per task, in the request that committed them.
            deliver_notifications.apply_async((batch,), argsrepr=f"({len(batch)} notification ids)")
        except Exception:
            logger.exception("Could not queue delivery of %d notifications; the sweep will retry", len(batch))


# --- Preferences -----------------------------------------------------------------------


def deliveries_for(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Each user's delivery per kind (their choice, else the kind's default): one query."""
    chosen: dict[int, dict[str, str]] = {pk: {} for pk in user_ids}
    for user_id, kind, delivery in NotificationPreference.objects.filter(user_id__in=chosen).values_list(
        "user_id", "kind", "delivery"
    ):
        chosen[user_id][kind] = delivery
    kinds = registered_kinds()
    return {pk: {kind.key: own.get(kind.key, kind.default) for kind in kinds} for pk, own in chosen.items()}


@transaction.atomic
def save_preferences(*, user, deliveries: dict[str, str], sections=()) -> None:
    """Store the person's choice per kind (only where it differs from the default) and save the
    other apps' sections of the page (valid forms, see registry.register_preferences_section)
    in the same transaction."""
    NotificationPreference.objects.filter(user=user).delete()
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=user, kind=kind, delivery=delivery)
        for kind, delivery in deliveries.items()
        if is_registered(kind) and delivery != get_kind(kind).default
    )
    for section in sections:
        section.save()


@transaction.atomic
def unsubscribe(*, user, scope: str) -> list[str]:
    """Turn e-mail off for one kind, or for every kind now in the daily digest (scope "digest").
    Returns the kinds turned off."""
    current = deliveries_for([user.pk])[user.pk]
    if scope == "digest":
        kinds = [kind for kind, delivery in current.items() if delivery == Delivery.DIGEST]
    elif is_registered(scope):
        kinds = [scope]
    else:
        return []
    for kind in kinds:
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": Delivery.OFF})
    return kinds


# --- Reading ---------------------------------------------------------------------------


def mark_read(*, user, notification_ids: Iterable[int] | None = None, collapse_key: str = "") -> int:
    """Mark the user's items read: those with the given ids, or with the collapse key (what the
    owning app says the person has now seen, e.g. a discussion they are reading), or else all of
    them. Pushes the new count after commit."""
    unread = Notification.objects.unread().filter(recipient=user)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    if collapse_key:
        unread = unread.filter(collapse_key=collapse_key)
    changed = unread.update(read_at=timezone.now())
    if changed:
        from notifications.broadcast import push_unread_counts

        transaction.on_commit(lambda: push_unread_counts([user.pk]), robust=True)
    return changed


# --- Direct e-mail to an address ------------------------------------------------------------


def queue_email(*, to: str, template: str, context: dict, language: str) -> OutgoingEmail:
    """A message to an address that may have no account (an invitation), rendered now in
    `language` (subject, plain text and HTML from `<template>_subject.txt`, `.txt`, `.html`),
    stored in the caller's transaction and sent by a task after commit; if the broker is down
    then, the sweep sends it later."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    email = OutgoingEmail.objects.create(to=to, subject=" ".join(subject.split())[:300], body=body, html=html)
    transaction.on_commit(lambda: schedule_email(email.pk), robust=True)
    return email


def schedule_email(email_id: int) -> None:
    from notifications.tasks import send_outgoing_email

    try:
        send_outgoing_email.delay(email_id)
    except Exception:
        logger.exception("Could not queue e-mail %s; the sweep will retry", email_id)
