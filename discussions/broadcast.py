"""Live updates of discussions over the channel layer: the group names and every send.

Everything here runs after the database transaction has committed (the services register it
with transaction.on_commit), so a browser never hears of a message that was rolled back. A
send that fails (Redis down) is logged and dropped: the message is stored, and every browser
gets it with its next catch-up (it reconnects, or sees a newer revision in the server's ping).

Event types are `noun.verb`; the consumer's handler for "message.posted" is message_posted.
"""

import functools
import hashlib
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core.content_language import content_language_of
from core.fragments import cached_fragments, fragment_key
from discussions.pseudonyms import message_variants

logger = logging.getLogger(__name__)

MESSAGE_PARTIAL = "discussions/thread_detail.html#message"
LOCKED_PARTIAL = "discussions/thread_detail.html#locked_notice"


def thread_group(thread_pk: int) -> str:
    return f"thread-{thread_pk}"


# A message's markup is rendered once and kept (core/fragments.py: the cache, Redis in the
# services mode, shared by every process) under a key made of everything it shows: a changed
# message (a new revision), a renamed author, another language or another form of the message
# gets a new key, so a kept rendering cannot go stale; old keys simply expire.


@functools.cache
def _partial_version() -> str:
    # A changed template (a new release) renders every message again.
    source = get_template("discussions/thread_detail.html").template.source
    return hashlib.blake2b(source.encode(), digest_size=8).hexdigest()


def _fragment_key(message, moderator: bool) -> str:
    author, organisation = message.author, message.organisation
    hidden = message.hidden_at is not None
    shown = (
        _partial_version(),
        timezone.get_current_timezone_name(),
        message.revision,
        message.created_at.isoformat(),
        message.edited_at.isoformat() if message.edited_at else "",
        message.hidden_reason if hidden else "-",
        moderator and hidden,
        message.author_id,
        author.display_name if author else "",
        organisation.name if organisation else "",
        str(getattr(message, "author_label", "")),
        content_language_of(message),
        message.html,
        str(getattr(message, "shown_html", "")),
    )
    digest = hashlib.blake2b("\x1f".join(map(str, shown)).encode(), digest_size=16).hexdigest()
    return fragment_key("thread-message", message.pk, digest)  # the language is added there


def _render_fragment(message, moderator: bool) -> str:
    # Moderators also see a hidden message's text; nothing else in it depends on the reader.
    context = {"message": message, "can_moderate": moderator and message.hidden_at is not None}
    return render_to_string(MESSAGE_PARTIAL, context).strip()


def messages_html(messages, *, moderator: bool = False) -> list[SafeString]:
    """The markup of each message (`thread_detail.html#message`) in the active language, as
    marked by disguise_message for the reader: kept ones read together, the missing ones
    rendered and kept. Without the cache (Redis down) they are rendered as they are asked for."""
    return cached_fragments(
        messages,
        key=lambda message: _fragment_key(message, moderator),
        render=lambda message: _render_fragment(message, moderator),
    )


def message_html(message, *, moderator: bool = False) -> SafeString:
    return messages_html([message], moderator=moderator)[0]


def with_actions(fragment: str, actions: str) -> SafeString:
    """A message's markup with one reader's links (`thread_detail.html#message_actions`) inside
    its item, at the end."""
    if not actions:
        return mark_safe(fragment)
    return mark_safe(fragment.removesuffix("</li>") + actions + "</li>")


def in_every_language(render) -> dict[str, str]:
    """render() once per site language; each connection picks its user's."""
    rendered = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered[code] = str(render())
    return rendered


def message_event(message, event_type: str) -> dict:
    """In an open discussion the event also carries the message as suppliers see it
    (`variants`, discussions/pseudonyms.py) and whom its author wrote for; each connection sends
    its reader only the form they may see."""
    event = {
        "type": event_type,
        "id": message.pk,
        "revision": message.revision,
        "html": in_every_language(lambda: message_html(message)),
    }
    if variants := message_variants(message):
        event["organisation"] = message.organisation_id
        event["variants"] = {
            key: in_every_language(lambda variant=variant: message_html(variant)) for key, variant in variants.items()
        }
    return event


def _send(group: str, event: dict) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(group, event)
    except Exception:  # the message is stored; browsers catch up when the layer is back
        logger.warning("could not send %s to %s", event.get("type"), group, exc_info=True)


def broadcast_message(message, event_type: str) -> None:
    """message.posted, message.edited, message.hidden or message.restored, to the discussion."""
    _send(thread_group(message.thread_id), message_event(message, event_type))


def broadcast_thread_locked(thread) -> None:
    event = {"type": "thread.locked", "revision": thread.revision}
    event["html"] = in_every_language(lambda: render_to_string(LOCKED_PARTIAL, {"thread": thread}))
    _send(thread_group(thread.pk), event)


def broadcast_thread_unlocked(thread) -> None:
    _send(thread_group(thread.pk), {"type": "thread.unlocked", "revision": thread.revision})
