"""Reading guidance: public, in the language of the request, Swedish when the English is
missing, and body text shown as text."""

import pytest
from django.urls import reverse

from guidance.models import GuidanceText

SV = {"HTTP_ACCEPT_LANGUAGE": "sv"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def detail(slug):
    return reverse("guidance:detail", args=[slug])


@pytest.mark.parametrize(
    "headers, heading, title, other_title",
    [
        (SV, '<html lang="sv">', "Funktionskrav", "Functional requirements"),
        (
            EN,
            "<h1>Guidance</h1>",
            "Functional requirements",
            "Funktionskrav",
        ),  # new words: English only until translated
    ],
)
def test_the_index_lists_every_text_by_topic_without_signing_in(client, headers, heading, title, other_title):
    response = client.get(reverse("guidance:list"), **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert heading in html
    for text in GuidanceText.objects.all():
        assert f'href="{detail(text.slug)}"' in html
    assert f">{title}</a>" in html and f">{other_title}</a>" not in html
    assert html.count('<h2 id="topic-') == 3
    assert reverse("guidance:edit", args=["functional-requirements"]) not in html


def test_a_text_in_swedish_and_in_english(client):
    html = client.get(detail("market-consultation"), **SV).content.decode()
    assert "<h1>Förberedande marknadsdialog enligt LOU</h1>" in html
    assert "<li>ge alla intresserade leverantörer samma möjlighet att delta och samma information</li>" in html
    assert "Preliminary market consultation" not in html

    html = client.get(detail("market-consultation"), **EN).content.decode()
    assert "<h1>Preliminary market consultation under LOU</h1>" in html
    assert "<article>" in html  # the page's own language: no lang attribute needed
    assert "not yet available in English" not in html


def test_english_pages_show_the_swedish_text_when_the_english_is_empty(client):
    GuidanceText.objects.filter(slug="early-dialogue").update(title_en="", body_en="")
    html = client.get(detail("early-dialogue"), **EN).content.decode()
    assert '<article lang="sv">' in html
    assert "<h1>Tidig dialog med marknaden</h1>" in html
    assert "This text is not yet available in English." in html

    listing = client.get(reverse("guidance:list"), **EN).content.decode()
    assert f'<a href="{detail("early-dialogue")}" lang="sv">Tidig dialog med marknaden</a>' in listing


def test_a_body_with_markup_shows_it_as_text(client):
    GuidanceText.objects.filter(slug="early-dialogue").update(
        title_sv="<i>Rubrik</i>", body_sv='<script>alert("x")</script>\n\n- <img src=x onerror=alert(1)>'
    )
    html = client.get(detail("early-dialogue"), **SV).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<i>Rubrik" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;i&gt;Rubrik&lt;/i&gt;" in html


def test_an_unknown_text_is_not_found(client):
    assert client.get(detail("no-such-text")).status_code == 404
    assert client.get(reverse("guidance:edit", args=["no-such-text"])).status_code in (302, 404)


def test_facilitators_see_edit_links(client, facilitator):
    client.force_login(facilitator)
    html = client.get(reverse("guidance:list")).content.decode()
    edit = reverse("guidance:edit", args=["functional-requirements"])
    assert f'href="{edit}"' in html
    assert f'href="{edit}"' in client.get(detail("functional-requirements")).content.decode()


def test_the_footer_and_the_facilitator_console_link_to_the_guidance(client, facilitator):
    index = f'href="{reverse("guidance:list")}"'
    assert index in client.get(reverse("accessibility")).content.decode()
    client.force_login(facilitator)
    assert client.get(reverse("facilitator-console")).content.decode().count(index) == 2  # console and footer
