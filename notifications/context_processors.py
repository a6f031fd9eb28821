from django.utils.functional import cached_property

from notifications.models import Notification


class UnreadNotifications:
    """The header's unread count, counted once per request and only if a template asks."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        if self.user is None or not self.user.is_authenticated:
            return 0
        return Notification.objects.unread().filter(recipient=self.user).count()


def notifications(request):
    return {"notifications": UnreadNotifications(getattr(request, "user", None))}
