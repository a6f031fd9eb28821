"""Saving: one assessment per organisation and year, edits with history, wording kept, the
database refuses what the forms refuse."""

import pytest
from django.db import IntegrityError, transaction

from indicator.models import Answer, Assessment, AssessmentChange, Statement
from indicator.services import StaleAssessment, questions_for, save_assessment
from tests.indicator.conftest import answer

pytestmark = pytest.mark.django_db


def test_a_second_save_for_the_same_year_is_an_edit_with_history(cast):
    first = answer(cast.vaxjo, 2026, [2, 2, 2, 2, 2, 2], user=cast.admin, comments=["Första", "", "", "", "", ""])
    second = answer(
        cast.vaxjo,
        2026,
        [4, 3, 2, None, 2, 2],
        user=cast.delegate,
        comments=["Andra", "", "", "", "", ""],
        base_revision=1,
    )
    assert second.pk == first.pk
    assert Assessment.objects.filter(organisation=cast.vaxjo, year=2026).count() == 1
    assert second.revision == 2 and second.updated_by == cast.delegate and second.created_by == cast.admin
    assert list(Answer.objects.filter(assessment=second).values_list("rating", flat=True)) == [4, 3, 2, None, 2, 2]
    newest, oldest = AssessmentChange.objects.filter(assessment=second)
    assert (oldest.revision, oldest.changed_by, oldest.ratings) == (1, cast.admin, [2, 2, 2, 2, 2, 2])
    assert oldest.answers[0]["comment"] == "Första"
    assert (newest.revision, newest.changed_by, newest.ratings) == (2, cast.delegate, [4, 3, 2, None, 2, 2])
    assert newest.answers[0]["comment"] == "Andra"


def test_the_database_allows_one_assessment_per_organisation_and_year(cast):
    Assessment.objects.create(organisation=cast.vaxjo, year=2026, kind="kommun")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(organisation=cast.vaxjo, year=2026, kind="kommun")


def test_a_save_based_on_an_old_revision_is_refused_and_writes_nothing(cast):
    answer(cast.vaxjo, 2026, [2, 2, 2, 2, 2, 2], user=cast.admin)
    answer(cast.vaxjo, 2026, [3, 3, 3, 3, 3, 3], user=cast.delegate, base_revision=1)
    with pytest.raises(StaleAssessment) as stale:
        answer(cast.vaxjo, 2026, [5, 5, 5, 5, 5, 5], user=cast.admin, base_revision=1)
    assert stale.value.current.revision == 2 and stale.value.current.updated_by == cast.delegate
    assert set(Answer.objects.values_list("rating", flat=True)) == {3}
    assert AssessmentChange.objects.count() == 2


def test_a_new_assessment_when_one_was_saved_meanwhile_is_refused(cast):
    answer(cast.vaxjo, 2026, [2, 2, 2, 2, 2, 2], user=cast.admin)
    with pytest.raises(StaleAssessment):
        answer(cast.vaxjo, 2026, [5, 5, 5, 5, 5, 5], user=cast.delegate, base_revision=None)


def test_an_assessment_keeps_the_wording_it_was_answered_with(cast, statements):
    assessment = answer(cast.vaxjo, 2025, [3, 3, 3, 3, 3, 3])
    original = statements[0].text_sv
    statements[0].text_sv = "Ny formulering om tidig dialog."
    statements[0].save()
    assert Answer.objects.get(assessment=assessment, statement=statements[0]).text_sv == original
    assert questions_for(assessment=assessment)[0].text_sv == original
    assert questions_for(assessment=None)[0].text_sv == "Ny formulering om tidig dialog."


def test_an_edit_asks_statements_added_since_and_keeps_retired_ones(cast, statements):
    assessment = answer(cast.vaxjo, 2026, [3, 3, 3, 3, 3, 3])
    statements[1].is_active = False
    statements[1].save()
    added = Statement.objects.create(position=7, text_sv="Vi följer upp effekterna.", text_en="We follow up effects.")
    asked = [question.statement_id for question in questions_for(assessment=assessment)]
    assert asked == [s.pk for s in statements] + [added.pk]
    fresh = [question.statement_id for question in questions_for(assessment=None)]
    assert statements[1].pk not in fresh and added.pk in fresh


def test_new_statements_take_todays_wording_and_weight_when_first_answered(cast, statements):
    assessment = answer(cast.vaxjo, 2026, [3, 3, 3, 3, 3, 3])
    added = Statement.objects.create(position=7, text_sv="Vi följer upp effekterna.", text_en="x", weight=2)
    answers = {a.statement_id: (a.rating, a.comment) for a in assessment.answers.all()}
    save_assessment(
        organisation=cast.vaxjo, year=2026, user=cast.admin, answers={**answers, added.pk: (5, "")}, base_revision=1
    )
    new_answer = Answer.objects.get(assessment=assessment, statement=added)
    assert (new_answer.text_sv, new_answer.weight, new_answer.rating) == ("Vi följer upp effekterna.", 2, 5)


@pytest.mark.parametrize("rating", [0, 6, 7])
def test_the_database_refuses_ratings_outside_one_to_five(cast, statements, rating):
    assessment = Assessment.objects.create(organisation=cast.vaxjo, year=2026, kind="kommun")
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(
            assessment=assessment,
            statement=statements[0],
            position=1,
            text_sv="t",
            text_en="t",
            weight=1,
            rating=rating,
        )


def test_the_database_refuses_a_year_before_the_baseline(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(organisation=cast.vaxjo, year=2015, kind="kommun")


def test_the_history_is_append_only(cast):
    answer(cast.vaxjo, 2026, [3, 3, 3, 3, 3, 3])
    change = AssessmentChange.objects.get()
    with pytest.raises(ValueError):
        change.save()
    with pytest.raises(ValueError):
        change.delete()
