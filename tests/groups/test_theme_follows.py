"""Suppliers follow buyer-group themes: chosen in a section of the notification settings page,
and looked up when a dialogue opens in one of them."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from groups.models import Theme, ThemeFollow
from groups.services.themes import followers_of_theme
from notifications.models import NotificationPreference
from notifications.registry import registered_kinds
from tests.factories import OrganisationFactory, person_at

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("notifications:preferences")


@pytest.fixture
def supplier():
    return person_at(OrganisationFactory(kind=Organisation.Kind.SUPPLIER), language="sv")


@pytest.fixture
def authority_person():
    return person_at(OrganisationFactory(), language="sv")


def every_kind(delivery):
    return {f"kind_{kind.key}": delivery for kind in registered_kinds()}


def test_suppliers_choose_the_themes_they_follow_with_their_notification_settings(client, supplier):
    ThemeFollow.objects.create(user=supplier, theme=Theme.DIGITAL)
    client.force_login(supplier)
    html = client.get(PREFERENCES).content.decode()
    assert "Teman du följer" in html
    assert 'value="digital" id="id_themes_' in html and "checked" in html
    response = client.post(PREFERENCES, {**every_kind("off"), "themes": [Theme.ENERGY, Theme.FOOD]})
    assert response.status_code == 302
    assert sorted(ThemeFollow.objects.filter(user=supplier).values_list("theme", flat=True)) == ["energy", "food"]
    assert NotificationPreference.objects.get(user=supplier, kind="thread_message").delivery == "off"


def test_a_bad_theme_saves_nothing_on_the_page(client, supplier):
    client.force_login(supplier)
    response = client.post(PREFERENCES, {**every_kind("off"), "themes": ["no_such_theme"]})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not ThemeFollow.objects.exists() and not NotificationPreference.objects.exists()


def test_authorities_are_not_offered_themes_and_cannot_post_them(client, authority_person):
    client.force_login(authority_person)
    assert "Teman du följer" not in client.get(PREFERENCES).content.decode()
    client.post(PREFERENCES, {**every_kind("immediately"), "themes": [Theme.ENERGY]})
    assert not ThemeFollow.objects.exists()


def test_followers_of_theme_are_people_of_verified_suppliers(supplier, authority_person):
    pending = person_at(OrganisationFactory(kind=Organisation.Kind.SUPPLIER, status=Organisation.Status.UNVERIFIED))
    for user in (supplier, pending, authority_person):
        ThemeFollow.objects.create(user=user, theme=Theme.ENERGY)
    ThemeFollow.objects.create(user=supplier, theme=Theme.FOOD)
    assert list(followers_of_theme(Theme.ENERGY)) == [supplier]
    assert list(followers_of_theme(Theme.DIGITAL)) == []
