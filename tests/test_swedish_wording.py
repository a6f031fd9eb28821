"""Swedish as Swedish writes it, where Django's and allauth's own Swedish falls short (issue 19):
our catalogue (LOCALE_PATHS, read before theirs) holds the corrections. Django 6.1's blank choice
label is new and not translated upstream; allauth writes "epost-adress" (Swedish: e-postadress)
and its sign-in page's invitation to sign up says "already have an account? sign in"."""

import gettext
import re
from pathlib import Path

import allauth
import pytest
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.urls import reverse
from django.utils import translation

from tests.security.test_visible_language import visible_text

pytestmark = pytest.mark.django_db


def swedish_page(client, url) -> str:
    client.cookies["django_language"] = "sv"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Language"] == "sv"
    return response.content.decode()


def test_the_blank_choice_reads_in_swedish():
    with translation.override("sv"):
        assert str(BLANK_CHOICE_LABEL) == "- Välj ett alternativ -"


def test_a_form_with_a_blank_choice_offers_it_in_swedish(client, admin_user):
    admin_user.language = "sv"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    response = client.get(reverse("groups:group-create"))
    html = response.content.decode()
    assert '<option value="" selected>- Välj ett alternativ -</option>' in html
    assert "Select an option" not in html


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_allauth_pages_write_e_postadress(client, name):
    text = visible_text(swedish_page(client, reverse(name)))
    assert "e-postadress" in text.lower()
    assert not re.search(r"(?i)\bepost", text)


def test_the_sign_in_pages_link_to_sign_up_says_so(client):
    """WCAG 2.4.4: the link's text says where it goes (allauth's Swedish offered to sign in)."""
    html = swedish_page(client, reverse("account_login"))
    assert f'Har du inget konto än? <a href="{reverse("account_signup")}">Skapa ett konto</a> först.' in html
    assert "Har du redan ett konto" not in html


def allauth_swedish_catalogue() -> dict:
    path = Path(allauth.__file__).parent / "locale" / "sv" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


def test_no_allauth_string_reaches_a_swedish_reader_as_epost():
    """Every string allauth's Swedish writes "epost" in, its e-mails' multi-line bodies
    included, reads "e-post" through our catalogue (core/third_party_strings.py)."""
    written_epost = [
        msgid
        for msgid, msgstr in allauth_swedish_catalogue().items()
        if isinstance(msgid, str) and re.search(r"(?i)\bepost", msgstr)
    ]
    assert len(written_epost) > 40  # the library's catalogue was found and read
    with translation.override("sv"):
        still = [msgid for msgid in written_epost if re.search(r"(?i)\bepost", translation.gettext(msgid))]
    assert still == []


def test_allauths_confirmation_e_mail_reads_e_postadress(client, mailoutbox):
    """Signing up in Swedish sends allauth's own confirmation e-mail, in Swedish as Swedish writes it."""
    client.cookies["django_language"] = "sv"
    password = "a-long-passphrase-2026"
    data = {"email": "ny@kommun.example", "password1": password, "password2": password}
    client.post(reverse("account_signup"), data)
    (message,) = mailoutbox
    assert "e-postadress" in message.body
    assert not re.search(r"(?i)\bepost", message.subject + message.body)
