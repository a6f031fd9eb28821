from django.contrib.auth import get_user_model

from core.sockets import LiveConsumer, access_group, with_database
from notifications.broadcast import unread_counts, user_group

CLOSE_SIGNED_OUT = 4401


@with_database
def unread_count(user_pk: int) -> int:
    return unread_counts([user_pk])[user_pk]


@with_database
def may_still_sign_in(user_pk: int) -> bool:
    user = get_user_model().objects.filter(pk=user_pk).first()
    return user is not None and user.is_active and not user.is_deleted


class NotificationConsumer(LiveConsumer):
    """The signed-in person's own channel: it only listens, and hears their unread count. It
    closes when the account is deleted or deactivated (core.sockets.revoke_socket_access); a
    suspension leaves it open: the person still reads the site, and is told why through it."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.user_pk = user.pk
        self.joined = [user_group(user.pk), access_group(user.pk)]
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        # A browser that reconnects after a drop gets the count it may have missed.
        await self.send_json({"unread": await unread_count(user.pk)})

    async def receive(self, text_data=None, bytes_data=None):
        """The channel only listens: whatever a client sends is ignored, never parsed."""

    async def disconnect(self, code):
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def unread_changed(self, event):  # "unread.changed" lands here
        await self.send_json({"unread": event["count"]})

    async def access_revoked(self, event):  # "access.revoked" lands here
        if not await may_still_sign_in(self.user_pk):
            await self.close(code=CLOSE_SIGNED_OUT)
