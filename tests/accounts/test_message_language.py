"""Flash messages speak the person's language: right after signing in (the request still has
the anonymous session's language) and right after choosing another language."""

from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def _flashes(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _sign_in(client, user, *, session_language: str):
    client.cookies["django_language"] = session_language
    assert client.get(reverse("account_login"))["Content-Language"] == session_language
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_english_reader_signing_in_from_a_swedish_session_is_greeted_in_english(client, db):
    user = UserFactory(language="en", name="Erik English")
    response = _sign_in(client, user, session_language="sv")
    assert response.status_code == 302
    assert _flashes(response) == ["Successfully signed in as Erik English."]


def test_swedish_reader_signing_in_from_an_english_session_is_greeted_in_swedish(client, db):
    user = UserFactory(language="sv", name="Sara Svensson")
    response = _sign_in(client, user, session_language="en")
    assert response.status_code == 302
    assert _flashes(response) == ["Du har loggat in som Sara Svensson."]


def test_choosing_english_on_the_profile_says_saved_in_english(client, db):
    user = UserFactory(language="sv")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": user.name, "title": user.title, "language": "en"})
    assert response.status_code == 302
    assert _flashes(response) == ["Your profile is saved."]
    assert client.get(response["Location"])["Content-Language"] == "en"


def test_choosing_swedish_on_the_profile_says_saved_in_swedish(client, db):
    user = UserFactory(language="en")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": user.name, "title": user.title, "language": "sv"})
    assert _flashes(response) == ["Din profil är sparad."]


def test_the_language_switch_answers_in_the_language_chosen(client, db):
    user = UserFactory(language="sv")
    client.force_login(user)
    response = client.post("/language/", {"language": "en", "next": "/dashboard/"})
    assert response.status_code == 302
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert client.get("/dashboard/")["Content-Language"] == "en"
