"""The live side of a discussion: one WebSocket per open thread page, at /ws/threads/<id>/.

The socket is for listening. Messages are posted with the ordinary form POST (enhanced with
fetch), so validation and permissions live in one place. The browser sends a few control
frames:
  {"type": "hello", "last_id": N, "revision": R}  → every message it lacks, then "caught-up"
  {"type": "ping", "id": n}                       → {"type": "pong", "id": n}
  {"type": "pong"}                                 (the answer to the server's ping)
  {"type": "read"}                                 the page is visible and shows the newest
                                                   messages: their notifications are read
The server sends message.posted / .edited / .hidden / .restored, thread.locked / .unlocked,
presence, ping (with the thread's revision: a browser that missed a broadcast sees a newer
revision and says hello again), access.revoked before it closes, and error frames.

Every frame from the browser counts towards a rate limit, re-checks the user's access, and
is checked for size, JSON, shape and type; anything wrong gets an error frame, never a crash.
"""

import asyncio
import json
import logging
import time
import weakref
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import OrganisationMember, User
from core.sockets import LiveConsumer, access_group, with_database
from discussions import presence
from discussions.access import can_read_thread, thread_access_for_socket
from discussions.broadcast import LOCKED_PARTIAL, messages_html, thread_group
from discussions.models import Message, Thread
from discussions.pseudonyms import (
    disguise_message,
    label_numbers,
    pick_variant,
    presence_names,
    pseudonyms_for_viewer,
    sees_names,
)
from discussions.services import mark_thread_read, record_attempt

logger = logging.getLogger(__name__)

CLOSE_SIGNED_OUT = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_SILENT = 4408

MAX_FRAME_CHARACTERS = 2048
FRAMES_PER_WINDOW = 30
FRAME_WINDOW_SECONDS = 10
CATCH_UP_LIMIT = 200


def ping_seconds() -> float:
    return settings.THREAD_PING_SECONDS


def silence_seconds() -> float:
    """A browser that has sent nothing (not even a pong) for this long is gone: close."""
    return settings.THREAD_SILENCE_SECONDS


@dataclass(frozen=True)
class Viewer:
    user_pk: int
    language: str
    group_side: bool
    thread_kind: str
    organisation_pk: int | None = None  # whom the user reads for here
    sees_names: bool = True  # every supplier by name (discussions/pseudonyms.py)


def _viewer(user, thread_pk) -> Viewer | None:
    access = thread_access_for_socket(user, thread_pk)
    if access is None:
        return None
    languages = {code for code, _name in settings.LANGUAGES}
    return Viewer(
        user_pk=user.pk,
        language=user.language if user.language in languages else settings.LANGUAGE_CODE,
        group_side=access.is_group_side,
        thread_kind=access.thread.kind,
        organisation_pk=access.organisation.pk if access.organisation else None,
        sees_names=sees_names(access.thread, group_side=access.is_group_side),
    )


def _catch_up(thread_pk: int, last_id: int, revision: int | None, viewer: Viewer) -> list[dict]:
    # The revision is read before the messages: whatever commits in between has a higher
    # revision and arrives again with its broadcast or the next ping; duplicates are harmless.
    thread = Thread.objects.get(pk=thread_pk)
    pseudonyms = pseudonyms_for_viewer(thread, group_side=viewer.group_side, organisation_id=viewer.organisation_pk)
    changed = (
        Message.objects.changed_since(last_id=last_id, revision=revision)
        .filter(thread_id=thread_pk)
        .select_related("author", "organisation", "thread__dialogue", "thread__group")
        .prefetch_related(
            Prefetch("author__affiliations", queryset=OrganisationMember.objects.select_related("organisation"))
        )
        .order_by("pk")
    )
    messages = list(changed[: CATCH_UP_LIMIT + 1])
    if len(messages) > CATCH_UP_LIMIT:
        return [{"type": "reload"}]
    frames = []
    with translation.override(viewer.language):
        shown = [disguise_message(message, pseudonyms) for message in messages]
        for message, html in zip(shown, messages_html(shown), strict=True):
            frames.append({"type": "message", "id": message.pk, "revision": message.revision, "html": html})
        caught_up = {"type": "caught-up", "revision": thread.revision, "locked": thread.is_locked}
        if thread.is_locked:
            caught_up["html"] = render_to_string(LOCKED_PARTIAL, {"thread": thread})
    return [*frames, caught_up]


def _revision(thread_pk: int) -> int:
    return Thread.objects.filter(pk=thread_pk).values_list("revision", flat=True).first() or 0


# Display names of people present, per server process, kept for a minute: while hundreds of
# people open a discussion each arrival would otherwise read every present person's name again.
# A renamed person shows under the new name within NAME_SECONDS.
NAME_SECONDS = 60
_names: dict[int, tuple[str, float]] = {}


