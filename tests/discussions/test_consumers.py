"""The discussion WebSocket, through the whole ASGI stack (origin check, session, routing) on
the channel layer the settings name: Redis in the services mode, in-memory in the embedded."""

import asyncio

import psycopg
import pytest
from channels.testing import WebsocketCommunicator
from django.db import connection, transaction
from django.test import Client, override_settings

from config.asgi import application
from core.sockets import with_database
from dialogues.models import Participation
from dialogues.services.dialogue import withdraw_participation
from discussions.services import edit_message, hide_message, lock_thread, post_message
from groups.models import Membership
from groups.services.memberships import end_membership
from tests.dialogues.conftest import READERS, ROLES, session_cookie
from tests.dialogues.servers import test_database_url
from tests.factories import person_at

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

TIMEOUT = 3


async def connect(user, thread_pk, *, path=None):
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        headers.append((b"cookie", await with_database(session_cookie)(user)))
    socket = WebsocketCommunicator(application, path or f"/ws/threads/{thread_pk}/", headers=headers)
    connected, code = await socket.connect(timeout=TIMEOUT)
    if not connected:
        await socket.disconnect()  # as the server does after refusing: lets the consumer finish
    return socket, connected, code


async def joined(user, thread):
    socket, connected, code = await connect(user, thread.pk)
    assert connected, code
    await next_frame(socket, "presence")  # sent to every new connection
    return socket


async def database_sessions() -> int:
    """The test database's PostgreSQL sessions, counted from a connection of its own."""
    async with await psycopg.AsyncConnection.connect(test_database_url(), autocommit=True) as admin:
        cursor = await admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return (await cursor.fetchone())[0]


async def next_frame(socket, frame_type):
    """The next frame of this type; presence updates and pings on the way are passed over."""
    while True:
        frame = await socket.receive_json_from(timeout=TIMEOUT)
        if frame["type"] == frame_type:
            return frame
        assert frame["type"] in {"presence", "ping"}, frame


async def closed_with(socket) -> int:
    while True:
        output = await socket.receive_output(timeout=TIMEOUT)
        if output["type"] == "websocket.close":
            return output.get("code")


async def send(socket, frame):
    await socket.send_json_to(frame)


post = with_database(post_message)


@pytest.mark.parametrize("kind", READERS)
async def test_connect_is_allowed_exactly_for_readers(thread_cast, kind):
    outcome = {}
    for role in ROLES:
        socket, connected, code = await connect(getattr(thread_cast, role), thread_cast.threads[kind].pk)
        outcome[role] = "open" if connected else code
        if connected:
            await socket.disconnect()
    expected = {role: "open" if role in READERS[kind] else 4403 for role in ROLES} | {"visitor": 4401}
    assert outcome == expected


async def test_unknown_thread_is_refused_like_a_forbidden_one(thread_cast):
    _socket, connected, code = await connect(thread_cast.member, 999_999)
    assert (connected, code) == (False, 4403)


def session_cookie_without_the_code(user) -> bytes:
    client = Client()  # Django's own force_login: no two-factor step in the session
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def test_a_facilitator_session_that_never_entered_the_code_gets_no_socket(thread_cast):
    """accounts.sockets.SessionGate, in front of every socket (the pages sign such a session out)."""
    cookie = await with_database(session_cookie_without_the_code)(thread_cast.facilitator)
    headers = [(b"origin", b"http://testserver"), (b"cookie", cookie)]
    socket = WebsocketCommunicator(application, f"/ws/threads/{thread_cast.group_thread.pk}/", headers=headers)
    assert await socket.connect(timeout=TIMEOUT) == (False, 4401)
    await socket.disconnect()


@pytest.mark.parametrize("exempt", [True, False])
async def test_a_demo_facilitator_without_two_factor_gets_the_socket_only_while_exempt(thread_cast, exempt):
    @with_database
    def make_demo_without_app():
        thread_cast.facilitator.authenticator_set.all().delete()
        type(thread_cast.facilitator).objects.filter(pk=thread_cast.facilitator.pk).update(is_demo=True)

    await make_demo_without_app()
    with override_settings(DEMO_MFA_EXEMPT=exempt):
        socket, connected, code = await connect(thread_cast.facilitator, thread_cast.group_thread.pk)
        assert (connected, code) == ((True, None) if exempt else (False, 4401))
        if connected:
            await socket.disconnect()


