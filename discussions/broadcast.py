"""Live updates of discussions over the channel layer: the group names and every send.

Everything here runs after the database transaction has committed (the services register it
with transaction.on_commit), so a browser never hears of a message that was rolled back. A
send that fails (Redis down) is logged and dropped: the message is stored, and every browser
gets it with its next catch-up (it reconnects, or sees a newer revision in the server's ping).

Event types are `noun.verb`; the consumer's handler for "message.posted" is message_posted.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from discussions.pseudonyms import message_variants

logger = logging.getLogger(__name__)

MESSAGE_PARTIAL = "discussions/thread_detail.html#message"
LOCKED_PARTIAL = "discussions/thread_detail.html#locked_notice"


def thread_group(thread_pk: int) -> str:
    return f"thread-{thread_pk}"


def render_message(message, **context) -> str:
    """The one piece of markup for a message, as the page shows it (context adds the viewer's
    actions: can_edit, can_moderate, show_original)."""
    return render_to_string(MESSAGE_PARTIAL, {"message": message, **context})


def in_every_language(template_name: str, context: dict) -> dict[str, str]:
    """Rendered once per site language; each connection picks its user's."""
    rendered = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered[code] = render_to_string(template_name, context)
    return rendered


def message_event(message, event_type: str) -> dict:
    """In an open discussion the event also carries the message as suppliers see it
    (`variants`, discussions/pseudonyms.py) and whom its author wrote for; each connection sends
    its reader only the form they may see."""
    event = {
        "type": event_type,
        "id": message.pk,
        "revision": message.revision,
        "html": in_every_language(MESSAGE_PARTIAL, {"message": message}),
    }
    if variants := message_variants(message):
        event["organisation"] = message.organisation_id
        event["variants"] = {
            key: in_every_language(MESSAGE_PARTIAL, {"message": variant}) for key, variant in variants.items()
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
    event["html"] = in_every_language(LOCKED_PARTIAL, {"thread": thread})
    _send(thread_group(thread.pk), event)


def broadcast_thread_unlocked(thread) -> None:
    _send(thread_group(thread.pk), {"type": "thread.unlocked", "revision": thread.revision})
