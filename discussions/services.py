"""Discussion threads: everything that writes (PRODUCT.md §2.5).

Views check access first (discussions/access.py); these functions check the writing rules once
more inside the transaction, with the thread row locked, so that a lock or a withdrawal that
lands between the check and the save is never overtaken. Every change stores first and
broadcasts after commit (discussions/broadcast.py). The thread row lock also orders messages:
within a thread, a higher id and a higher revision always committed later, which is what
lets a reconnecting browser ask for "everything after id N / revision R" and miss nothing.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.standing import code_of_conduct_refusal
from audit.models import Action
from audit.services import record
from core.rate_limits import count_attempt
from dialogues.models import label_letters
from discussions.access import mentionable_users, thread_access, thread_readers
from discussions.broadcast import (
    broadcast_message,
    broadcast_thread_locked,
    broadcast_thread_unlocked,
)
from discussions.markdown import render_message
from discussions.models import Message, MessageEdit, Thread
from discussions.pseudonyms import author_label_number, readers_seeing_label
from groups.models import BuyerGroup
from notifications.services import mark_read, notify

logger = logging.getLogger(__name__)

POSTS_PER_WINDOW = 10
POST_WINDOW_SECONDS = 10


class ThreadRuleError(Exception):
    """A rule of discussions was broken; the message is for people."""


class PostingTooFast(ThreadRuleError):
    pass


def record_attempt(*, user_pk: int, scope: str, limit: int, window: int) -> bool:
    """Count one attempt by the user in the shared cache (Redis in the services mode, so every
    server process counts together); False once the user has made more than `limit` attempts
    in the `window` seconds that began with the first of them. When the cache cannot be
    reached (Redis down) nothing is counted and the attempt is allowed."""
    try:
        count = count_attempt(f"threads:rate:{scope}:{user_pk}", window=window)
    except Exception:  # Redis is down: a message is worth more than the count, let it through
        logger.warning("could not count %s attempts of user %s; not limiting", scope, user_pk, exc_info=True)
        return True
    return count <= limit


def _locked(thread: Thread) -> Thread:
    return (
        Thread.objects.select_for_update(of=("self",)).select_related("group", "dialogue", "supplier").get(pk=thread.pk)
    )


def _render(body: str, access):
    # Only look people up when the text could mention someone.
    mentionable = list(mentionable_users(access)) if "@" in body else []
    return render_message(body, mentionable=mentionable)


def _check_text(body: str) -> str:
    body = body.strip()
    if not body:
        raise ThreadRuleError(_("Write a message before sending."))
    if len(body) > Message.MAX_LENGTH:
        raise ThreadRuleError(
            _("A message can be at most %(limit_value)d characters; this one has %(show_value)d.")
            % {"limit_value": Message.MAX_LENGTH, "show_value": len(body)}
        )
    return body


@transaction.atomic
def post_message(*, thread: Thread, author, body: str) -> Message:
    """Store a message by a reader who may write here, with its Markdown rendered and its
    @mentions linked. Raises PostingTooFast past 10 messages in 10 seconds per person, and
    ThreadRuleError when the writing rules refuse (locked, dialogue closed, withdrawn…). The
    notifications are written in this transaction; after commit the message goes live."""
    if not record_attempt(user_pk=author.pk, scope="post", limit=POSTS_PER_WINDOW, window=POST_WINDOW_SECONDS):
        raise PostingTooFast(_("You are sending messages very fast. Wait a few seconds and send again."))
    body = _check_text(body)
    if refusal := code_of_conduct_refusal(author):
        raise ThreadRuleError(refusal)
    thread = _locked(thread)
    access = thread_access(author, thread)
    if not access.can_post:
        raise ThreadRuleError(access.refusal)
    rendered = _render(body, access)
    now = timezone.now()
    thread.revision += 1
    message = Message.objects.create(
        thread=thread,
        author=author,
        organisation=access.organisation,
        body=body,
        html=rendered.html,
        revision=thread.revision,
        created_at=now,
    )
    if rendered.mentioned:
        message.mentions.set(rendered.mentioned)
    thread.message_count += 1
    thread.last_message_at = now
    thread.save(update_fields=["revision", "message_count", "last_message_at"])
    BuyerGroup.objects.filter(pk=thread.group_id).update(last_activity_at=now)
    # Registered first so it runs first after commit: the open pages hear of the message before
    # the notification tasks are queued.
    transaction.on_commit(lambda: broadcast_message(message, "message.posted"))
    notify_thread_readers(message, mentioned=rendered.mentioned)
    return message


def notify_thread_readers(message: Message, *, mentioned=()) -> dict:
    """Who hears of a new message: the people it mentions ("mention") and every other reader
    ("thread_message"; their own preferences choose at once, digest or nothing). The author is
    never told of their own message. Each person has at most one unread item per kind and
    discussion, counting the messages ("5 new messages in …", read_key). Returns {kind: users}.
    Runs inside post_message's transaction, so notifications commit or roll back with the message."""
    mentioned_pks = {person.pk for person in mentioned} - {message.author_id}
    readers = thread_readers(message.thread).exclude(pk=message.author_id)
    recipients = {
        "mention": readers.filter(pk__in=mentioned_pks),
        "thread_message": readers.exclude(pk__in=mentioned_pks),
    }
    thread = message.thread
    params = {
        "person": message.author.display_name if message.author else "",
        "thread": thread.title or (thread.dialogue.title if thread.dialogue_id else ""),
    }
    # In an open discussion other suppliers know the author's organisation only by its label.
    number = author_label_number(message)
    for kind, users in recipients.items():
        audiences = [(users, params)]
        if number:
            by_label = readers_seeing_label(users, thread, message.organisation_id)
            labelled = {"variant": "supplier", "letter": label_letters(number), "thread": params["thread"]}
            audiences = [(users.exclude(pk__in=by_label.values("pk")), params), (by_label, labelled)]
        for audience, audience_params in audiences:
            notify(
                kind=kind,
                recipients=audience,
                params=audience_params,
                url=message.get_absolute_url(),
                place=thread,
                target=message,
                actor=message.author,
                dedupe_key=f"{kind}-{message.pk}",
                collapse_key=read_key(thread.pk),
            )
    return recipients


