"""The permission matrix: every indicator page and action × every role.

Visitors are sent to sign in; people outside the organisation get 404 on its pages (nothing
to probe); its own people and facilitators see its page; only an administrator or a delegated
colleague answers; only administrators delegate; only facilitators see the dashboard."""

import pytest
from django.urls import reverse
from django.utils import timezone

from indicator.models import Assessment, Delegation
from tests.indicator.conftest import answer

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "stranger", "supplier", "other_authority", "admin", "delegate", "member", "facilitator"]
OWN = {"admin", "delegate", "member"}


def client_for(client, cast, role):
    user = getattr(cast, role)
    if user is not None:
        client.force_login(user)
    return client


def expected(role, allowed, *, visible=OWN | {"facilitator"}, success=200):
    """visitor → sign in; outside the organisation → 404; inside without the role → 403."""
    if role in allowed:
        return success
    if role == "visitor":
        return 302
    return 403 if role in visible else 404


def rating_data(statements, rating="3"):
    return {f"rating_{s.pk}": rating for s in statements} | {f"comment_{s.pk}": "" for s in statements}


# Visitors (sent to sign in) and facilitators (200) on the dashboard and the two exports are
# cells of the security suite's table (tests/security/permission_table.py); its other people
# are not the ones here (their authorities are in a buyer group), so those cells stay here.
@pytest.mark.parametrize("role", [role for role in ROLES if role not in {"visitor", "facilitator"}])
@pytest.mark.parametrize("name", ["indicator:dashboard", "indicator:averages-export", "indicator:assessments-export"])
def test_only_facilitators_see_the_dashboard_and_exports(client, cast, role, name):
    response = client_for(client, cast, role).get(reverse(name))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_the_authority_page(client, cast, role):
    response = client_for(client, cast, role).get(reverse("indicator:organisation-detail", args=[cast.vaxjo.pk]))
    assert response.status_code == expected(role, OWN | {"facilitator"})


@pytest.mark.parametrize("role", ROLES)
def test_the_answer_form(client, cast, role):
    year = timezone.localdate().year
    response = client_for(client, cast, role).get(reverse("indicator:assessment-edit", args=[cast.vaxjo.pk, year]))
    assert response.status_code == expected(role, {"admin", "delegate"})


@pytest.mark.parametrize("role", ROLES)
def test_answering(client, cast, statements, role):
    year = timezone.localdate().year
    response = client_for(client, cast, role).post(
        reverse("indicator:assessment-edit", args=[cast.vaxjo.pk, year]), rating_data(statements)
    )
    assert response.status_code == expected(role, {"admin", "delegate"}, success=302)
    assert Assessment.objects.filter(organisation=cast.vaxjo).exists() == (role in {"admin", "delegate"})


@pytest.mark.parametrize("role", ROLES)
def test_delegating(client, cast, role):
    response = client_for(client, cast, role).post(
        reverse("indicator:delegation-create", args=[cast.vaxjo.pk]), {"user": cast.member.pk}
    )
    assert response.status_code == expected(role, {"admin"}, success=302)
    assert Delegation.objects.filter(user=cast.member).exists() == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_removing_a_delegation(client, cast, role):
    delegation = Delegation.objects.get(user=cast.delegate)
    response = client_for(client, cast, role).post(
        reverse("indicator:delegation-delete", args=[cast.vaxjo.pk, delegation.pk])
    )
    assert response.status_code == expected(role, {"admin"}, success=302)
    assert Delegation.objects.filter(pk=delegation.pk).exists() == (role != "admin")


def test_the_member_is_told_to_ask_an_administrator(client, cast):
    client.force_login(cast.member)
    response = client.get(reverse("indicator:assessment-edit", args=[cast.vaxjo.pk, timezone.localdate().year]))
    assert response.status_code == 403
    assert "Ask an administrator of Växjö kommun" in response.content.decode()


def test_suppliers_cannot_answer_even_for_their_own_organisation(client, cast, statements):
    client.force_login(cast.supplier)
    url = reverse("indicator:assessment-edit", args=[cast.supplier_organisation.pk, timezone.localdate().year])
    for response in (client.get(url), client.post(url, rating_data(statements))):
        assert response.status_code == 403
        assert "is for contracting authorities" in response.content.decode()
    assert not Assessment.objects.exists()
    page = client.get(reverse("indicator:organisation-detail", args=[cast.supplier_organisation.pk]))
    assert page.status_code == 403


def test_the_facilitating_agency_has_no_self_assessment(client, cast):
    client.force_login(cast.facilitator)
    url = reverse("indicator:assessment-edit", args=[cast.agency.pk, timezone.localdate().year])
    assert client.get(url).status_code == 403
    response = client.get(reverse("indicator:assessment-edit", args=[cast.vaxjo.pk, timezone.localdate().year]))
    assert "each authority answers for itself" in response.content.decode()


def test_unverified_authorities_cannot_answer(client, cast, statements):
    client.force_login(cast.unverified_admin)
    url = reverse("indicator:assessment-edit", args=[cast.unverified_organisation.pk, timezone.localdate().year])
    for response in (client.get(url), client.post(url, rating_data(statements))):
        assert response.status_code == 403
        assert "has not been verified by Upphandlingsmyndigheten yet" in response.content.decode()
    assert not Assessment.objects.exists()
    # They can still read their (empty) page.
    page = client.get(reverse("indicator:organisation-detail", args=[cast.unverified_organisation.pk]))
    assert page.status_code == 200
    assert "once a facilitator has verified it" in page.content.decode()


@pytest.mark.parametrize("offset", [-2, 1])
def test_only_this_year_and_last_year_can_be_answered(client, cast, statements, offset):
    year = timezone.localdate().year + offset
    client.force_login(cast.admin)
    response = client.post(reverse("indicator:assessment-edit", args=[cast.vaxjo.pk, year]), rating_data(statements))
    assert response.status_code == 403
    assert f"The self-assessment for {year} cannot be answered or changed now" in response.content.decode()
    assert not Assessment.objects.exists()


def test_last_year_can_still_be_answered(client, cast, statements):
    client.force_login(cast.admin)
    year = timezone.localdate().year - 1
    response = client.post(reverse("indicator:assessment-edit", args=[cast.vaxjo.pk, year]), rating_data(statements))
    assert response.status_code == 302
    assert Assessment.objects.get().year == year


def test_a_removed_delegate_can_no_longer_answer(client, cast):
    Delegation.objects.filter(user=cast.delegate).delete()
    client.force_login(cast.delegate)
    response = client.get(reverse("indicator:assessment-edit", args=[cast.vaxjo.pk, timezone.localdate().year]))
    assert response.status_code == 403


def test_a_delegation_does_not_reach_another_organisation(client, cast):
    Delegation.objects.create(organisation=cast.lund, user=cast.delegate)  # not one of Lund's people
    client.force_login(cast.delegate)
    response = client.get(reverse("indicator:assessment-edit", args=[cast.lund.pk, timezone.localdate().year]))
    assert response.status_code == 404


def test_other_authorities_never_see_the_scores_of_one_authority(client, cast):
    answer(cast.vaxjo, 2026, [5, 5, 5, 5, 5, 5])
    client.force_login(cast.other_authority)
    assert client.get(reverse("indicator:organisation-detail", args=[cast.vaxjo.pk])).status_code == 404
