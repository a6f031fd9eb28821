"""What every WebSocket consumer of the platform shares: it always leaves its groups.

A consumer joins channel-layer groups (and, for discussions, the presence set) when it
connects, and leaves them in `disconnect`. Channels calls `disconnect` only when the
websocket.disconnect message is handled. Two things skip it:
- a group event arrives after the browser has gone but before that message is handled; the
  send raises, the consumer ends with an exception, and its group memberships stay behind
  (bench/soak.py's churn found these: every later group_send still went to the dead channel);
- the server cancels the consumer (uvicorn does so when it outlives the graceful shutdown,
  daphne when it outlives application_close_timeout).
Here a send on a closed connection is dropped (the disconnect that follows cleans up), and
`disconnect` runs exactly once, when the consumer ends however it ends. A send after the
consumer's own close (an event that was already on its way) is not sent at all: uvicorn would
refuse it with a RuntimeError that ends the consumer (daphne with Disconnected).

Dispatch also skips what Channels does before every handler: close stale database
connections, a hop into the one thread that also runs every Django view of the process. A
message to a discussion with 200 readers made 200 such hops, queued with the page and POST
requests (bench/fanout.py: most of the delivery time). The consumers reach the database
through `with_database` instead, which closes stale connections in the same hop as the work.
(Channels' own database_sync_to_async closes them outside the call's context, where, with
asgiref 3.13, it does not see the connection the call used: the connection stayed open.)

Checked against channels 4.3.2 (AsyncConsumer.__call__ and dispatch, AsyncWebsocketConsumer.
websocket_disconnect), uvicorn 0.55.0 (production, scripts/web: a send on a closed socket raises
uvicorn's ClientDisconnected; on SIGTERM it closes every socket with 1012 and hands the consumer
websocket.disconnect), daphne 4.2.3 and autobahn 26.11.1 (`manage.py runserver`: a send on a
closed socket raises autobahn's Disconnected); tests/test_patched_internals.py fails when an
upgrade changes them.
"""

import logging

from asgiref.sync import async_to_sync, sync_to_async
from autobahn.exception import Disconnected
from channels.consumer import get_handler_name
from channels.db import aclose_old_connections
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.db import close_old_connections, transaction
from uvicorn.protocols.utils import ClientDisconnected

logger = logging.getLogger(__name__)


def access_group(user_pk: int) -> str:
    """The channel-layer group of every socket of one person that must check its access again
    when the person may have lost some (revoke_socket_access). Not "user-<pk>": the
    notification centre uses that group for its own events."""
    return f"access-user-{user_pk}"


def revoke_socket_access(user_ids) -> None:
    """Tell every open socket of these people to check their access again, once the current
    transaction has committed (at once outside one); a socket whose user may no longer read
    what it shows closes itself. Call it whenever someone may have lost access: an organisation
    left or was removed from a group, withdrew from a dialogue, a person was suspended or deleted
    their account."""
    user_ids = sorted(set(user_ids))

    def send():
        layer = get_channel_layer()
        for user_pk in user_ids:
            try:
                async_to_sync(layer.group_send)(access_group(user_pk), {"type": "access.revoked"})
            except Exception:  # a socket left open rechecks at its next frame or ping
                logger.warning("could not revoke the sockets of user %s", user_pk, exc_info=True)

    transaction.on_commit(send)


def with_database(func):
    """`func` as a coroutine function run in the sync thread, with stale database connections
    closed before and after it, inside the same call (so the closing sees its connection)."""

    def run(*args, **kwargs):
        close_old_connections()
        try:
            return func(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(run)


class LiveConsumer(AsyncJsonWebsocketConsumer):
    _left = False

    async def __call__(self, scope, receive, send):
        closed = False

        async def send_while_open(message):
            nonlocal closed
            if closed:  # we closed the socket; an event that was on its way has nothing to say
                logger.debug("dropped %s after the close", message.get("type"))
                return
            if message.get("type") == "websocket.close":
                closed = True
            try:
                await send(message)
            except (ClientDisconnected, Disconnected):  # the browser has gone; websocket.disconnect is on its way
                logger.debug("dropped %s to a closed connection", message.get("type"))

        try:
            await super().__call__(scope, receive, send_while_open)
        finally:
            if not self._left:  # ended without websocket.disconnect: crashed or cancelled
                await self._leave(None)
            await self._forget_channel()

    async def _forget_channel(self) -> None:
        """The pub/sub layer unsubscribes the socket's own channel only when Channels cancels a
        receive that is still waiting; a receive that has just got a message when the socket
        leaves is not cancelled, and the channel stayed subscribed for good."""
        if (discard := getattr(self.channel_layer, "discard_channel", None)) and hasattr(self, "channel_name"):
            await discard(self.channel_name)

    async def dispatch(self, message):
        # channels 4.3.2's AsyncConsumer.dispatch without its `await aclose_old_connections()`.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def layer_lost(self, event):
        """This process lost its channel layer (Redis): the socket can no longer hear anything,
        so close it; the browser reconnects and catches up once Redis is back."""
        await self.close(code=1012)  # "service restart": the page tries again

    async def websocket_disconnect(self, message):
        # channels 4.3.2's, less its discard of the class attribute `groups` (our consumers keep
        # none there): disconnect() once, close stale connections, stop.
        await self._leave(message.get("code"))
        await aclose_old_connections()
        raise StopConsumer()

    async def _leave(self, code) -> None:
        """disconnect(), once; if it fails or is cancelled half-way, the end of __call__ tries
        once more (leaving a group or the presence set twice is harmless)."""
        if not self._left:
            await self.disconnect(code)
            self._left = True
