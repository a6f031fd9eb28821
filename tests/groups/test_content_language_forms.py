"""The language a group's texts are written in: chosen when the group is made, changed when it
is edited, and a value that is not a choice refused with a message (WCAG 3.1.2, issue 19)."""

import pytest
from django.urls import reverse

from groups.models import BuyerGroup

pytestmark = pytest.mark.django_db

NEW_GROUP = {"name": "Smarta vägar", "theme": "transport", "summary": "S", "challenge": "C", "is_open": "on"}


def edit_data(group, **changes):
    return {
        "name": group.name,
        "theme": group.theme,
        "summary": group.summary,
        "challenge": group.challenge,
        "is_open": "on",
        **changes,
    }


def test_a_new_group_is_written_in_the_language_chosen(client, cast):
    client.force_login(cast.non_member)
    form = client.get(reverse("groups:group-create")).content.decode()
    assert 'name="content_language"' in form and "screen readers read them in that language" in form
    data = {**NEW_GROUP, "organisation": cast.trafikverket.pk, "content_language": "en"}
    assert client.post(reverse("groups:group-create"), data).status_code == 302
    assert BuyerGroup.objects.get(name="Smarta vägar").content_language == "en"


def test_a_group_made_without_saying_is_swedish(client, cast):
    client.force_login(cast.non_member)
    client.post(reverse("groups:group-create"), {**NEW_GROUP, "organisation": cast.trafikverket.pk})
    assert BuyerGroup.objects.get(name="Smarta vägar").content_language == "sv"


def test_a_coordinator_changes_the_language_and_the_page_says_so(client, cast):
    client.force_login(cast.coordinator)
    url = reverse("groups:group-edit", args=[cast.group.slug])
    assert client.post(url, edit_data(cast.group, content_language="en")).status_code == 302
    cast.group.refresh_from_db()
    assert cast.group.content_language == "en"
    cast.coordinator.language = "sv"
    cast.coordinator.save(update_fields=["language"])
    assert f'<h1 lang="en">{cast.group.name}</h1>' in client.get(cast.group.get_absolute_url()).content.decode()


@pytest.mark.parametrize("value", ["de", "svenska", "sv" * 200])
def test_a_language_that_is_not_a_choice_is_refused_with_a_message(client, cast, value):
    client.force_login(cast.coordinator)
    url = reverse("groups:group-edit", args=[cast.group.slug])
    response = client.post(url, edit_data(cast.group, content_language=value, summary="Ny sammanfattning"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select a valid choice" in body and "Ny sammanfattning" in body
    assert BuyerGroup.objects.get(pk=cast.group.pk).content_language == "sv"
