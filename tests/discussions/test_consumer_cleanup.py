"""A discussion socket always leaves its groups and the presence set, also when an event hits
the closed connection before the server has handled the disconnect, and when the server
cancels the consumer (core/sockets.py). Driven through the whole ASGI application with a
`send` that behaves like uvicorn's (production) or daphne's (`manage.py runserver`) once the
browser has gone or the socket was closed."""

import asyncio
import json
import logging

import pytest
from autobahn.exception import Disconnected
from channels.layers import InMemoryChannelLayer, get_channel_layer
from uvicorn.protocols.utils import ClientDisconnected

from config.asgi import application
from core.channel_layer import PubSubChannelLayer
from core.sockets import with_database
from discussions import presence
from discussions.broadcast import thread_group
from discussions.services import post_message
from groups.models import Membership
from tests.dialogues.conftest import session_cookie
from tests.waiting import wait_until_async

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]
SERVERS = ["uvicorn", "daphne"]

TIMEOUT = 5


async def members(group: str) -> int:
    layer = get_channel_layer()
    if isinstance(layer, PubSubChannelLayer):  # the services mode: members are kept in the process
        here = layer._get_layer()
        return len(here.groups.get(here._get_group_channel_name(group), ()))
    if isinstance(layer, InMemoryChannelLayer):  # the embedded mode
        return len(layer.groups.get(group, {}))
    return await layer.connection(layer.consistent_hash(group)).zcard(layer._group_key(group))


class Browser:
    """The server's side of one connection: what the application receives and sends."""

    def __init__(self, thread_pk: int, cookie: bytes, server: str):
        self.server = server
        self.scope = {
            "type": "websocket",
            "path": f"/ws/threads/{thread_pk}/",
            "raw_path": f"/ws/threads/{thread_pk}/".encode(),
            "query_string": b"",
            "headers": [(b"origin", b"http://testserver"), (b"cookie", cookie), (b"host", b"testserver")],
            "subprotocols": [],
            "client": ["127.0.0.1", 50000],
            "server": ["testserver", 80],
        }
        self.incoming: asyncio.Queue = asyncio.Queue()
        self.sent: list[dict] = []
        self.gone = False
        self.closed = False
        self.refused_sends = 0

    async def send(self, message):
        # What the servers do (uvicorn 0.55.0's websockets-sansio protocol, daphne 4.2.3 on
        # autobahn) when the connection has gone, or when the application sends after its close.
        if self.gone or self.closed:
            self.refused_sends += 1
            if self.server == "daphne":
                raise Disconnected("Attempt to send on a closed protocol")
            if self.gone:
                raise ClientDisconnected()
            raise RuntimeError(f"Unexpected ASGI message '{message['type']}', after sending 'websocket.close'.")
        self.sent.append(message)
        self.closed = message["type"] == "websocket.close"

    def receive_frame(self, frame: dict) -> None:
        self.incoming.put_nowait({"type": "websocket.receive", "text": json.dumps(frame)})

    def start(self) -> asyncio.Task:
        self.incoming.put_nowait({"type": "websocket.connect"})
        return asyncio.create_task(application(self.scope, self.incoming.get, self.send))

    async def wait_for(self, predicate) -> None:
        await wait_until_async(
            lambda: any(predicate(message) for message in self.sent), timeout=TIMEOUT, message=predicate.__name__
        )


def accepted(message) -> bool:
    return message["type"] == "websocket.accept"


async def open_socket(thread, user, server="uvicorn") -> tuple[Browser, asyncio.Task]:
    """A browser connected to the discussion, and the application's task serving it."""
    browser = Browser(thread.pk, await with_database(session_cookie)(user), server)
    task = browser.start()
    await browser.wait_for(accepted)
    return browser, task


@pytest.mark.parametrize("server", SERVERS)
async def test_an_event_after_the_browser_left_does_not_strand_the_connection(thread_cast, server):
    thread = thread_cast.group_thread
    browser, task = await open_socket(thread, thread_cast.member, server)
    assert await members(thread_group(thread.pk)) == 1
    assert await presence.present(thread.pk)

    browser.gone = True  # the TCP connection closed; the server has not handled it yet
    await with_database(post_message)(thread=thread, author=thread_cast.coordinator, body="Hej")
    # The message reaches the consumer and hits the closed socket.
    await wait_until_async(lambda: browser.refused_sends, timeout=TIMEOUT, message="a send on the closed socket")
    assert not task.done()  # and the consumer lived through it

    browser.incoming.put_nowait({"type": "websocket.disconnect", "code": 1006})
    await asyncio.wait_for(task, TIMEOUT)
    assert await members(thread_group(thread.pk)) == 0
    assert not await presence.present(thread.pk)


async def test_a_cancelled_consumer_still_leaves_its_groups(thread_cast):
    thread = thread_cast.group_thread
    browser, task = await open_socket(thread, thread_cast.member)
    assert await members(thread_group(thread.pk)) == 1

    task.cancel()  # what the servers do to an application that outlives their shutdown timeout
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await members(thread_group(thread.pk)) == 0
    assert not await presence.present(thread.pk)


@pytest.mark.parametrize("server", SERVERS)
async def test_a_send_after_the_consumer_closed_the_socket_is_dropped(thread_cast, server, caplog):
    """The consumer closes the socket (access lost) and, before the server's websocket.disconnect
    is handled, has something more to say (here the next frame finds the access gone again)."""
    thread = thread_cast.group_thread
    browser, task = await open_socket(thread, thread_cast.member, server)
    await with_database(Membership.objects.filter(organisation=thread_cast.lund).update)(status="removed")
    browser.receive_frame({"type": "ping", "id": 1})
    await browser.wait_for(lambda message: message["type"] == "websocket.close")
    caplog.set_level(logging.DEBUG, logger="core.sockets")
    browser.receive_frame({"type": "ping", "id": 2})  # refused again: access.revoked and a close

    def dropped() -> int:
        return sum("after the close" in record.getMessage() for record in caplog.records)

    await wait_until_async(lambda: dropped() >= 2 or task.done(), timeout=TIMEOUT, message="the second refusal")
    assert not task.done()  # the consumer lived through it
    assert browser.refused_sends == 0  # nothing reached the server after the close
    assert [message["type"] for message in browser.sent].count("websocket.close") == 1

    browser.incoming.put_nowait({"type": "websocket.disconnect", "code": 4403})
    await asyncio.wait_for(task, TIMEOUT)
    assert await members(thread_group(thread.pk)) == 0
    assert not await presence.present(thread.pk)


async def test_a_message_arriving_while_the_socket_leaves_does_not_keep_its_channel(thread_cast):
    """Channels cleans a pub/sub channel up only by cancelling a receive that is still waiting;
    one that has just received a message when the disconnect is handled is not cancelled, and
    the channel stayed subscribed (bench/soak.py's churn: hundreds after a minute)."""
    layer = get_channel_layer()
    if not isinstance(layer, PubSubChannelLayer):
        pytest.skip("the in-memory layer drops a channel by itself when it expires")
    thread = thread_cast.group_thread
    channels = layer._get_layer().channels
    kept = 0
    for _ in range(10):
        before = set(channels)
        browser, task = await open_socket(thread, thread_cast.member)
        channel_name = next(iter(set(channels) - before), "")
        await layer.group_send(thread_group(thread.pk), {"type": "thread.unlocked", "revision": 0})
        browser.incoming.put_nowait({"type": "websocket.disconnect", "code": 1001})
        await asyncio.wait_for(task, TIMEOUT)
        kept += channel_name in channels
    assert kept == 0