def read_key(thread_pk: int) -> str:
    """The collapse key of a discussion's message notifications: one unread item per person and
    kind, marked read when they read the discussion (mark_thread_read)."""
    return f"thread-{thread_pk}"


def mark_thread_read(*, user, thread_pk: int) -> int:
    """The person has read the discussion (opened its page, or had it open and visible when
    messages came in, discussions/consumers.py): its message notifications are read."""
    return mark_read(user=user, collapse_key=read_key(thread_pk))


@transaction.atomic
def start_group_thread(*, group: BuyerGroup, author, title: str, body: str) -> Thread:
    """A workspace user starts a titled discussion in the group with its first message."""
    thread = Thread.objects.create(kind=Thread.Kind.GROUP, group=group, title=title.strip(), created_by=author)
    post_message(thread=thread, author=author, body=body)
    thread.refresh_from_db()
    return thread


def get_or_create_dialogue_thread(*, dialogue, user=None) -> Thread:
    """The dialogue's one open discussion, created the first time someone opens it (a database
    constraint keeps it one, also when two people open it at the same moment)."""
    thread, _created = Thread.objects.get_or_create(
        kind=Thread.Kind.DIALOGUE,
        dialogue=dialogue,
        defaults={"group_id": dialogue.group_id, "created_by": user},
    )
    return thread


def get_or_create_private_thread(*, dialogue, supplier, user=None) -> Thread:
    """The one private discussion between the group and one supplier in a dialogue."""
    thread, _created = Thread.objects.get_or_create(
        kind=Thread.Kind.PRIVATE,
        dialogue=dialogue,
        supplier=supplier,
        defaults={"group_id": dialogue.group_id, "created_by": user},
    )
    return thread


@transaction.atomic
def edit_message(*, message: Message, editor, body: str) -> Message:
    """The author changes their own message within 15 minutes of sending it, while they may
    still write here. The replaced text is kept as a MessageEdit; browsers get the new text."""
    body = _check_text(body)
    thread = _locked(message.thread)
    message = (
        Message.objects.select_for_update(of=("self",)).select_related("author", "organisation").get(pk=message.pk)
    )
    now = timezone.now()
    if message.author_id != editor.pk:
        raise ThreadRuleError(_("You can only change your own messages."))
    if message.is_hidden:
        raise ThreadRuleError(_("A moderator has hidden this message, so it can no longer be changed."))
    if not message.is_editable_by(editor, now):
        raise ThreadRuleError(_("A message can only be changed during the first 15 minutes after it was sent."))
    access = thread_access(editor, thread)
    if not access.can_post:
        raise ThreadRuleError(access.refusal)
    if body == message.body:
        return message
    rendered = _render(body, access)
    MessageEdit.objects.create(
        message=message,
        body=message.body,
        html=message.html,
        written_at=message.edited_at or message.created_at,
        edited_by=editor,
        edited_at=now,
    )
    thread.revision += 1
    message.thread = thread
    message.body, message.html, message.edited_at, message.revision = body, rendered.html, now, thread.revision
    message.save(update_fields=["body", "html", "edited_at", "revision"])
    message.mentions.set(rendered.mentioned)
    thread.save(update_fields=["revision"])
    transaction.on_commit(lambda: broadcast_message(message, "message.edited"))
    return message


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ThreadRuleError(_("Give a reason: it is shown to everyone in the discussion and kept for the record."))
    return reason


