"""Facilitators edit the statements and their weights in the admin; assessments are read only
there, because an authority's answers change only through its own page, with history."""

import pytest
from django.urls import reverse

from indicator.models import Answer, Statement
from tests.factories import UserFactory, with_totp
from tests.indicator.conftest import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    user = UserFactory(email="admin@uhm.se")
    user.is_staff = user.is_superuser = True
    user.save()
    return with_totp(user)  # staff have two-factor authentication


def test_a_statements_wording_and_weight_are_edited_in_the_admin(client, cast, superuser, statements):
    old = answer(cast.vaxjo, 2025, [4, 4, 4, 4, 4, 4])
    statement = statements[0]
    client.force_login(superuser)
    response = client.post(
        reverse("admin:indicator_statement_change", args=[statement.pk]),
        {
            "position": statement.position,
            "text_sv": "Vi för tidig dialog med marknaden.",
            "text_en": "We hold early dialogue with the market.",
            "weight": "2.50",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert (statement.text_sv, str(statement.weight)) == ("Vi för tidig dialog med marknaden.", "2.50")
    kept = Answer.objects.get(assessment=old, statement=statement)
    assert kept.text_sv != statement.text_sv and str(kept.weight) == "1.00"


def test_a_weight_of_zero_is_refused_in_the_admin(client, superuser, statements):
    client.force_login(superuser)
    statement = statements[0]
    response = client.post(
        reverse("admin:indicator_statement_change", args=[statement.pk]),
        {"position": 1, "text_sv": statement.text_sv, "text_en": statement.text_en, "weight": "0", "is_active": "on"},
    )
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert Statement.objects.get(pk=statement.pk).weight == 1


def test_assessments_are_read_only_in_the_admin(client, cast, superuser):
    assessment = answer(cast.vaxjo, 2026, [4, 4, 4, 4, 4, 4])
    client.force_login(superuser)
    url = reverse("admin:indicator_assessment_change", args=[assessment.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    assert client.get(reverse("admin:indicator_assessment_delete", args=[assessment.pk])).status_code == 403
