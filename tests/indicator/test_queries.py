"""The indicator's pages issue the same number of queries for 10 and for 1,000 answering
organisations: every average is one aggregate query (PRODUCT.md §4)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organisation
from groups.models import BuyerGroup, Membership
from indicator.models import Answer, Assessment, Statement
from tests.factories import next_number
from tests.indicator.conftest import answer

pytestmark = pytest.mark.django_db

KINDS = list(Organisation.AUTHORITY_KINDS)


def grow(cast, count):
    """count more authorities of every kind and size, each answering 2024–2026; a third of
    them members of a buyer group."""
    statements = list(Statement.objects.all())
    start = Organisation.objects.count()
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Myndighet {start + i}",
            kind=KINDS[i % len(KINDS)],
            organisation_number=next_number("21"),
            size_class=cast.sizes[i % len(cast.sizes)],
            status=Organisation.Status.VERIFIED,
        )
        for i in range(count)
    )
    group, _created = BuyerGroup.objects.get_or_create(
        slug="stor-grupp", defaults={"name": "Stor grupp", "theme": "energy", "summary": "s", "challenge": "c"}
    )
    Membership.objects.bulk_create(
        Membership(group=group, organisation=o, role="member", status="active") for o in organisations[::3]
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(organisation=o, year=year, kind=o.kind, size_class=o.size_class)
        for o in organisations
        for year in (2024, 2025, 2026)
    )
    Answer.objects.bulk_create(
        (
            Answer(
                assessment=a,
                statement=s,
                position=s.position,
                text_sv=s.text_sv,
                text_en=s.text_en,
                weight=s.weight,
                rating=(a.pk + s.pk) % 5 + 1,
            )
            for a in assessments
            for s in statements
        ),
        batch_size=2000,
    )


def count(client, path, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.fixture
def own_answers(cast):
    for year, ratings in ((2024, [2] * 6), (2025, [3] * 6), (2026, [4] * 6)):
        answer(cast.vaxjo, year, ratings, user=cast.admin, comments=["Kommentar"] * 6)


PAGES = {
    "dashboard": ("facilitator", lambda cast: reverse("indicator:dashboard"), None),
    "dashboard filtered": (
        "facilitator",
        lambda cast: reverse("indicator:dashboard"),
        lambda cast: {"year_from": "2025", "kind": "kommun", "size_class": cast.sizes[3].pk},
    ),
    "averages csv": ("facilitator", lambda cast: reverse("indicator:averages-export"), None),
    "responses": ("facilitator", lambda cast: reverse("indicator:responses"), None),
    "assessments csv": ("facilitator", lambda cast: reverse("indicator:assessments-export"), None),
    "authority page, facilitator": (
        "facilitator",
        lambda cast: reverse("indicator:organisation-detail", args=[cast.vaxjo.pk]),
        None,
    ),
    "authority page, admin": (
        "admin",
        lambda cast: reverse("indicator:organisation-detail", args=[cast.vaxjo.pk]),
        None,
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_number_of_organisations(client, cast, own_answers, page):
    role, path, params = PAGES[page]
    client.force_login(getattr(cast, role))
    grow(cast, 10)
    params = params(cast) if params else None
    small = count(client, path(cast), params)
    grow(cast, 990)
    large = count(client, path(cast), params)
    assert large == small, f"{page}: {small} queries with 10 organisations, {large} with 1,000"


def test_the_dashboard_really_counts_the_thousand(client, cast, own_answers):
    grow(cast, 1000)
    client.force_login(cast.facilitator)
    response = client.get(reverse("indicator:dashboard"))
    assert response.context["assessment_count"] == 3 * 1001


def test_the_authority_page_does_not_grow_with_its_years_or_colleagues(client, cast):
    client.force_login(cast.admin)
    path = reverse("indicator:organisation-detail", args=[cast.vaxjo.pk])
    answer(cast.vaxjo, 2025, [3] * 6, user=cast.admin)
    small = count(client, path)
    for year in range(2016, 2025):
        answer(cast.vaxjo, year, [3] * 6, user=cast.delegate)
        answer(cast.vaxjo, year, [4] * 6, user=cast.admin, base_revision=1)
    assert count(client, path) == small


def test_the_responses_page_does_not_grow_with_those_that_have_not_answered(client, cast):
    """5 authorities that have not answered, then 200: the list is one query."""
    client.force_login(cast.facilitator)
    path = reverse("indicator:responses")

    def add(number):
        Organisation.objects.bulk_create(
            Organisation(
                name=f"Tyst myndighet {next_number('21')}",
                kind=KINDS[i % len(KINDS)],
                organisation_number=next_number("21"),
                size_class=cast.sizes[i % len(cast.sizes)],
                status=Organisation.Status.VERIFIED,
            )
            for i in range(number)
        )

    add(5)
    small = count(client, path)
    add(195)
    response = client.get(path)
    assert len(response.context["non_respondents"]) >= 200
    assert count(client, path) == small
