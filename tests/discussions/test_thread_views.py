"""The discussion pages without JavaScript (plain POST, redirect) and with fetch (JSON), and
every kind of bad input: clear message, nothing stored that should not be, the text kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from dialogues.models import Participation
from discussions.models import Message, MessageEdit, Thread
from discussions.services import lock_thread, post_message
from tests.dialogues.conftest import signed_in

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
JSON = {"HTTP_ACCEPT": "application/json"}


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return signed_in(user)


def post_url(thread):
    return reverse("threads:message-create", args=[thread.pk])


def test_member_posts_with_a_plain_form_and_is_sent_back_to_the_message(thread_cast):
    thread = thread_cast.group_thread
    response = signed_in(thread_cast.member).post(post_url(thread), {"body": "Vi har **två** depåer."})
    message = thread.messages.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/threads/{thread.pk}/#message-{message.pk}"
    assert message.author == thread_cast.member and message.organisation == thread_cast.lund
    assert message.html == "<p>Vi har <strong>två</strong> depåer.</p>"
    page = signed_in(thread_cast.observer).get(thread.get_absolute_url()).content.decode()
    assert "Vi har <strong>två</strong> depåer." in page and "Lunds kommun" in page


def test_fetch_post_gets_the_message_markup_back_as_json(thread_cast):
    response = signed_in(thread_cast.member).post(post_url(thread_cast.group_thread), {"body": "Hej"}, **JSON)
    assert response.status_code == 201
    data = response.json()
    message = Message.objects.get(pk=data["id"])
    assert data["revision"] == message.revision
    assert f'id="message-{message.pk}"' in data["html"] and "<p>Hej</p>" in data["html"]
    assert f"/threads/messages/{message.pk}/edit/" in data["html"]  # the author's own actions


def test_empty_message_is_refused_and_nothing_stored(thread_cast):
    client, thread = english(thread_cast.member), thread_cast.group_thread
    before = thread.messages.count()
    response = client.post(post_url(thread), {"body": "   \n  "})
    assert response.status_code == 400
    assert "Write a message before sending." in response.content.decode()
    assert client.post(post_url(thread), {"body": ""}, **JSON).json() == {"error": "Write a message before sending."}
    assert thread.messages.count() == before


def test_over_long_message_is_refused_and_the_whole_text_kept(thread_cast):
    client, thread = english(thread_cast.member), thread_cast.group_thread
    text = "Lång text. " * 460 + "SLUTET"
    response = client.post(post_url(thread), {"body": text})
    html = response.content.decode()
    assert response.status_code == 400
    assert "at most 5000 characters; this one has 5066" in html
    assert "SLUTET</textarea>" in html
    assert not thread.messages.filter(body__contains="SLUTET").exists()


def test_posting_to_a_locked_thread_is_refused_and_the_text_kept(thread_cast):
    thread = lock_thread(thread=thread_cast.group_thread, moderator=thread_cast.coordinator, reason="Vi tar paus")
    client = english(thread_cast.member)
    response = client.post(post_url(thread), {"body": "Mitt viktiga inlägg"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "This discussion is locked and takes no new messages." in html
    assert "Mitt viktiga inlägg</textarea>" in html and "Vi tar paus" in html
    json_response = client.post(post_url(thread), {"body": "Igen"}, **JSON)
    assert json_response.status_code == 403 and "locked" in json_response.json()["error"]
    assert not thread.messages.filter(body__in=["Mitt viktiga inlägg", "Igen"]).exists()


def test_eleventh_message_in_ten_seconds_is_refused_with_a_clear_message(thread_cast):
    client, thread = english(thread_cast.member), thread_cast.group_thread
    for number in range(10):
        assert client.post(post_url(thread), {"body": f"Meddelande {number}"}).status_code == 302
    response = client.post(post_url(thread), {"body": "Ett för mycket"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "You are sending messages very fast." in html and "Ett för mycket</textarea>" in html
    assert client.post(post_url(thread), {"body": "Igen"}, **JSON).status_code == 429
    assert not thread.messages.filter(body="Ett för mycket").exists()


def test_outsider_cannot_post_or_learn_that_the_thread_exists(thread_cast):
    response = signed_in(thread_cast.other_supplier).post(post_url(thread_cast.private_thread), {"body": "Hej"})
    assert response.status_code == 404
    assert not thread_cast.private_thread.messages.exists()


def test_withdrawn_supplier_reads_its_private_thread_but_cannot_post(thread_cast):
    Participation.objects.filter(organisation=thread_cast.solvent).update(withdrawn_at=timezone.now())
    client = english(thread_cast.supplier)
    assert client.get(thread_cast.private_thread.get_absolute_url()).status_code == 200
    response = client.post(post_url(thread_cast.private_thread), {"body": "Fortfarande här"})
    assert response.status_code == 403 and "no longer takes part" in response.content.decode()
    assert client.get(thread_cast.open_thread.get_absolute_url()).status_code == 404


def test_author_edits_within_fifteen_minutes_and_the_old_text_is_kept(thread_cast):
    message = post_message(thread=thread_cast.group_thread, author=thread_cast.member, body="Första texten")
    client = english(thread_cast.member)
    edit = reverse("threads:message-edit", args=[message.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"body": "Rättad text"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.body == "Rättad text" and message.edited_at is not None
    assert list(MessageEdit.objects.filter(message=message).values_list("body", flat=True)) == ["Första texten"]
    history = signed_in(thread_cast.observer).get(reverse("threads:message-history", args=[message.pk]))
    assert "Första texten" in history.content.decode() and "Rättad text" in history.content.decode()


def test_edit_after_fifteen_minutes_is_refused_and_the_text_kept(thread_cast):
    message = post_message(thread=thread_cast.group_thread, author=thread_cast.member, body="Gammal text")
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    response = english(thread_cast.member).post(reverse("threads:message-edit", args=[message.pk]), {"body": "Ny"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "first 15 minutes" in html
    message.refresh_from_db()
    assert message.body == "Gammal text" and not message.edits.exists()


def test_nobody_edits_someone_elses_message(thread_cast):
    message = post_message(thread=thread_cast.group_thread, author=thread_cast.member, body="Mitt")
    edit = reverse("threads:message-edit", args=[message.pk])
    assert signed_in(thread_cast.coordinator).post(edit, {"body": "Ändrat"}).status_code == 403
    assert signed_in(thread_cast.supplier).get(edit).status_code == 404


def test_moderator_hides_with_a_reason_shown_in_place_of_the_text(thread_cast):
    message = post_message(thread=thread_cast.open_thread, author=thread_cast.supplier, body="Olämpligt inlägg")
    moderate = reverse("message-moderate", args=[message.pk])
    coordinator = english(thread_cast.coordinator)
    empty = coordinator.post(moderate, {"reason": ""})
    assert empty.status_code == 400 and not Message.objects.get(pk=message.pk).is_hidden
    assert coordinator.post(moderate, {"reason": "Personuppgifter"}).status_code == 302
    message.refresh_from_db()
    assert message.is_hidden and message.hidden_by == thread_cast.coordinator
    assert AuditEntry.objects.filter(
        action=Action.CONTENT_HIDDEN, target_id=str(message.pk), reason="Personuppgifter"
    ).exists()
    other = english(thread_cast.other_supplier).get(thread_cast.open_thread.get_absolute_url()).content.decode()
    assert "Removed by a moderator: Personuppgifter" in other and "Olämpligt inlägg" not in other
    moderator_page = coordinator.get(thread_cast.open_thread.get_absolute_url()).content.decode()
    assert "Olämpligt inlägg" in moderator_page  # kept for the record, behind "show" for moderators
    history = signed_in(thread_cast.other_supplier).get(reverse("threads:message-history", args=[message.pk]))
    assert history.status_code == 403
    assert coordinator.post(moderate, {"reason": ""}).status_code == 302  # showing again needs no reason
    message.refresh_from_db()
    assert not message.is_hidden


def test_only_moderators_hide_messages_or_lock_threads(thread_cast):
    message = post_message(thread=thread_cast.group_thread, author=thread_cast.member, body="Hej")
    member = signed_in(thread_cast.member)
    assert member.post(reverse("message-moderate", args=[message.pk]), {"reason": "x"}).status_code == 403
    assert (
        member.post(reverse("threads:thread-lock", args=[thread_cast.group_thread.pk]), {"reason": "x"}).status_code
        == 403
    )
    facilitator = signed_in(thread_cast.facilitator)
    lock = reverse("threads:thread-lock", args=[thread_cast.group_thread.pk])
    assert facilitator.post(lock, {"reason": "Stängd under utredning"}).status_code == 302
    assert Thread.objects.get(pk=thread_cast.group_thread.pk).is_locked
    assert facilitator.post(lock, {"reason": ""}).status_code == 302
    assert not Thread.objects.get(pk=thread_cast.group_thread.pk).is_locked


def test_dialogue_thread_entry_creates_the_one_open_thread(thread_cast):
    Thread.objects.filter(pk=thread_cast.open_thread.pk).delete()
    url = reverse("threads:dialogue-thread", args=[thread_cast.dialogue.pk])
    first = signed_in(thread_cast.supplier).get(url)
    second = signed_in(thread_cast.member).get(url)
    thread = Thread.objects.get(dialogue=thread_cast.dialogue, kind=Thread.Kind.DIALOGUE)
    assert first["Location"] == second["Location"] == thread.get_absolute_url()
    for role in ("outside_supplier", "non_member", "unverified", "stranger"):
        assert signed_in(getattr(thread_cast, role)).get(url).status_code == 404, role


def test_private_thread_entry_for_the_supplier_and_the_group_only(thread_cast):
    Thread.objects.filter(pk=thread_cast.private_thread.pk).delete()
    url = reverse("threads:private-thread", args=[thread_cast.dialogue.pk, thread_cast.solvent.pk])
    for role in ("other_supplier", "observer", "outside_supplier", "non_member"):
        assert signed_in(getattr(thread_cast, role)).get(url).status_code == 404, role
    assert not Thread.objects.filter(kind=Thread.Kind.PRIVATE).exists()
    created = signed_in(thread_cast.coordinator).get(url)
    thread = Thread.objects.get(kind=Thread.Kind.PRIVATE, supplier=thread_cast.solvent)
    assert created["Location"] == thread.get_absolute_url()
    assert signed_in(thread_cast.supplier).get(url)["Location"] == thread.get_absolute_url()


def test_no_private_thread_with_a_supplier_that_does_not_take_part(thread_cast):
    url = reverse("threads:private-thread", args=[thread_cast.dialogue.pk, thread_cast.tredje.pk])
    assert signed_in(thread_cast.coordinator).get(url).status_code == 404
    assert signed_in(thread_cast.outside_supplier).get(url).status_code == 404
    assert not Thread.objects.filter(supplier=thread_cast.tredje).exists()


def test_workspace_user_starts_a_group_thread(thread_cast):
    url = reverse("threads:group-threads", args=[thread_cast.group.slug])
    client = english(thread_cast.observer)
    missing = client.post(url, {"title": "", "body": "Utan rubrik"})
    assert missing.status_code == 400 and "Utan rubrik" in missing.content.decode()
    response = client.post(url, {"title": "Studiebesök", "body": "Vem följer med?"})
    thread = Thread.objects.get(title="Studiebesök")
    assert response["Location"] == thread.get_absolute_url()
    assert thread.kind == Thread.Kind.GROUP and thread.messages.get().body == "Vem följer med?"
    listing = signed_in(thread_cast.member).get(url).content.decode()
    assert "Studiebesök" in listing and "Laddning vid depåerna" in listing


def test_group_thread_list_shows_private_threads_to_member_users_only(thread_cast):
    url = reverse("threads:group-threads", args=[thread_cast.group.slug])
    private_link = thread_cast.private_thread.get_absolute_url()
    assert private_link in signed_in(thread_cast.member).get(url).content.decode()
    observer_page = signed_in(thread_cast.observer).get(url).content.decode()
    assert private_link not in observer_page and thread_cast.open_thread.get_absolute_url() in observer_page
    assert signed_in(thread_cast.non_member).get(url).status_code == 404
    assert signed_in(thread_cast.supplier).post(url, {"title": "x", "body": "y"}).status_code == 404


def test_history_is_paginated_newest_page_first(thread_cast):
    thread = thread_cast.group_thread
    Message.objects.bulk_create(
        Message(thread=thread, author=thread_cast.member, body=f"nummer {n}", html=f"<p>nummer {n}</p>")
        for n in range(1, 120)
    )
    client = signed_in(thread_cast.member)
    newest = client.get(thread.get_absolute_url()).content.decode()
    assert "nummer 119" in newest and "nummer 70" in newest and "nummer 69</p>" not in newest
    assert newest.index("nummer 70") < newest.index("nummer 119")  # oldest first within a page
    assert "?page=2" in newest
    oldest = client.get(thread.get_absolute_url() + "?page=3").content.decode()
    assert "Hur gör vi med laddningen?" in oldest and 'data-live="false"' in oldest and "?page=2" in oldest


def test_group_nav_links_to_the_discussions(thread_cast):
    page = signed_in(thread_cast.member).get(thread_cast.group.get_absolute_url()).content.decode()
    assert reverse("threads:group-threads", args=[thread_cast.group.slug]) in page
