"""Who may see a notification: only the person it was written for (others get 404)."""

from django.shortcuts import get_object_or_404

from notifications.models import Notification


def get_notification_for_recipient(user, pk) -> Notification:
    return get_object_or_404(Notification.objects.select_related("target_type"), pk=pk, recipient=user)
