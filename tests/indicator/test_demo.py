"""The indicator's demo: loads with `load_demo`, twice without duplicates, with real shapes."""

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from accounts.orgnr import normalise_organisation_number
from groups.models import Membership
from indicator.demo import GENERATED_MARK, YEARS
from indicator.models import Answer, Assessment, AssessmentChange
from indicator.services import MIN_AUTHORITIES, non_respondents

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo", stdout=open("/dev/null", "w"))


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Membership, Assessment, Answer, AssessmentChange)
    }


def test_loading_twice_duplicates_nothing():
    load()
    first = counts()
    load()
    assert counts() == first
    assert Organisation.objects.filter(name__endswith=GENERATED_MARK).count() == 200


def test_the_demo_authorities_have_three_years_and_anna_has_a_history():
    load()
    for name in ("Växjö kommun", "Lunds kommun", "Trafikverket", "Energimyndigheten"):
        years = Assessment.objects.filter(organisation__name=name).values_list("year", flat=True)
        assert sorted(years) == list(YEARS), name
    latest = Assessment.objects.get(organisation__name="Växjö kommun", year=YEARS[-1])
    assert latest.changes.count() == 2
    assert latest.answers.exclude(comment="").exists()
    assert not Assessment.objects.filter(organisation__kind__in=["supplier", "facilitating_agency"]).exists()


def test_generated_authorities_are_valid_and_of_every_kind_and_size():
    load()
    generated = Organisation.objects.filter(name__endswith=GENERATED_MARK)
    assert set(generated.values_list("kind", flat=True)) == set(Organisation.AUTHORITY_KINDS)
    assert generated.values("size_class").distinct().count() == 5
    for number in generated.values_list("organisation_number", flat=True):
        assert normalise_organisation_number(number) == number and int(number[2]) >= 2
    assert generated.filter(group_memberships__status="active").count() >= 20


def test_the_shapes_rise_slowly_and_state_agencies_rise_fastest():
    load()
    overall = {row["year"]: row["average"] for row in Assessment.objects.averages()}
    assert 2.5 <= overall[2024] < overall[2025] < overall[2026] <= 3.1
    by_kind = {(r["year"], r["kind"]): r["average"] for r in Assessment.objects.averages("kind")}
    rise = {kind: by_kind[(2026, kind)] - by_kind[(2024, kind)] for kind in Organisation.AUTHORITY_KINDS}
    assert max(rise, key=rise.get) == Organisation.Kind.STATLIG_MYNDIGHET
    members = {(r["year"], r["in_group"]): r["average"] for r in Assessment.objects.averages_by_membership()}
    assert members[(2026, True)] > members[(2026, False)]


def test_the_demo_has_a_hidden_small_cell_and_authorities_that_have_not_answered():
    """Filtered to other contracting authorities of the smallest size, the demo's last year
    has fewer than three answers: the dashboard hides it. Some authorities have not answered."""
    load()
    small = Assessment.objects.filter(
        year=YEARS[-1], kind=Organisation.Kind.OTHER_AUTHORITY, size_class__position=0
    ).count()
    assert 0 < small < MIN_AUTHORITIES
    assert non_respondents(YEARS[-1]).filter(name__endswith=GENERATED_MARK).count() >= 10