async def test_posted_message_arrives_after_commit(thread_cast):
    socket = await joined(thread_cast.observer, thread_cast.group_thread)
    message = await post(thread=thread_cast.group_thread, author=thread_cast.member, body="Hej *alla*")
    frame = await next_frame(socket, "message.posted")
    assert frame["id"] == message.pk and frame["revision"] == message.revision
    assert "<em>alla</em>" in frame["html"] and f'id="message-{message.pk}"' in frame["html"]
    await socket.disconnect()


async def test_rolled_back_message_is_never_sent(thread_cast):
    socket = await joined(thread_cast.observer, thread_cast.group_thread)

    @with_database
    def post_then_roll_back():
        with transaction.atomic():
            post_message(thread=thread_cast.group_thread, author=thread_cast.member, body="Ångrat")
            transaction.set_rollback(True)

    await post_then_roll_back()
    assert await socket.receive_nothing(timeout=0.5)
    await post(thread=thread_cast.group_thread, author=thread_cast.member, body="Sparat")
    assert "Sparat" in (await next_frame(socket, "message.posted"))["html"]
    await socket.disconnect()


async def test_catch_up_after_a_gap_sends_what_was_missed_in_order(thread_cast):
    thread = thread_cast.group_thread
    seen = await post(thread=thread, author=thread_cast.member, body="Sett innan avbrottet")
    # The browser is away while two messages arrive and an older one is changed.
    first = await post(thread=thread, author=thread_cast.coordinator, body="Första under avbrottet")
    await post(thread=thread, author=thread_cast.observer, body="Andra under avbrottet")
    await with_database(edit_message)(message=seen, editor=thread_cast.member, body="Sett, och rättat")
    socket = await joined(thread_cast.member, thread)
    await send(socket, {"type": "hello", "last_id": seen.pk, "revision": seen.revision})
    frames = [await next_frame(socket, "message") for _ in range(3)]
    assert [f["id"] for f in frames] == [seen.pk, first.pk, first.pk + 1]
    assert "Sett, och rättat" in frames[0]["html"] and "Andra under avbrottet" in frames[2]["html"]
    caught_up = await next_frame(socket, "caught-up")
    assert caught_up["revision"] == max(f["revision"] for f in frames) and caught_up["locked"] is False
    await send(socket, {"type": "hello", "last_id": first.pk + 1, "revision": caught_up["revision"]})
    assert (await next_frame(socket, "caught-up"))["revision"] == caught_up["revision"]  # nothing twice
    await socket.disconnect()


async def test_edits_hides_and_locks_are_broadcast(thread_cast):
    thread = thread_cast.open_thread
    message = await post(thread=thread, author=thread_cast.supplier, body="Ursprunglig text")
    socket = await joined(thread_cast.other_supplier, thread)
    await with_database(edit_message)(message=message, editor=thread_cast.supplier, body="Ny text")
    assert "Ny text" in (await next_frame(socket, "message.edited"))["html"]
    await with_database(hide_message)(message=message, moderator=thread_cast.coordinator, reason="Reklam")
    hidden = await next_frame(socket, "message.hidden")
    assert "Reklam" in hidden["html"] and "Ny text" not in hidden["html"]
    await with_database(lock_thread)(thread=thread, moderator=thread_cast.facilitator, reason="Paus")
    assert "Paus" in (await next_frame(socket, "thread.locked"))["html"]
    await socket.disconnect()


