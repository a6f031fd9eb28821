"""The person's messages, for their personal-data export (core/personal_data.py): what they
wrote with the discussion's title, never the other messages of the discussion."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.personal_data import register_section
from discussions.models import Message, MessageEdit, Thread

_THREAD_PLACE = ("thread__group", "thread__dialogue", "thread__supplier")


def _threads_started(user):
    threads = Thread.objects.filter(created_by=user).select_related("group", "dialogue", "supplier")
    for thread in threads.order_by("created_at", "pk"):
        yield {
            "discussion": thread.display_title,
            "kind": thread.get_kind_display(),
            "group": thread.group.name,
            "created_at": thread.created_at,
        }


def _messages(user):
    earlier = Prefetch("edits", queryset=MessageEdit.objects.order_by("written_at", "pk"))
    messages = (
        Message.objects.filter(author=user)
        .select_related("organisation", *_THREAD_PLACE)
        .prefetch_related(earlier)
        .order_by("created_at", "pk")
    )
    for message in messages.iterator(chunk_size=200):
        yield {
            "discussion": message.thread.display_title,
            "group": message.thread.group.name,
            "written_for": message.organisation.name if message.organisation_id else None,
            "text": message.body,
            "created_at": message.created_at,
            "edited_at": message.edited_at,
            "earlier_versions": [{"text": edit.body, "written_at": edit.written_at} for edit in message.edits.all()],
            "hidden_at": message.hidden_at,
            "hidden_reason": message.hidden_reason,
        }


def _mentions(user):
    # Someone else's message: where and when the person was named, not what was written.
    mentions = Message.objects.filter(mentions=user).select_related(*_THREAD_PLACE).order_by("created_at", "pk")
    for message in mentions.iterator(chunk_size=500):
        yield {"discussion": message.thread.display_title, "at": message.created_at}


def register_personal_data() -> None:
    register_section(
        "discussions_started", description=_("Discussions you started."), models=[Thread], rows=_threads_started
    )
    register_section(
        "messages",
        description=_("Your messages, with earlier versions of those you edited, and the discussion each is in."),
        models=[Message, MessageEdit],
        rows=_messages,
    )
    register_section(
        "mentions",
        description=_("Where and when someone mentioned you in a message."),
        models=[],
        rows=_mentions,
    )
