"""Nothing shown to a signed-in person is kept by a cache (core/private_responses.py): the
confidential pages and downloads carry `Cache-Control: private, no-store`, and so does every
other response to a signed-in person; anonymous public pages and static files do not.
tests/core/test_private_responses.py checks the same under ASGI."""

import pytest
from django.urls import reverse

from notifications.tokens import unsubscribe_token
from tests.security.matrix import client_for


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


CONFIDENTIAL = [
    ("proposal list", "member", "dialogues:submission-list", lambda s: {"pk": s.dialogue.pk}),
    (
        "proposal",
        "member",
        "dialogues:submission-detail",
        lambda s: {"pk": s.dialogue.pk, "submission_pk": s.submission.pk},
    ),
    (
        "proposal attachment",
        "supplier",
        "dialogues:attachment-download",
        lambda s: {"pk": s.dialogue.pk, "submission_pk": s.submission.pk, "attachment_pk": s.attachment.pk},
    ),
    ("private discussion", "supplier", "threads:thread-detail", lambda s: {"pk": s.private_thread.pk}),
    ("record page", "coordinator", "dialogues:record", lambda s: {"pk": s.dialogue.pk}),
    ("record ZIP", "coordinator", "dialogues:record-download", lambda s: {"pk": s.dialogue.pk}),
    (
        "group document",
        "member",
        "groups:document-download",
        lambda s: {"slug": s.group.slug, "document_pk": s.document.pk, "version_pk": s.document_version.pk},
    ),
    ("my-data.json", "member", "accounts:data-export", lambda s: {}),
]


@pytest.mark.parametrize(("kind", "role", "name", "kwargs"), CONFIDENTIAL, ids=[row[0] for row in CONFIDENTIAL])
def test_confidential_responses_are_kept_by_no_cache(world, kind, role, name, kwargs):
    response = client_for(world.users[role]).get(reverse(name, kwargs=kwargs(world.A)))
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)
    assert "public" not in cache_control(response)
    if response.streaming:
        b"".join(response.streaming_content)  # let it close its file


def test_a_public_page_seen_by_a_signed_in_person_is_private_too(world):
    """Its header carries their name and unread count."""
    response = client_for(world.users["member"]).get(reverse("groups:group-list"))
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_an_anonymous_public_page_stays_cacheable(client, world):
    response = client.get(reverse("groups:group-list"))
    assert response.status_code == 200
    assert "no-store" not in cache_control(response) and "private" not in cache_control(response)


def test_static_files_stay_cacheable(world):
    response = client_for(world.users["member"]).get("/static/css/site.css")
    assert response.status_code == 200
    assert "no-store" not in cache_control(response) and "private" not in cache_control(response)
    b"".join(response.streaming_content)


def test_pages_opened_from_a_secret_link_are_private_without_signing_in(client, world):
    member = world.users["member"]
    unsubscribe = client.get(reverse("notifications:unsubscribe", args=[unsubscribe_token(member, "digest")]))
    assert unsubscribe.status_code == 200
    assert {"private", "no-store"} <= cache_control(unsubscribe)
    reset = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "not-a-key"}))
    assert reset.status_code == 200  # allauth's "bad token" page, still about someone's link
    assert {"private", "no-store"} <= cache_control(reset)