async def test_each_connection_gets_its_users_language(thread_cast):
    @with_database
    def set_languages():
        type(thread_cast.member).objects.filter(pk=thread_cast.member.pk).update(language="sv")
        type(thread_cast.observer).objects.filter(pk=thread_cast.observer.pk).update(language="en")

    await set_languages()
    swedish = await joined(thread_cast.member, thread_cast.group_thread)
    english = await joined(thread_cast.observer, thread_cast.group_thread)
    message = await post(thread=thread_cast.group_thread, author=thread_cast.coordinator, body="Fel forum")
    await next_frame(swedish, "message.posted")
    await next_frame(english, "message.posted")
    await with_database(hide_message)(message=message, moderator=thread_cast.coordinator, reason="Spam")
    assert "Borttaget av en moderator" in (await next_frame(swedish, "message.hidden"))["html"]
    assert "Removed by a moderator" in (await next_frame(english, "message.hidden"))["html"]
    await swedish.disconnect()
    await english.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("x" * 5000, "too-big"),
        ("{not json", "not-json"),
        ("[1, 2]", "bad-shape"),
        ('{"type": 5}', "bad-shape"),
        ('{"last_id": 3}', "bad-shape"),
        ('{"type": "hello", "last_id": "3"}', "bad-shape"),
        ('{"type": "hello", "last_id": -1}', "bad-shape"),
        ('{"type": "hello", "last_id": true}', "bad-shape"),
        ('{"type": "post", "body": "hej"}', "unknown-type"),
    ],
)
async def test_bad_frame_gets_an_error_frame_and_the_connection_lives_on(thread_cast, raw, code):
    socket = await joined(thread_cast.member, thread_cast.group_thread)
    await socket.send_to(text_data=raw)
    error = await next_frame(socket, "error")
    assert error["code"] == code and error["message"]
    await send(socket, {"type": "ping", "id": 7})
    assert (await next_frame(socket, "pong"))["id"] == 7
    await socket.disconnect()


async def test_binary_frame_gets_an_error_frame(thread_cast):
    socket = await joined(thread_cast.member, thread_cast.group_thread)
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await next_frame(socket, "error"))["code"] == "binary"
    await socket.disconnect()


async def test_frame_naming_a_thread_the_user_may_not_read_gets_nothing_from_it(thread_cast):
    secret = await post(thread=thread_cast.private_thread, author=thread_cast.supplier, body="Vår kalkyl")
    socket = await joined(thread_cast.other_supplier, thread_cast.open_thread)
    await send(socket, {"type": "hello", "thread": thread_cast.private_thread.pk, "last_id": 0, "revision": 0})
    error = await next_frame(socket, "error")
    assert error["code"] == "wrong-thread"
    assert await socket.receive_nothing(timeout=0.3)
    assert secret.body not in str(error)
    await socket.disconnect()


async def test_control_frames_are_rate_limited_with_a_clear_message(thread_cast):
    socket = await joined(thread_cast.member, thread_cast.group_thread)
    for number in range(30):
        await send(socket, {"type": "ping", "id": number})
        assert (await next_frame(socket, "pong"))["id"] == number
    await send(socket, {"type": "ping", "id": 30})
    error = await next_frame(socket, "error")
    assert error["code"] == "rate-limited" and "Wait a few seconds" in error["message"]
    await socket.disconnect()


async def test_removal_from_the_group_disconnects_at_once(thread_cast):
    member = await joined(thread_cast.member, thread_cast.group_thread)
    facilitator = await joined(thread_cast.facilitator, thread_cast.group_thread)
    membership = await with_database(Membership.objects.get)(
        organisation=thread_cast.lund, status=Membership.Status.ACTIVE
    )
    await with_database(end_membership)(
        membership=membership, user=thread_cast.coordinator, removed=True, reason="Lämnar arbetet"
    )
    assert (await next_frame(member, "access.revoked"))["type"] == "access.revoked"
    assert await closed_with(member) == 4403
    await member.disconnect()  # what the server does once the browser has seen the close
    presence = await next_frame(facilitator, "presence")  # the facilitator stays, and sees Erik leave
    assert "Erik Medlem" not in presence["people"]
    await facilitator.disconnect()


async def test_withdrawal_cuts_the_open_thread_and_keeps_the_private_one(thread_cast):
    open_socket = await joined(thread_cast.supplier, thread_cast.open_thread)
    private_socket = await joined(thread_cast.supplier, thread_cast.private_thread)

    @with_database
    def withdraw():
        participation = Participation.objects.get(dialogue=thread_cast.dialogue, organisation=thread_cast.solvent)
        withdraw_participation(participation=participation, user=thread_cast.supplier)

    await withdraw()
    await next_frame(open_socket, "access.revoked")
    assert await closed_with(open_socket) == 4403
    await open_socket.disconnect()
    await send(private_socket, {"type": "ping", "id": 1})
    assert (await next_frame(private_socket, "pong"))["id"] == 1
    await private_socket.disconnect()


