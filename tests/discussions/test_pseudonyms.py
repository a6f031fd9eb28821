"""Suppliers are pseudonymous to each other in a dialogue's open discussion (issue 16, finding 4):
on its pages, in its live frames, mentions, notifications, e-mails and search, and in the public
record, a supplier sees another supplier only by its label ("Supplier B"); the group,
facilitators and the supplier's own people see names.

The cast (tests/dialogues/conftest.py `thread_cast`): Solvent AB (Sara Leverantör) joined first
and is "Supplier A"; Nordlys AB (Omar Konkurrent) joined second and is "Supplier B"."""

import pytest
from django.urls import reverse

from core.sockets import with_database
from dialogues.record import build_record
from discussions.services import edit_message, post_message
from notifications.models import Notification, NotificationPreference
from tests.dialogues.conftest import signed_in
from tests.discussions.test_consumers import joined, next_frame, send

B_NAMES = ("Omar Konkurrent", "Nordlys")
A_NAMES = ("Sara Leverantör", "Solvent")

sync_db = pytest.mark.django_db
live = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def page(user, url) -> str:
    response = signed_in(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_hides_b(text: str):
    for name in B_NAMES:
        assert name not in text, f"{name!r} shown to another supplier"


def b_writes(thread_cast, body="Vi kan leverera i maj."):
    return post_message(thread=thread_cast.open_thread, author=thread_cast.other_supplier, body=body)


# --- Pages -----------------------------------------------------------------------------------


@sync_db
def test_another_supplier_sees_the_author_only_by_label(thread_cast):
    b_writes(thread_cast)
    html = page(thread_cast.supplier, thread_cast.open_thread.get_absolute_url())
    assert "Vi kan leverera i maj." in html
    assert "Supplier B" in html
    assert_hides_b(html)
    assert f'data-author="{thread_cast.other_supplier.pk}"' not in html


@sync_db
@pytest.mark.parametrize("role", ["coordinator", "member", "observer", "facilitator", "other_supplier"])
def test_the_group_facilitators_and_the_author_s_own_people_see_names(thread_cast, role):
    b_writes(thread_cast)
    html = page(getattr(thread_cast, role), thread_cast.open_thread.get_absolute_url())
    assert "Omar Konkurrent" in html and "Nordlys AB" in html


@sync_db
def test_a_mention_of_another_supplier_s_person_shows_its_label(thread_cast):
    post_message(thread=thread_cast.open_thread, author=thread_cast.coordinator, body="@Omar Konkurrent, när?")
    url = thread_cast.open_thread.get_absolute_url()
    seen_by_a = page(thread_cast.supplier, url)
    assert "@Supplier B" in seen_by_a
    assert_hides_b(seen_by_a)
    assert f"#person-{thread_cast.other_supplier.pk}" not in seen_by_a
    assert "@Omar Konkurrent" in page(thread_cast.other_supplier, url)
    assert "@Omar Konkurrent" in page(thread_cast.coordinator, url)


@sync_db
def test_the_mention_picker_offers_a_supplier_no_competitor(thread_cast):
    search = reverse("threads:mention-search", args=[thread_cast.open_thread.pk])
    client = signed_in(thread_cast.supplier)
    assert [p["name"] for p in client.get(search, {"q": "Anna"}).json()["people"]] == ["Anna Samordnare"]
    for typed in ("Omar", "Nordlys", "o", "a"):
        assert_hides_b(client.get(search, {"q": typed}).content.decode())
    assert_hides_b(page(thread_cast.supplier, thread_cast.open_thread.get_absolute_url()))


@sync_db
def test_message_history_hides_the_other_supplier(thread_cast):
    message = b_writes(thread_cast, body="Första versionen")
    edit_message(message=message, editor=thread_cast.other_supplier, body="Andra versionen")
    mention = post_message(thread=thread_cast.open_thread, author=thread_cast.coordinator, body="Hej @Omar Konkurrent")
    edit_message(message=mention, editor=thread_cast.coordinator, body="Hej igen @Omar Konkurrent")
    for target in (message, mention):
        html = page(thread_cast.supplier, reverse("threads:message-history", args=[target.pk]))
        assert_hides_b(html)
    html = page(thread_cast.supplier, reverse("threads:message-history", args=[message.pk]))
    assert "Supplier B" in html and "Första versionen" in html
    assert "Omar Konkurrent" in page(thread_cast.coordinator, reverse("threads:message-history", args=[message.pk]))


@sync_db
def test_reporting_another_supplier_s_message_does_not_name_it(thread_cast):
    message = post_message(
        thread=thread_cast.open_thread, author=thread_cast.other_supplier, body="Fråga @Anna Samordnare"
    )
    html = page(thread_cast.supplier, reverse("moderation:report-create", args=["message", message.pk]))
    assert "Supplier B" in html and "Fråga" in html
    assert_hides_b(html)
    assert "Omar Konkurrent" in page(
        thread_cast.member, reverse("moderation:report-create", args=["message", message.pk])
    )


@sync_db
def test_private_and_group_discussions_keep_names(thread_cast):
    post_message(thread=thread_cast.private_thread, author=thread_cast.supplier, body="Hej gruppen")
    assert "Sara Leverantör" in page(thread_cast.coordinator, thread_cast.private_thread.get_absolute_url())
    assert "Supplier A" not in page(thread_cast.coordinator, thread_cast.private_thread.get_absolute_url())


@sync_db
def test_the_banner_says_who_sees_what(thread_cast):
    url = thread_cast.open_thread.get_absolute_url()
    assert "Other suppliers see your organisation as Supplier A;" in page(thread_cast.supplier, url)
    assert "Other suppliers see your organisation as Supplier B;" in page(thread_cast.other_supplier, url)
    assert "Suppliers see each other only as Supplier A, B" in page(thread_cast.coordinator, url)
    dialogue = page(thread_cast.supplier, thread_cast.dialogue.get_absolute_url())
    assert "Other suppliers see your organisation as Supplier A;" in dialogue


# --- Notifications and e-mail ---------------------------------------------------------------


@sync_db
def test_notifications_and_e_mails_name_the_other_supplier_only_by_label(
    thread_cast, deliver_outbox, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=thread_cast.supplier, kind="thread_message", delivery="immediately")
    with django_capture_on_commit_callbacks(execute=True):
        message = b_writes(thread_cast)
    deliver_outbox()
    to_a = Notification.objects.get(kind="thread_message", recipient=thread_cast.supplier, target_id=message.pk)
    assert to_a.message().startswith("Supplier B wrote in")
    assert_hides_b(to_a.message())
    to_group = Notification.objects.get(kind="thread_message", recipient=thread_cast.coordinator, target_id=message.pk)
    assert to_group.message().startswith("Omar Konkurrent wrote in")
    mails = [m for m in mailoutbox if m.to == [thread_cast.supplier.email]]
    assert len(mails) == 1
    assert_hides_b(mails[0].subject + mails[0].body + "".join(str(part[0]) for part in mails[0].alternatives))
    assert "Supplier B" in mails[0].body
    centre = page(thread_cast.supplier, reverse("notifications:notification-list"))
    assert "Supplier B wrote in" in centre
    assert_hides_b(centre)


# --- Search ---------------------------------------------------------------------------------


def search_page(user, query) -> str:
    return page(user, reverse("search:search") + f"?q={query}&kind=messages")


@sync_db
def test_search_shows_another_supplier_s_message_without_its_name(thread_cast):
    b_writes(thread_cast, body="Batterierna räcker åtta timmar.")
    html = search_page(thread_cast.supplier, "Batterierna")
    assert "räcker åtta timmar" in html
    assert_hides_b(html)


@sync_db
def test_search_does_not_pair_a_competitor_s_person_with_the_dialogue(thread_cast):
    post_message(thread=thread_cast.open_thread, author=thread_cast.coordinator, body="@Omar Konkurrent, laddtider?")
    assert "laddtider" not in search_page(thread_cast.supplier, "Omar")
    assert "laddtider" in search_page(thread_cast.coordinator, "Omar")
    assert "laddtider" in search_page(thread_cast.other_supplier, "Omar")  # Omar's own organisation


# --- The public record ----------------------------------------------------------------------


@sync_db
def test_the_public_record_shows_labels_and_the_full_record_names(thread_cast):
    public = build_record(thread_cast.dialogue, public=True)
    assert [row["label_letter"] for row in public["participant_labels"]] == ["A", "B"]
    assert not any(name in str(public) for name in B_NAMES + A_NAMES)
    full = build_record(thread_cast.dialogue, public=False, user=thread_cast.coordinator)
    assert {row["organisation"] for row in full["participants"]} == {"Solvent AB", "Nordlys AB"}
    coordinator = signed_in(thread_cast.coordinator)
    url = reverse("dialogues:public-record", args=[thread_cast.dialogue.pk])
    assert coordinator.post(url).status_code == 302
    html = page(thread_cast.supplier, url)
    assert "Supplier A" in html and "Supplier B" in html
    assert_hides_b(html)


# --- Live frames ----------------------------------------------------------------------------

post = with_database(post_message)
edit = with_database(edit_message)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_live_frames_show_the_other_supplier_only_by_label(thread_cast):
    thread = thread_cast.open_thread
    a_socket = await joined(thread_cast.supplier, thread)
    b_socket = await joined(thread_cast.other_supplier, thread)
    group_socket = await joined(thread_cast.coordinator, thread)
    message = await post(thread=thread, author=thread_cast.other_supplier, body="Vi kan leverera i maj.")
    seen_by_a = await next_frame(a_socket, "message.posted")
    assert "Supplier B" in seen_by_a["html"] and "Vi kan leverera i maj." in seen_by_a["html"]
    assert_hides_b(str(seen_by_a))
    assert set(seen_by_a) == {"type", "id", "revision", "html"}  # no other form of the message
    assert "Omar Konkurrent" in (await next_frame(b_socket, "message.posted"))["html"]
    seen_by_group = (await next_frame(group_socket, "message.posted"))["html"]
    assert "Omar Konkurrent" in seen_by_group and "Nordlys AB" in seen_by_group

    await edit(message=message, editor=thread_cast.other_supplier, body="Vi kan leverera i juni.")
    edited = await next_frame(a_socket, "message.edited")
    assert "juni" in edited["html"] and "Supplier B" in edited["html"]
    assert_hides_b(str(edited))
    assert "Omar Konkurrent" in (await next_frame(b_socket, "message.edited"))["html"]
    for socket in (a_socket, b_socket, group_socket):
        await socket.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_live_mentions_show_the_other_supplier_only_by_label(thread_cast):
    thread = thread_cast.open_thread
    a_socket = await joined(thread_cast.supplier, thread)
    b_socket = await joined(thread_cast.other_supplier, thread)
    await post(thread=thread, author=thread_cast.coordinator, body="@Omar Konkurrent och @Sara Leverantör: laddtider?")
    seen_by_a = (await next_frame(a_socket, "message.posted"))["html"]
    assert "@Supplier B" in seen_by_a and "@Sara Leverantör" in seen_by_a
    assert_hides_b(seen_by_a)
    seen_by_b = (await next_frame(b_socket, "message.posted"))["html"]
    assert "@Omar Konkurrent" in seen_by_b and "@Supplier A" in seen_by_b and "Sara" not in seen_by_b
    await a_socket.disconnect()
    await b_socket.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_catching_up_shows_the_other_supplier_only_by_label(thread_cast):
    thread = thread_cast.open_thread
    await post(thread=thread, author=thread_cast.other_supplier, body="Skrivet medan A var borta")
    a_socket = await joined(thread_cast.supplier, thread)
    await send(a_socket, {"type": "hello", "last_id": 0})
    frame = await next_frame(a_socket, "message")
    assert "Skrivet medan A var borta" in frame["html"] and "Supplier B" in frame["html"]
    assert_hides_b(frame["html"])
    b_socket = await joined(thread_cast.other_supplier, thread)
    await send(b_socket, {"type": "hello", "last_id": 0})
    assert "Omar Konkurrent" in (await next_frame(b_socket, "message"))["html"]
    await a_socket.disconnect()
    await b_socket.disconnect()
