"""The pages: comments only for the organisation's own people, bad input refused with a clear
message and the typed values kept, the authority page's comparisons, the dashboard's filters."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from indicator.models import Assessment, AssessmentChange, Delegation
from tests.factories import OrganisationFactory, person_at
from tests.indicator.conftest import answer

pytestmark = pytest.mark.django_db

SECRET = "Intern bedömning: upphandlingsenheten saknar resurser"


def this_year():
    return timezone.localdate().year


def edit_url(cast, year=None):
    return reverse("indicator:assessment-edit", args=[cast.vaxjo.pk, year or this_year()])


def page_url(organisation):
    return reverse("indicator:organisation-detail", args=[organisation.pk])


@pytest.fixture
def commented(cast):
    first = answer(cast.vaxjo, this_year(), [3, 3, 3, 3, 3, 3], user=cast.admin, comments=[SECRET, "", "", "", "", ""])
    return answer(cast.vaxjo, this_year(), [4, 3, 3, 3, 3, 3], user=cast.admin, base_revision=first.revision)


@pytest.mark.parametrize("role", ["admin", "delegate", "member"])
def test_the_organisations_own_people_see_its_comments(client, cast, commented, role):
    client.force_login(getattr(cast, role))
    html = client.get(page_url(cast.vaxjo)).content.decode()
    assert SECRET in html


def test_facilitators_see_scores_but_never_comments(client, cast, commented):
    client.force_login(cast.facilitator)
    html = client.get(page_url(cast.vaxjo)).content.decode()
    assert SECRET not in html  # neither in the answers nor in the history
    assert "3.17" in html  # the score, 19 / 6, in English number format
    for name in ("indicator:dashboard", "indicator:averages-export", "indicator:assessments-export"):
        assert SECRET not in client.get(reverse(name)).getvalue().decode()


def test_another_authority_sees_no_comments_anywhere(client, cast, commented):
    client.force_login(cast.other_authority)
    assert client.get(page_url(cast.vaxjo)).status_code == 404
    assert SECRET not in client.get(page_url(cast.lund)).content.decode()


def post_data(statements, **overrides):
    data = {f"rating_{s.pk}": "4" for s in statements} | {f"comment_{s.pk}": "" for s in statements}
    return data | overrides


def test_a_rating_outside_one_to_five_is_refused_and_the_typed_answers_are_kept(client, cast, statements):
    client.force_login(cast.admin)
    data = post_data(
        statements,
        **{f"rating_{statements[0].pk}": "7", f"comment_{statements[0].pk}": "Vi har en plan för 2027."},
    )
    response = client.post(edit_url(cast), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "“7” is not a rating. Choose from 1 to 5, or “Not answered”." in html
    assert "Vi har en plan för 2027." in html  # the comment is kept
    second = statements[1].pk
    assert re.search(
        rf'value="4"[^>]*id="id_rating_{second}_3"[^>]*checked|checked[^>]*id="id_rating_{second}_3"', html
    )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("value", ["0", "-1", "3.5", "fem"])
def test_other_bad_ratings_are_refused(client, cast, statements, value):
    client.force_login(cast.admin)
    response = client.post(edit_url(cast), post_data(statements, **{f"rating_{statements[2].pk}": value}))
    assert response.status_code == 400
    assert f"“{value}” is not a rating" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_message_is_in_swedish_for_swedish_users(client, cast, statements):
    cast.admin.language = "sv"
    cast.admin.save()
    client.force_login(cast.admin)
    response = client.post(edit_url(cast), post_data(statements, **{f"rating_{statements[0].pk}": "9"}))
    assert "”9” är inget betyg. Välj från 1 till 5, eller ”Inte besvarat”." in response.content.decode()


def test_an_assessment_needs_at_least_one_rating(client, cast, statements):
    client.force_login(cast.admin)
    data = post_data(statements) | {f"rating_{s.pk}": "" for s in statements}
    data[f"comment_{statements[0].pk}"] = "Vi vet inte än."
    response = client.post(edit_url(cast), data)
    assert response.status_code == 400
    assert "Rate at least one statement." in response.content.decode()
    assert "Vi vet inte än." in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_too_long_comment_is_refused(client, cast, statements):
    client.force_login(cast.admin)
    response = client.post(edit_url(cast), post_data(statements, **{f"comment_{statements[0].pk}": "x" * 2001}))
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_answering_saves_and_shows_the_score(client, cast, statements):
    client.force_login(cast.admin)
    data = post_data(statements, **{f"rating_{statements[5].pk}": "", f"comment_{statements[0].pk}": " Bra. "})
    response = client.post(edit_url(cast), data, follow=True)
    assessment = Assessment.objects.get()
    assert (assessment.year, assessment.created_by, assessment.kind) == (this_year(), cast.admin, "kommun")
    assert assessment.answers.get(statement=statements[0]).comment == "Bra."
    assert assessment.answers.get(statement=statements[5]).rating is None
    assert "is saved" in response.content.decode()
    assert "5 of 6 statements rated" in response.content.decode()


def test_saving_again_edits_and_shows_the_history(client, cast, statements):
    client.force_login(cast.admin)
    client.post(edit_url(cast), post_data(statements))
    form = client.get(edit_url(cast))
    assert 'name="revision" value="1"' in form.content.decode()
    client.force_login(cast.delegate)
    client.post(edit_url(cast), post_data(statements, revision="1", **{f"rating_{statements[0].pk}": "5"}))
    assert Assessment.objects.get().revision == 2
    html = client.get(page_url(cast.vaxjo)).content.decode()
    assert "History: 2 saves" in html
    assert "Dora Delegerad" in html and "Anna Admin" in html


def test_a_stale_save_keeps_the_typed_answers_and_names_who_saved(client, cast, statements):
    client.force_login(cast.admin)
    client.post(edit_url(cast), post_data(statements))
    answer(cast.vaxjo, this_year(), [1, 1, 1, 1, 1, 1], user=cast.delegate, base_revision=1)
    response = client.post(
        edit_url(cast), post_data(statements, revision="1", **{f"comment_{statements[0].pk}": "Mitt svar"})
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Dora Delegerad saved this self-assessment" in html
    assert "Mitt svar" in html and 'name="revision" value="2"' in html
    assert AssessmentChange.objects.count() == 2
    # Saving again, now from revision 2, replaces the delegate's answers (theirs stay in the history).
    client.post(edit_url(cast), post_data(statements, revision="2"))
    assert Assessment.objects.get().revision == 3


def test_the_authority_page_compares_with_its_kind_and_size(client, cast):
    answer(cast.vaxjo, 2026, [4, 4, 4, 4, 4, 4])
    answer(cast.lund, 2026, [2, 2, 2, 2, 2, 2])  # same kind and size
    other_size = OrganisationFactory(kind=Organisation.Kind.KOMMUN, size_class=cast.sizes[0])
    answer(other_size, 2026, [1, 1, 1, 1, 1, 1])
    region = OrganisationFactory(kind=Organisation.Kind.REGION, size_class=cast.sizes[3])
    answer(region, 2026, [5, 5, 5, 5, 5, 5])
    client.force_login(cast.member)
    response = client.get(page_url(cast.vaxjo))
    kind_average = response.context["assessments"][0].kind_average
    size_average = response.context["assessments"][0].size_average
    assert (kind_average.value, kind_average.count) == (pytest.approx(7 / 3), 3)  # 4, 2, 1
    assert (size_average.value, size_average.count) == (pytest.approx(11 / 3), 3)  # 4, 2, 5
    html = response.content.decode()
    assert 'role="img"' in html and html.count('class="reference-line"') == 2


def test_the_admin_delegates_a_colleague_who_can_then_answer(client, cast):
    Delegation.objects.all().delete()
    client.force_login(cast.admin)
    response = client.post(reverse("indicator:delegation-create", args=[cast.vaxjo.pk]), {"user": cast.member.pk})
    assert response.status_code == 302
    client.force_login(cast.member)
    assert client.get(edit_url(cast)).status_code == 200


def test_only_the_organisations_own_members_can_be_delegated(client, cast):
    client.force_login(cast.admin)
    for person in (cast.other_authority, cast.admin):
        response = client.post(reverse("indicator:delegation-create", args=[cast.vaxjo.pk]), {"user": person.pk})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert list(Delegation.objects.values_list("user", flat=True)) == [cast.delegate.pk]


def test_the_dashboard_draws_every_chart_with_the_reference_lines(client, cast):
    answer(cast.vaxjo, 2025, [3, 3, 3, 3, 3, 3])
    answer(cast.vaxjo, 2026, [4, 4, 4, 4, 4, 4])
    client.force_login(cast.facilitator)
    html = client.get(reverse("indicator:dashboard")).content.decode()
    assert html.count('role="img"') == 4
    assert html.count('class="reference-line"') == 8
    assert html.count("2016 baseline (published 2017)") >= 4 and html.count("2018 follow-up") >= 4
    for chart in ("chart-kind", "chart-size", "chart-groups", "chart-statements"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html


def test_the_dashboard_filters(client, cast):
    answer(cast.vaxjo, 2024, [1, 1, 1, 1, 1, 1])
    answer(cast.vaxjo, 2026, [4, 4, 4, 4, 4, 4])
    region = OrganisationFactory(kind=Organisation.Kind.REGION, size_class=cast.sizes[4])
    answer(region, 2026, [2, 2, 2, 2, 2, 2])
    client.force_login(cast.facilitator)

    response = client.get(reverse("indicator:dashboard"), {"year_from": "2025", "kind": "region"})
    kind_chart = response.context["charts"][0]
    assert kind_chart.years == [2026]
    assert [str(line.label) for line in kind_chart.lines] == ["All authorities", "Region"]
    assert response.context["assessment_count"] == 1

    response = client.get(reverse("indicator:dashboard"), {"size_class": cast.sizes[3].pk, "year_to": "2024"})
    assert response.context["charts"][0].years == [2024] and response.context["assessment_count"] == 1


def test_bad_filters_are_explained_and_every_assessment_shown(client, cast):
    answer(cast.vaxjo, 2026, [4, 4, 4, 4, 4, 4])
    client.force_login(cast.facilitator)
    response = client.get(reverse("indicator:dashboard"), {"year_from": "2026", "year_to": "2020"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The last year cannot come before the first year." in html
    assert 'value="2026"' in html and 'value="2020"' in html  # what was typed stays
    assert response.context["assessment_count"] == 1
    response = client.get(reverse("indicator:dashboard"), {"year_from": "1999", "kind": "supplier"})
    assert "choose 2016 or later" in response.content.decode()


def test_an_empty_dashboard_still_draws_the_reference_lines(client, cast):
    client.force_login(cast.facilitator)
    html = client.get(reverse("indicator:dashboard")).content.decode()
    assert html.count('class="reference-line"') == 8
    assert "No self-assessments to show." in html


def test_links_lead_to_the_authority_page(client, cast):
    client.force_login(cast.admin)
    url = page_url(cast.vaxjo)
    assert url in client.get(reverse("home:dashboard")).content.decode()
    assert url in client.get(cast.vaxjo.get_absolute_url()).content.decode()
    client.force_login(cast.supplier)
    assert "/indicator/organisations/" not in client.get(reverse("home:dashboard")).content.decode()


def test_facilitators_have_the_indicator_in_the_navigation(client, cast):
    client.force_login(cast.facilitator)
    assert 'href="/indicator/"' in client.get(reverse("home:dashboard")).content.decode()
    client.force_login(cast.admin)
    assert 'href="/indicator/"' not in client.get(reverse("home:dashboard")).content.decode()


def test_statements_are_shown_in_the_users_language(client, cast, statements):
    client.force_login(cast.admin)  # English
    html = client.get(edit_url(cast)).content.decode()
    assert statements[0].text_en in html and statements[0].text_sv not in html
    cast.admin.language = "sv"
    cast.admin.save()
    html = client.get(edit_url(cast)).content.decode()
    assert statements[0].text_sv in html and "3 – delvis" in html


def test_an_unverified_authority_cannot_delegate(client, cast):
    colleague = person_at(cast.unverified_organisation, name="Kollega")
    client.force_login(cast.unverified_admin)
    url = reverse("indicator:delegation-create", args=[cast.unverified_organisation.pk])
    response = client.post(url, {"user": colleague.pk})
    assert response.status_code == 403
    assert not Delegation.objects.filter(user=colleague).exists()


def test_only_administrators_see_who_answers(client, cast):
    client.force_login(cast.admin)
    html = client.get(page_url(cast.vaxjo)).content.decode()
    assert "Who answers" in html and "Dora Delegerad" in html
    client.force_login(cast.member)
    assert "Who answers" not in client.get(page_url(cast.vaxjo)).content.decode()
