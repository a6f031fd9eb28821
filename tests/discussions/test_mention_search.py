"""Whom one may @mention, found while typing (threads:mention-search): only the people the reader
may mention in that discussion (discussions/access.py mentionable_users), at most ten, and
only for its readers; bad input is a 400 with JSON."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.dialogues.conftest import signed_in
from tests.factories import person_at

pytestmark = pytest.mark.django_db


def search(user, thread, **params):
    return signed_in(user).get(reverse("threads:mention-search", args=[thread.pk]), params)


def names(user, thread, typed) -> list[str]:
    response = search(user, thread, q=typed)
    assert response.status_code == 200
    return [person["name"] for person in response.json()["people"]]


def test_a_member_finds_readers_by_part_of_the_name_with_their_organisation(thread_cast):
    response = search(thread_cast.member, thread_cast.group_thread, q="samord")
    assert response.json() == {
        "people": [{"id": thread_cast.coordinator.pk, "name": "Anna Samordnare", "organisations": ["Växjö kommun"]}]
    }


def test_people_who_do_not_read_the_discussion_are_not_found(thread_cast):
    group = thread_cast.group_thread
    assert names(thread_cast.member, group, "Maria") == []  # her organisation is not a member
    assert names(thread_cast.member, group, "Sara") == []  # suppliers do not read the group's discussions
    assert names(thread_cast.member, thread_cast.private_thread, "Olle") == []  # observers not in private ones
    assert names(thread_cast.member, thread_cast.private_thread, "Omar") == []  # another supplier's


def test_deactivated_people_are_not_found(thread_cast):
    User.objects.filter(pk=thread_cast.observer.pk).update(is_active=False)
    assert names(thread_cast.member, thread_cast.group_thread, "Olle") == []


def test_a_supplier_in_the_open_discussion_finds_the_group_and_its_own_people_only(thread_cast):
    colleague = person_at(thread_cast.solvent, name="Sven Kollega")
    found = names(thread_cast.supplier, thread_cast.open_thread, "e")
    assert "Sven Kollega" in found and "Erik Medlem" in found
    assert "Omar Konkurrent" not in found
    assert names(thread_cast.supplier, thread_cast.open_thread, "Omar") == []
    assert "Omar Konkurrent" in names(thread_cast.coordinator, thread_cast.open_thread, "Omar")
    assert colleague.pk


def test_at_most_ten_are_found(thread_cast):
    for n in range(12):
        person_at(thread_cast.lund, name=f"Kollega {n:02d}")
    assert names(thread_cast.member, thread_cast.group_thread, "Kollega") == [f"Kollega {n:02d}" for n in range(10)]


@pytest.mark.parametrize("role", ["non_member", "outside_supplier", "stranger", "other_supplier"])
def test_someone_who_does_not_read_the_discussion_gets_404(thread_cast, role):
    response = search(getattr(thread_cast, role), thread_cast.private_thread, q="a")
    assert response.status_code == 404
    assert b"Anna" not in response.content


def test_an_anonymous_visitor_is_sent_to_sign_in(thread_cast):
    response = search(None, thread_cast.group_thread, q="a")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "   "}, {"q": "x" * 101}, {"q": "An\x00na"}],
    ids=["none", "empty", "blank", "long", "nul"],
)
def test_bad_input_is_a_400_with_json(thread_cast, params):
    response = search(thread_cast.member, thread_cast.group_thread, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json" and response.json()["error"]


def test_only_get(thread_cast):
    url = reverse("threads:mention-search", args=[thread_cast.group_thread.pk])
    assert signed_in(thread_cast.member).post(url, {"q": "a"}).status_code == 405


def found_on_the_page(user, thread, typed) -> str:
    response = signed_in(user).get(thread.get_absolute_url(), {"people": typed}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="people-found"')
    return html[start : html.index("</", html.index(">", start) + 1) + 200]


def test_without_javascript_the_page_finds_people_to_mention_the_same_way(thread_cast):
    User.objects.update(language="en")
    assert "Anna Samordnare" in found_on_the_page(thread_cast.member, thread_cast.group_thread, "samord")
    assert "No one to mention by that name." in found_on_the_page(thread_cast.member, thread_cast.group_thread, "Maria")
    assert "No one to mention by that name." in found_on_the_page(thread_cast.supplier, thread_cast.open_thread, "Omar")
    page = signed_in(thread_cast.supplier).get(thread_cast.open_thread.get_absolute_url(), {"people": "o"})
    assert "Omar Konkurrent" not in page.content.decode() and "Nordlys" not in page.content.decode()
    for bad in ("x" * 101, "\x00", " "):
        response = signed_in(thread_cast.member).get(thread_cast.group_thread.get_absolute_url(), {"people": bad})
        assert response.status_code == 200
