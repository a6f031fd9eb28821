"""The stage plan and the four key forms link to their guidance; the link tag never breaks a page."""

import logging

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from groups.models import Stage
from guidance.models import GuidanceText
from tests.dialogues.conftest import build_dc
from tests.groups.conftest import cast, publish_need, published_need  # noqa: F401 (fixtures)


def guidance_href(slug):
    return f'href="{reverse("guidance:detail", args=[slug])}"'


@pytest.fixture
def dc(cast):  # noqa: F811
    return build_dc(cast, publish_need(cast))


@pytest.mark.parametrize("who", ["coordinator", "member"])  # the form and the read-only table
def test_every_stage_of_the_stage_plan_links_to_its_guidance(client, cast, who):  # noqa: F811
    client.force_login(getattr(cast, who))
    response = client.get(reverse("groups:stage-plan", args=[cast.group.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert ('name="current_stage"' in html) == (who == "coordinator")
    for stage in Stage:
        assert guidance_href(f"stage-{stage.value}") in html
        text = GuidanceText.objects.get(slug=f"stage-{stage.value}")
        assert f"Guidance: <span>{text.title_en}</span>" in html  # factory users read English


def test_the_need_form_links_to_functional_requirements(client, cast):  # noqa: F811
    client.force_login(cast.coordinator)
    for url in (
        reverse("groups:need-create", args=[cast.group.slug]),
        reverse("groups:need-edit", args=[cast.group.slug, cast.need.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert guidance_href("functional-requirements") in response.content.decode()


def test_the_procedure_choice_form_links_to_guidance(client, cast):  # noqa: F811
    client.force_login(cast.coordinator)
    response = client.get(reverse("groups:procedure-edit", args=[cast.group.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert guidance_href("innovation-procurement") in html and guidance_href("stage-procurement") in html


def test_the_dialogue_form_links_to_guidance_on_dialogue(client, dc):
    client.force_login(dc.coordinator)
    for url in (
        reverse("dialogues:dialogue-create", args=[dc.group.slug]),
        reverse("dialogues:dialogue-edit", args=[dc.dialogue.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert guidance_href("early-dialogue") in html and guidance_href("market-consultation") in html


def test_the_conflict_of_interest_declaration_links_to_guidance(client, dc):
    client.force_login(dc.member)
    response = client.get(reverse("dialogues:declaration-list", args=[dc.dialogue.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="state"' in html or "<form" in html  # the declaration form is on the page
    assert guidance_href("conflicts-of-interest") in html


def render(source, language="sv"):
    with translation.override(language):
        return Template("{% load guidance %}" + source).render(Context())


def test_an_unknown_key_renders_nothing_and_logs_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="guidance.templatetags.guidance"):
        assert render('<p>{% guidance_link "no-such-text" %}</p>') == "<p></p>"
    assert "no-such-text" in caplog.text


def test_a_link_in_the_page_language_with_a_marked_fallback():
    html = render('{% guidance_link "functional-requirements" %}')
    assert html.startswith(f'<a class="guidance-link" {guidance_href("functional-requirements")}>')
    assert html.endswith(": <span>Funktionskrav</span></a>")
    GuidanceText.objects.filter(slug="functional-requirements").update(title_sv="<b>Krav</b>", body_en="")
    html = render('{% guidance_link "functional-requirements" %}', "en")
    assert 'Guidance: <span lang="sv">&lt;b&gt;Krav&lt;/b&gt;</span>' in html


def test_the_titles_are_read_once_however_many_links_a_page_has():
    many = " ".join(f'{{% guidance_link "stage-{stage}" %}}' for stage in Stage.values)
    with CaptureQueriesContext(connection) as one:
        render('{% guidance_link "stage-pre_study" %}')
    with CaptureQueriesContext(connection) as six:
        assert render(many).count("guidance-link") == 6
    assert len(one) == len(six) == 1
