"""Live unread counts: one channel-layer group per person (`user-<pk>`)."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db.models import Count

from core.channel_layer import groups_with_members
from notifications.models import Notification

logger = logging.getLogger(__name__)


def user_group(user_pk: int) -> str:
    return f"user-{user_pk}"


def unread_counts(user_ids) -> dict[int, int]:
    user_ids = list(user_ids)
    counts = dict(
        Notification.objects.unread()
        .filter(recipient_id__in=user_ids)
        .order_by()
        .values("recipient_id")
        .annotate(count=Count("pk"))
        .values_list("recipient_id", "count")
    )
    return {pk: counts.get(pk, 0) for pk in user_ids}


def push_unread_counts(user_ids) -> list[int]:
    """Send each person's unread count to their open browsers. Only people with a browser
    listening are counted and sent to (one question to the channel layer for all of them):
    most readers of a busy discussion are not online, and a browser that connects later gets
    its count on connecting. The sends go in one trip into the event loop (a thread message
    to 500 readers can be 500 sends). Returns whom it sent to. The count on every page is
    right without this, so a channel layer outage is logged and otherwise ignored."""
    user_ids = list(user_ids)
    if not user_ids:
        return []
    layer = get_channel_layer()
    groups = {user_group(pk): pk for pk in user_ids}

    async def send_all(counts):
        for pk, count in counts.items():
            await layer.group_send(user_group(pk), {"type": "unread.changed", "count": count})

    try:
        online = [groups[group] for group in async_to_sync(groups_with_members)(layer, groups)]
        if online:
            async_to_sync(send_all)(unread_counts(online))
    except Exception:
        logger.exception("Could not push unread counts to %d people", len(user_ids))
        return []
    return sorted(online)
