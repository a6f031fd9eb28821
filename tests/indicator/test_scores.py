"""The arithmetic: an assessment's weighted score, and the group averages the database computes."""

from decimal import Decimal

import pytest

from accounts.models import Organisation
from groups.models import BuyerGroup, Membership
from indicator.models import Assessment, Statement
from tests.factories import OrganisationFactory
from tests.indicator.conftest import answer

pytestmark = pytest.mark.django_db


def score_of(assessment) -> float:
    return Assessment.objects.with_score().get(pk=assessment.pk).score


def set_weights(weights):
    for statement, weight in zip(Statement.objects.all(), weights, strict=True):
        statement.weight = Decimal(weight)
        statement.save(update_fields=["weight"])


def test_score_is_weighted_mean_of_the_rated_statements(cast):
    set_weights(["1", "2", "3", "1", "1", "2"])
    assessment = answer(cast.vaxjo, 2026, [5, 4, 3, 1, 1, 2])
    # (5·1 + 4·2 + 3·3 + 1·1 + 1·1 + 2·2) / (1+2+3+1+1+2) = 28 / 10
    assert score_of(assessment) == pytest.approx(2.8)


def test_unanswered_statements_are_left_out_not_counted_as_zero(cast):
    set_weights(["1", "2", "3", "1", "1", "2"])
    assessment = answer(cast.vaxjo, 2026, [5, 4, 3, None, 1, 2])
    # (5·1 + 4·2 + 3·3 + 1·1 + 2·2) / (1+2+3+1+2) = 27 / 9; as zero it would be 27 / 10
    assert score_of(assessment) == pytest.approx(3.0)
    assert Assessment.objects.with_score().get(pk=assessment.pk).rated == 5


def test_fractional_weights(cast):
    set_weights(["0.5", "1.5", "1", "1", "1", "1"])
    assessment = answer(cast.vaxjo, 2026, [4, 2, None, None, None, None])
    assert score_of(assessment) == pytest.approx((4 * 0.5 + 2 * 1.5) / 2.0)


def test_group_average_is_the_mean_of_the_authorities_scores(cast):
    answer(cast.vaxjo, 2026, [5, None, None, None, None, None])  # score 5 from one statement
    answer(cast.lund, 2026, [1, 1, 1, 1, 1, 1])  # score 1 from six
    (row,) = Assessment.objects.filter(year=2026).averages()
    # Each authority counts once: (5 + 1) / 2, not the pooled ratings' 11 / 7.
    assert row["average"] == pytest.approx(3.0)
    assert row["count"] == 2


def test_averages_are_split_by_year_kind_and_size(cast):
    region = OrganisationFactory(kind=Organisation.Kind.REGION, size_class=cast.sizes[4])
    answer(cast.vaxjo, 2025, [2, 2, 2, 2, 2, 2])
    answer(cast.vaxjo, 2026, [3, 3, 3, 3, 3, 3])
    answer(cast.lund, 2026, [4, 4, 4, 4, 4, 4])
    answer(region, 2026, [5, 5, 5, 5, 5, 5])
    by_kind = {(r["year"], r["kind"]): (r["average"], r["count"]) for r in Assessment.objects.averages("kind")}
    assert by_kind == {
        (2025, "kommun"): (pytest.approx(2.0), 1),
        (2026, "kommun"): (pytest.approx(3.5), 2),
        (2026, "region"): (pytest.approx(5.0), 1),
    }
    by_size = {(r["year"], r["size_class"]): r["average"] for r in Assessment.objects.averages("size_class")}
    assert by_size == {
        (2025, cast.sizes[3].pk): pytest.approx(2.0),
        (2026, cast.sizes[3].pk): pytest.approx(3.5),
        (2026, cast.sizes[4].pk): pytest.approx(5.0),
    }


def test_kind_and_size_are_those_of_the_year_answered(cast):
    answer(cast.vaxjo, 2025, [3, 3, 3, 3, 3, 3])
    cast.vaxjo.size_class = cast.sizes[4]
    cast.vaxjo.save()
    answer(cast.vaxjo, 2026, [4, 4, 4, 4, 4, 4])
    sizes = dict(Assessment.objects.filter(organisation=cast.vaxjo).values_list("year", "size_class"))
    assert sizes == {2025: cast.sizes[3].pk, 2026: cast.sizes[4].pk}


def test_only_active_members_of_a_buyer_group_count_as_members(cast):
    group = BuyerGroup.objects.create(name="G", slug="g", theme="energy", summary="s", challenge="c")
    observer = OrganisationFactory(kind=Organisation.Kind.STATLIG_MYNDIGHET)
    applicant = OrganisationFactory()
    Membership.objects.create(group=group, organisation=cast.vaxjo, role="member", status="active")
    Membership.objects.create(group=group, organisation=observer, role="observer", status="active")
    Membership.objects.create(group=group, organisation=applicant, role="member", status="requested")
    answer(cast.vaxjo, 2026, [4, 4, 4, 4, 4, 4])
    answer(observer, 2026, [2, 2, 2, 2, 2, 2])
    answer(applicant, 2026, [2, 2, 2, 2, 2, 2])
    answer(cast.lund, 2026, [1, 1, 1, 1, 1, 1])
    rows = {r["in_group"]: (r["average"], r["count"]) for r in Assessment.objects.averages_by_membership()}
    assert rows == {True: (pytest.approx(4.0), 1), False: (pytest.approx(5 / 3), 3)}


def test_an_old_assessment_keeps_the_weight_it_was_answered_with(cast):
    old = answer(cast.vaxjo, 2025, [5, 1, 1, 1, 1, 1])
    assert score_of(old) == pytest.approx(10 / 6)
    set_weights(["5", "1", "1", "1", "1", "1"])
    new = answer(cast.lund, 2026, [5, 1, 1, 1, 1, 1])
    assert score_of(old) == pytest.approx(10 / 6)
    assert score_of(new) == pytest.approx(30 / 10)
