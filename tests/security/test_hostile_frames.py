"""Hostile WebSocket frames: whatever a client sends on a discussion's socket gets a clear
error frame (or the answer to a valid frame), never a crash, and the connection lives on.
The notification socket only listens and ignores everything."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st

from config.asgi import application
from tests.security.test_websocket_matrix import session_cookie
from tests.security.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 3
ANSWERS = {"error", "pong", "message", "caught-up", "presence", "ping"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
frames = st.one_of(
    json_values.map(json.dumps),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["hello", "ping", "pong", "post", ""])},
        optional={
            "last_id": json_values,
            "revision": json_values,
            "id": json_values,
            "thread": json_values,
        },
    ).map(json.dumps),
    st.text(max_size=300),
    st.binary(max_size=300),
    st.sampled_from(
        [
            "[" * 1024 + "]" * 1024,  # nested as deep as the size limit allows
            '{"a":' * 400 + "1" + "}" * 400,
            '{"type": "hello", "last_id": 1e999}',
            '{"type": "hello", "last_id": 99999999999999999999999}',
            '{"type": "ping", "id": NaN}',
            '{"type": "hello", "last_id": 0, "revision": -Infinity}',
            "\x00" * 100,
            "\ud800",
            "x" * 2049,
        ]
    ),
)


async def exchange(cookie, path, frame):
    """Connect, send one frame, and check the answer and that a ping still gets its pong."""
    socket = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://testserver"), (b"cookie", cookie)])
    connected, code = await socket.connect(timeout=TIMEOUT)
    assert connected, code
    key = "bytes" if isinstance(frame, bytes) else "text"
    await socket.send_input({"type": "websocket.receive", key: frame})  # empty frames included
    await socket.send_json_to({"type": "ping", "id": 424242})
    answers = []
    while True:
        output = await socket.receive_output(timeout=TIMEOUT)
        assert output["type"] == "websocket.send", output  # not closed, no crash
        answer = json.loads(output["text"])
        answers.append(answer)
        assert answer.get("type") in ANSWERS, answer
        if answer["type"] == "error":
            assert answer["message"], answer
        if answer == {"type": "pong", "id": 424242}:
            break
    await socket.disconnect()
    return answers


@pytest.fixture
def socket_world():
    world = build_world()
    return world, session_cookie(world.users["member"]), f"/ws/threads/{world.A.group_thread.pk}/"


def test_random_frames_get_an_answer_and_the_connection_lives_on(socket_world):
    _world, cookie, path = socket_world

    @settings(max_examples=80)
    @given(frame=frames)
    def check(frame):
        cache.clear()  # the frame rate limit has its own test
        channel_layers.backends.clear()  # a layer instance belongs to one event loop
        async_to_sync(exchange)(cookie, path, frame)

    check()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("[" * 1024 + "]" * 1024, "bad-shape"),
        ('{"type": "hello", "last_id": 1e999}', "bad-shape"),
        ('{"type": "hello", "last_id": 0, "revision": NaN}', "bad-shape"),
        ("x" * 2049, "too-big"),
    ],
)
def test_pathological_frames_get_the_right_error(socket_world, frame, code):
    _world, cookie, path = socket_world
    answers = async_to_sync(exchange)(cookie, path, frame)
    assert [a["code"] for a in answers if a["type"] == "error"] == [code]


def test_the_notification_socket_ignores_whatever_it_is_sent(socket_world):
    world, cookie, _path = socket_world

    async def run():
        socket = WebsocketCommunicator(
            application, "/ws/notifications/", headers=[(b"origin", b"http://testserver"), (b"cookie", cookie)]
        )
        connected, _code = await socket.connect(timeout=TIMEOUT)
        assert connected
        assert "unread" in await socket.receive_json_from(timeout=TIMEOUT)
        for frame in ("[" * 1024 + "]" * 1024, "x" * 100_000, "{not json", '{"type": "mark_read"}'):
            await socket.send_to(text_data=frame)
        await socket.send_to(bytes_data=b"\x00\xff" * 1000)
        assert await socket.receive_nothing(timeout=0.5)  # no answer, and not closed
        await socket.disconnect()

    async_to_sync(run)()
