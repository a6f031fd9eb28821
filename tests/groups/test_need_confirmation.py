"""Publishing a need statement cannot be undone (issue 16 finding 6): the button leads to a page
that says what will happen and who will be told; only its POST publishes."""

import pytest
from django.urls import reverse

from groups.models import NeedStatement
from notifications.models import Notification
from tests.groups.test_permissions import MANAGERS, ROLES, client_for, expected_private

pytestmark = pytest.mark.django_db


def move_url(cast):
    return reverse("groups:need-move", args=[cast.group.slug, cast.need.pk])


def test_the_need_page_leads_to_the_confirmation(client, cast):
    client.force_login(cast.coordinator)
    body = client.get(cast.need.get_absolute_url()).content.decode()
    assert f'href="{move_url(cast)}?state=published"' in body
    assert 'name="state" value="published"' not in body  # no one-click publishing


def test_publishing_is_confirmed_with_who_will_be_told_and_a_get_changes_nothing(client, cast):
    client.force_login(cast.coordinator)
    response = client.get(f"{move_url(cast)}?state=published")
    body = response.content.decode()
    assert response.status_code == 200
    # the member's and the observer's people; not the coordinator who publishes
    assert "Publishing makes this version public" in body and "2 people are notified" in body
    assert "It cannot be undone" in body
    assert 'name="csrfmiddlewaretoken"' in body and 'name="state" value="published"' in body
    cast.need.refresh_from_db()
    assert cast.need.state == NeedStatement.State.DRAFT and cast.need.published_version_id is None
    assert not Notification.objects.filter(kind="need_published").exists()

    assert client.post(move_url(cast), {"state": "published"}).status_code == 302
    cast.need.refresh_from_db()
    assert cast.need.published_version_id is not None
    assert Notification.objects.filter(kind="need_published").count() == 2  # as many as the page said


def test_closing_a_need_is_confirmed_too(client, cast, published_need):
    client.force_login(cast.coordinator)
    assert f'href="{move_url(cast)}?state=closed"' in client.get(published_need.get_absolute_url()).content.decode()
    body = client.get(f"{move_url(cast)}?state=closed").content.decode()
    assert "Closing ends the need statement" in body and "It cannot be undone." in body
    published_need.refresh_from_db()
    assert published_need.state == NeedStatement.State.PUBLISHED


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_publishing_confirmation(client, cast, role):
    response = client_for(client, cast, role).get(f"{move_url(cast)}?state=published")
    assert response.status_code == expected_private(role, MANAGERS)
    cast.need.refresh_from_db()
    assert cast.need.published_version_id is None