@transaction.atomic
def hide_message(*, message: Message, moderator, reason: str) -> Message:
    """A moderator (coordinator or facilitator; the caller checked) hides a message. Everyone
    sees the reason in its place; the text stays for the record and for moderators."""
    reason = _require_reason(reason)
    thread = _locked(message.thread)
    message = (
        Message.objects.select_for_update(of=("self",)).select_related("author", "organisation").get(pk=message.pk)
    )
    if message.is_hidden:
        raise ThreadRuleError(_("The message is already hidden."))
    thread.revision += 1
    message.thread = thread
    message.hidden_at, message.hidden_by, message.hidden_reason = timezone.now(), moderator, reason
    message.revision = thread.revision
    message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "revision"])
    thread.save(update_fields=["revision"])
    record(actor=moderator, action=Action.CONTENT_HIDDEN, target=message, reason=reason, group=thread.group)
    transaction.on_commit(lambda: broadcast_message(message, "message.hidden"))
    _notify_author(message, moderator, variant="hidden", reason=reason)
    return message


def _notify_author(message: Message, moderator, *, variant: str, reason: str = "") -> None:
    """The author hears when a moderator hides or restores what they wrote."""
    if message.author_id is None:
        return
    notify(
        kind="moderation_action",
        recipients=[message.author],
        params={"variant": variant, "place": str(message.thread), "reason": reason},
        place=message.thread,
        target=message,
        actor=moderator,
    )


@transaction.atomic
def restore_message(*, message: Message, moderator, reason: str = "") -> Message:
    """A moderator shows a hidden message again."""
    thread = _locked(message.thread)
    message = (
        Message.objects.select_for_update(of=("self",)).select_related("author", "organisation").get(pk=message.pk)
    )
    if not message.is_hidden:
        raise ThreadRuleError(_("The message is not hidden."))
    thread.revision += 1
    message.thread = thread
    message.hidden_at, message.hidden_by, message.hidden_reason = None, None, ""
    message.revision = thread.revision
    message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "revision"])
    thread.save(update_fields=["revision"])
    record(actor=moderator, action=Action.CONTENT_RESTORED, target=message, reason=reason.strip(), group=thread.group)
    transaction.on_commit(lambda: broadcast_message(message, "message.restored"))
    _notify_author(message, moderator, variant="restored")
    return message


@transaction.atomic
def lock_thread(*, thread: Thread, moderator, reason: str) -> Thread:
    """A moderator locks a discussion: it stays readable and takes no new messages or edits."""
    reason = _require_reason(reason)
    thread = _locked(thread)
    if thread.is_locked:
        raise ThreadRuleError(_("The discussion is already locked."))
    thread.revision += 1
    thread.locked_at, thread.locked_by, thread.lock_reason = timezone.now(), moderator, reason
    thread.save(update_fields=["revision", "locked_at", "locked_by", "lock_reason"])
    record(actor=moderator, action=Action.THREAD_LOCKED, target=thread, reason=reason, group=thread.group)
    transaction.on_commit(lambda: broadcast_thread_locked(thread))
    return thread


@transaction.atomic
def unlock_thread(*, thread: Thread, moderator, reason: str = "") -> Thread:
    thread = _locked(thread)
    if not thread.is_locked:
        raise ThreadRuleError(_("The discussion is not locked."))
    thread.revision += 1
    thread.locked_at, thread.locked_by, thread.lock_reason = None, None, ""
    thread.save(update_fields=["revision", "locked_at", "locked_by", "lock_reason"])
    record(actor=moderator, action=Action.THREAD_UNLOCKED, target=thread, reason=reason.strip(), group=thread.group)
    transaction.on_commit(lambda: broadcast_thread_unlocked(thread))
    return thread