def _roster(thread_pk: int, people) -> list[dict]:
    """Who is here, for every reader: name, side, whom suppliers' people read for and that
    supplier's label; each connection shows its reader what they may see (presence_changed)."""
    now = time.monotonic()
    sides = {person.user_pk: person.group_side for person in people}
    missing = [pk for pk in sides if pk not in _names or now - _names[pk][1] > NAME_SECONDS]
    if missing:
        if len(_names) > 50_000:
            _names.clear()
        for user in User.objects.filter(pk__in=missing).only("name", "email", "deleted_at"):
            _names[user.pk] = (user.display_name, now)
    organisations = {person.user_pk: person.organisation_pk for person in people}
    numbers = {}
    if any(organisations.values()):
        dialogue_id = (
            Thread.objects.filter(pk=thread_pk, kind=Thread.Kind.DIALOGUE).values_list("dialogue_id", flat=True).first()
        )
        numbers = label_numbers(dialogue_id) if dialogue_id else {}
    roster = [
        {
            "pk": pk,
            "name": _names[pk][0],
            "group_side": side,
            "organisation": organisations[pk],
            "label_number": numbers.get(organisations[pk]),
        }
        for pk, side in sides.items()
        if pk in _names
    ]
    return sorted(roster, key=lambda person: person["name"].casefold())


def presence_delay() -> float:
    """Changes to who is here within this many seconds go out as one roster: while N people
    connect, everyone gets a few rosters a second instead of N (N² frames in all)."""
    return settings.THREAD_PRESENCE_DELAY_SECONDS


# Per event loop (one per server process), the discussions whose roster is about to go out.
_announcing: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def announce_presence_soon(channel_layer, thread_pk: int) -> None:
    pending = _announcing.setdefault(asyncio.get_running_loop(), {})
    if thread_pk not in pending:
        pending[thread_pk] = asyncio.create_task(_announce_presence(channel_layer, thread_pk, pending))


async def _announce_presence(channel_layer, thread_pk: int, pending: dict) -> None:
    try:
        await asyncio.sleep(presence_delay())
        pending.pop(thread_pk, None)  # a change from now on schedules the next roster
        people = await presence.present(thread_pk)
        roster = await with_database(_roster)(thread_pk, people)
        await channel_layer.group_send(thread_group(thread_pk), {"type": "presence.changed", "people": roster})
    except Exception:  # who-is-here is a nicety: log and go on
        pending.pop(thread_pk, None)
        logger.warning("presence roster for thread %s not sent", thread_pk, exc_info=True)


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63


ERRORS = {
    "rate-limited": lambda: _("Too many frames at once. Wait a few seconds."),
    "binary": lambda: _("Only text frames are accepted."),
    "too-big": lambda: _("The frame is too big."),
    "not-json": lambda: _("The frame is not valid JSON."),
    "bad-shape": lambda: _("The frame must be a JSON object with a known type and valid fields."),
    "wrong-thread": lambda: _("This connection belongs to another discussion."),
    "unknown-type": lambda: _("Unknown frame type."),
}


