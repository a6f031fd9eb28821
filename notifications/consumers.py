from core.sockets import LiveConsumer, with_database
from notifications.broadcast import unread_counts, user_group


@with_database
def unread_count(user_pk: int) -> int:
    return unread_counts([user_pk])[user_pk]


class NotificationConsumer(LiveConsumer):
    """The signed-in person's own channel: it only listens, and hears their unread count."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group_name = user_group(user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        # A browser that reconnects after a drop gets the count it may have missed.
        await self.send_json({"unread": await unread_count(user.pk)})

    async def receive(self, text_data=None, bytes_data=None):
        """The channel only listens: whatever a client sends is ignored, never parsed."""

    async def disconnect(self, code):
        if group_name := getattr(self, "group_name", None):
            await self.channel_layer.group_discard(group_name, self.channel_name)

    async def unread_changed(self, event):  # "unread.changed" lands here
        await self.send_json({"unread": event["count"]})