async def test_every_frame_rechecks_access(thread_cast):
    socket = await joined(thread_cast.member, thread_cast.group_thread)
    # Access goes without any broadcast: the next frame finds out.
    await with_database(Membership.objects.filter(organisation=thread_cast.lund).update)(status="removed")
    await send(socket, {"type": "ping", "id": 1})
    await next_frame(socket, "access.revoked")
    assert await closed_with(socket) == 4403
    await socket.disconnect()


async def test_presence_names_the_group_but_shows_competing_suppliers_by_label(thread_cast):
    thread = thread_cast.open_thread
    coordinator = await joined(thread_cast.coordinator, thread)
    supplier = await joined(thread_cast.supplier, thread)
    competitor = await joined(thread_cast.other_supplier, thread)
    while True:
        seen_by_coordinator = await next_frame(coordinator, "presence")
        if len(seen_by_coordinator["people"]) == 3:
            break
    assert seen_by_coordinator == {
        "type": "presence",
        "people": ["Anna Samordnare", "Omar Konkurrent", "Sara Leverantör"],
        "others": 0,
    }
    while True:
        seen_by_supplier = await next_frame(supplier, "presence")
        if len(seen_by_supplier["people"]) == 3:
            break
    # Nordlys joined second: Solvent's people see it as "Supplier B" (English: the fixture's language).
    assert seen_by_supplier == {
        "type": "presence",
        "people": ["Anna Samordnare", "Sara Leverantör", "Supplier B"],
        "others": 0,
    }
    while True:
        seen_by_competitor = await next_frame(competitor, "presence")
        if len(seen_by_competitor["people"]) == 3:
            break
    assert seen_by_competitor["people"] == ["Anna Samordnare", "Omar Konkurrent", "Supplier A"]
    await competitor.disconnect()
    assert (await next_frame(supplier, "presence"))["people"] == ["Anna Samordnare", "Sara Leverantör"]
    await coordinator.disconnect()
    await supplier.disconnect()


@pytest.fixture
def colleagues(thread_cast):
    return [person_at(thread_cast.vaxjo, name=f"Kollega {n:02d}") for n in range(10)]


async def test_arrivals_close_together_reach_the_others_as_one_roster(thread_cast, colleagues):
    """Ten people opening the discussion within the presence delay: the one already there gets
    a roster or two with everyone in it, not one per arrival (N² frames while N connect)."""
    thread = thread_cast.group_thread
    sessions_before = await database_sessions() if connection.vendor == "postgresql" else 0
    with override_settings(THREAD_PRESENCE_DELAY_SECONDS=0.5):
        first = await joined(thread_cast.coordinator, thread)
        others = await asyncio.gather(*(joined(person, thread) for person in colleagues))
        rosters = []
        while not rosters or len(rosters[-1]["people"]) < 11:
            rosters.append(await next_frame(first, "presence"))
        assert len(rosters) <= 3, [len(roster["people"]) for roster in rosters]
        assert rosters[-1]["people"] == ["Anna Samordnare", *(f"Kollega {n:02d}" for n in range(10))]
        assert await first.receive_nothing(timeout=1)  # nothing more follows: the arrivals are told
        for socket in others:
            await socket.disconnect()
        gone = await next_frame(first, "presence")
        assert gone["people"] == ["Anna Samordnare"]  # ten departures, one roster
        await first.disconnect()
    if connection.vendor == "postgresql":
        # Every consumer's database work closed its connection (core/sockets.py: with_database).
        assert await database_sessions() <= sessions_before


async def test_server_pings_with_the_revision_and_closes_a_silent_connection(thread_cast):
    with override_settings(THREAD_PING_SECONDS=0.2, THREAD_SILENCE_SECONDS=0.5):
        socket = await joined(thread_cast.member, thread_cast.group_thread)
        message = await post(thread=thread_cast.group_thread, author=thread_cast.coordinator, body="Ny")
        ping = await socket.receive_json_from(timeout=TIMEOUT)
        while ping["type"] != "ping":
            ping = await socket.receive_json_from(timeout=TIMEOUT)
        assert ping["revision"] == message.revision
        assert await closed_with(socket) == 4408  # waits for the close, after 0.5 s of silence
        await socket.disconnect()