class ThreadConsumer(LiveConsumer):
    viewer: Viewer | None = None

    async def connect(self):
        self.thread_pk = self.scope["url_route"]["kwargs"]["thread_pk"]
        user = self.scope["user"]
        if not user.is_authenticated:
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        self.viewer = await with_database(_viewer)(user, self.thread_pk)
        if self.viewer is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.joined = [thread_group(self.thread_pk), access_group(user.pk)]
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        self.last_heard = time.monotonic()
        await self._arrive(first=True)
        self.heartbeat = asyncio.create_task(self._beat())

    async def disconnect(self, code):
        if heartbeat := getattr(self, "heartbeat", None):
            heartbeat.cancel()
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        if self.viewer is not None:
            await self._depart()

    # --- frames from the browser ----------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        self.last_heard = time.monotonic()
        within_limit = await sync_to_async(record_attempt)(
            user_pk=self.viewer.user_pk, scope="frames", limit=FRAMES_PER_WINDOW, window=FRAME_WINDOW_SECONDS
        )
        if not within_limit:
            await self._error("rate-limited")
            return
        if not await with_database(can_read_thread)(self.scope["user"], self.thread_pk):
            await self._shut_out()
            return
        if text_data is None:
            await self._error("binary")
            return
        if len(text_data) > MAX_FRAME_CHARACTERS:
            await self._error("too-big")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self._error("not-json")
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self._error("bad-shape")
            return
        if "thread" in frame and frame["thread"] != self.thread_pk:
            await self._error("wrong-thread")
            return
        handler = {"hello": self._hello, "ping": self._ping, "pong": self._pong, "read": self._read}.get(frame["type"])
        if handler is None:
            await self._error("unknown-type")
            return
        await handler(frame)

    async def _hello(self, frame):
        last_id, revision = frame.get("last_id", 0), frame.get("revision")
        if not _is_count(last_id) or (revision is not None and not _is_count(revision)):
            await self._error("bad-shape")
            return
        frames = await with_database(_catch_up)(self.thread_pk, last_id, revision, self.viewer)
        for outgoing in frames:
            await self.send_json(outgoing)

    async def _ping(self, frame):
        answer = {"type": "pong"}
        if _is_count(frame.get("id")):
            answer["id"] = frame["id"]
        await self.send_json(answer)

    async def _pong(self, frame):
        pass  # hearing from the browser at all is what counts (last_heard)

    async def _read(self, frame):
        """A message read live in the open page does not also wait as unread in the notification
        centre and the digest. The browser says so (it knows whether the page is visible; the
        server only knows the socket is open), after showing messages and on coming back to a
        hidden tab; frames are rate-limited and the access was checked in receive()."""
        await with_database(mark_thread_read)(user=self.scope["user"], thread_pk=self.thread_pk)

    async def _error(self, code: str):
        with translation.override(self.viewer.language):
            await self.send_json({"type": "error", "code": code, "message": str(ERRORS[code]())})

    async def _shut_out(self):
        await self.send_json({"type": "access.revoked"})
        await self.close(code=CLOSE_FORBIDDEN)

    # --- heartbeat and presence -------------------------------------------------------------

    async def _beat(self):
        while True:
            await asyncio.sleep(ping_seconds())
            if time.monotonic() - self.last_heard > silence_seconds():
                await self.close(code=CLOSE_SILENT)
                return
            revision = await with_database(_revision)(self.thread_pk)
            await self.send_json({"type": "ping", "revision": revision})
            await self._arrive(first=False)

    def _presence_entry(self) -> dict:
        return {
            "user_pk": self.viewer.user_pk,
            "group_side": self.viewer.group_side,
            "channel_name": self.channel_name,
            "organisation_pk": None if self.viewer.group_side else self.viewer.organisation_pk,
        }

    async def _arrive(self, *, first: bool):
        try:
            people, changed = await presence.arrive(self.thread_pk, **self._presence_entry())
        except Exception:  # who-is-here is a nicety: never drop the connection over it
            logger.warning("presence update failed for thread %s", self.thread_pk, exc_info=True)
            return
        if changed:
            announce_presence_soon(self.channel_layer, self.thread_pk)
        if first:  # the newcomer sees who is here at once; the others with the next roster
            await self.presence_changed({"people": await with_database(_roster)(self.thread_pk, people)})

    async def _depart(self):
        try:
            _people, changed = await presence.depart(self.thread_pk, **self._presence_entry())
        except Exception:
            logger.warning("presence update failed for thread %s", self.thread_pk, exc_info=True)
            return
        if changed:
            announce_presence_soon(self.channel_layer, self.thread_pk)

    # --- events from the channel layer (discussions/broadcast.py) -----------------------------

    def _in_my_language(self, event: dict) -> dict:
        html = event["html"]
        return {**event, "html": html.get(self.viewer.language) or next(iter(html.values()))}

    def _message_frame(self, event: dict) -> dict:
        """The message as this reader may see it, in their language; the other forms stay here."""
        html = pick_variant(event, sees_names=self.viewer.sees_names, organisation_id=self.viewer.organisation_pk)
        return {
            "type": event["type"],
            "id": event["id"],
            "revision": event["revision"],
            "html": html.get(self.viewer.language) or next(iter(html.values())),
        }

    async def message_posted(self, event):
        await self.send_json(self._message_frame(event))

    async def message_edited(self, event):
        await self.send_json(self._message_frame(event))

    async def message_hidden(self, event):
        await self.send_json(self._message_frame(event))

    async def message_restored(self, event):
        await self.send_json(self._message_frame(event))

    async def thread_locked(self, event):
        await self.send_json(self._in_my_language(event))

    async def thread_unlocked(self, event):
        await self.send_json(event)

    async def presence_changed(self, event):
        """Who is here. In a dialogue's open discussion a supplier sees the group's people and
        its own by name, other suppliers only by label: being here must not reveal who takes part."""
        with translation.override(self.viewer.language):
            shown, others = presence_names(
                event["people"],
                sees_names=self.viewer.sees_names,
                organisation_id=self.viewer.organisation_pk,
                user_pk=self.viewer.user_pk,
            )
        await self.send_json({"type": "presence", "people": shown, "others": others})

    async def access_revoked(self, event):
        if not await with_database(can_read_thread)(self.scope["user"], self.thread_pk):
            await self._shut_out()
