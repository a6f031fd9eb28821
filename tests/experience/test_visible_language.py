"""The experience report's pages, which the security suite's world cannot reach (its groups are
ongoing), read in Swedish show none of the English words that leaked before (issue 19)."""

import pytest
from django.urls import reverse

from tests.dialogues.conftest import signed_in
from tests.experience.conftest import published, submitted
from tests.groups.conftest import build_cast
from tests.security.test_visible_language import NOT_ON_SWEDISH_PAGES, visible_text, words_found

pytestmark = pytest.mark.django_db


def swedish(user):
    user.language = "sv"
    user.save(update_fields=["language"])
    return signed_in(user)


def read(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def test_the_report_pages_read_in_swedish(ended):
    submitted(ended)
    slug = ended.group.slug
    pages = [
        (ended.facilitator, reverse("experience:report-review", args=[slug])),
        (ended.facilitator, reverse("experience:report-detail", args=[slug])),
    ]
    found = []
    for user, url in pages:
        found += [f"{url}: {word}" for word in words_found(read(swedish(user), url), NOT_ON_SWEDISH_PAGES)]
    assert not found


def test_writing_and_the_group_pages_read_in_swedish(ended):
    coordinator = swedish(ended.coordinator)
    slug = ended.group.slug
    found = []
    for url in (
        ended.group.get_absolute_url(),
        reverse("experience:report-edit", args=[slug]),
    ):
        found += [f"{url}: {word}" for word in words_found(read(coordinator, url), NOT_ON_SWEDISH_PAGES)]
    report = published(ended)
    other = build_cast()  # an ongoing group on the same theme
    response = swedish(other.coordinator).get(other.group.get_absolute_url())
    assert report.get_absolute_url() in response.content.decode()
    found += words_found(visible_text(response.content.decode()), NOT_ON_SWEDISH_PAGES)
    assert not found
