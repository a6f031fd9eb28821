"""After a failed submit every form on the site gets the same treatment (core/form_errors.py,
templates/core/_error_summary.html): an error summary first in <main>, linking to each field
with a problem, "Error: " before the page title, the fields marked aria-invalid and described
by their error text. Three forms stand for the rest: sign-in (allauth's, an error about the
whole form), creating a group, and an answer with its group of question checkboxes."""

import html5lib
import pytest
from django.urls import reverse
from django.utils import translation

from tests.dialogues.conftest import dc, question_a  # noqa: F401 (fixtures)
from tests.groups.conftest import cast, published_need  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def parsed(response):
    return html5lib.parse(response.content.decode(), namespaceHTMLElements=False)


def by_id(tree, element_id):
    return tree.find(f".//*[@id='{element_id}']")


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def summary_links(tree) -> list[str]:
    """The summary's links, after checking that it is the first thing in <main>."""
    main = tree.find(".//main")
    summary = next(iter(main))
    assert summary.get("id") == "error-summary" and summary.get("tabindex") == "-1"
    assert summary.find(".//*[@role='alert']") is not None
    return [link.get("href") for link in summary.iter("a")]


def assert_title_says_error(tree, language):
    with translation.override(language):
        prefix = translation.gettext("Error:") + " "
    assert text_of(tree.find(".//title")).startswith(prefix)


def assert_described(tree, element):
    """Every id the element's aria-describedby names is on the page and has text."""
    ids = element.get("aria-describedby", "").split()
    assert ids, element.attrib
    for element_id in ids:
        target = by_id(tree, element_id)
        assert target is not None, f"aria-describedby names #{element_id}, which is not on the page"
        assert text_of(target), f"#{element_id} is empty"


def test_a_refused_sign_in_is_summarised_and_marks_both_fields(client, admin_user):
    response = client.post(reverse("account_login"), {"login": admin_user.email, "password": "not-the-password"})
    assert response.status_code == 200
    tree = parsed(response)
    assert summary_links(tree) == ["#id_login"]
    assert_title_says_error(tree, "sv")  # anonymous pages are in Swedish
    for field_id in ("id_login", "id_password"):
        field = by_id(tree, field_id)
        assert field.get("aria-invalid") == "true"
        assert_described(tree, field)
        assert "id_login_form_error" in field.get("aria-describedby").split()


def test_a_sign_in_page_without_a_submit_has_no_summary(client):
    tree = parsed(client.get(reverse("account_login")))
    assert by_id(tree, "error-summary") is None
    assert by_id(tree, "id_login").get("aria-invalid") is None
    assert "error-summary.js" not in "".join(script.get("src", "") for script in tree.iter("script"))


def test_a_group_without_a_name_is_summarised_with_links_to_the_fields(client, cast):  # noqa: F811
    cast.non_member.language = "en"
    cast.non_member.save()
    client.force_login(cast.non_member)
    response = client.post(reverse("groups:group-create"), {"organisation": cast.trafikverket.pk, "name": ""})
    tree = parsed(response)
    links = summary_links(tree)
    assert "#id_name" in links
    assert_title_says_error(tree, "en")
    for link in links:
        field = by_id(tree, link.removeprefix("#"))
        assert field is not None and field.get("aria-invalid") == "true"
        assert_described(tree, field)
    assert tree.find(".//script[@src='/static/js/error-summary.js']") is not None


def test_an_answer_without_a_question_points_at_the_checkbox_group(client, dc, question_a):  # noqa: F811
    dc.coordinator.language = "en"
    dc.coordinator.save()
    client.force_login(dc.coordinator)
    response = client.post(f"/dialogues/{dc.dialogue.pk}/answers/new/", {"question_text": "?", "body": "Svar"})
    assert response.status_code == 400
    tree = parsed(response)
    assert summary_links(tree) == ["#id_questions_0"]
    assert_title_says_error(tree, "en")
    fieldset = by_id(tree, "id_questions_0")
    while fieldset.tag != "fieldset":
        fieldset = next(parent for parent in tree.iter() if fieldset in list(parent))
    assert_described(tree, fieldset)
    assert "id_questions_error" in fieldset.get("aria-describedby").split()
    assert "Choose at least one question" in text_of(by_id(tree, "id_questions_error"))
    assert "Svar" in text_of(by_id(tree, "id_body"))  # what was typed stays
