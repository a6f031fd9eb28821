"""The API's lists cost the same number of queries whatever the page size: 5 objects or 100."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation
from dialogues.models import Dialogue, DialogueNeedVersion, Participation
from groups.models import BuyerGroup, Endorsement, Membership, NeedStatement, NeedVersion
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

REQUIREMENTS = [
    {"number": n, "text": f"Krav {n}", "priority": "must", "rationale": "", "verification": ""} for n in (1, 2)
]


def build(count: int, start: int = 0) -> None:
    """count groups, each with two member authorities, a published need with an endorsement and
    an open dialogue with a supplier taking part."""
    now = timezone.now()
    supplier = OrganisationFactory(kind=Organisation.Kind.SUPPLIER)
    for number in range(start, start + count):
        group = BuyerGroup.objects.create(
            name=f"Grupp {number}", slug=f"grupp-{number}", theme="energy", summary="s", challenge="c"
        )
        for _ in range(2):
            Membership.objects.create(
                group=group, organisation=OrganisationFactory(), role="member", status=Membership.Status.ACTIVE
            )
        need = NeedStatement.objects.create(group=group, state=NeedStatement.State.PUBLISHED, published_at=now)
        version = NeedVersion.objects.create(
            need=need, number=1, title=f"Behov {number}", change_note="v1", requirements=REQUIREMENTS
        )
        NeedStatement.objects.filter(pk=need.pk).update(current_version=version, published_version=version)
        Endorsement.objects.create(
            need=need,
            organisation=group.memberships.first().organisation,
            commitment="committed",
            quantity=3,
            unit="st",
        )
        dialogue = Dialogue.objects.create(
            group=group,
            need=need,
            title=f"Dialog {number}",
            purpose="p",
            question_deadline=now + timedelta(days=5),
            submission_deadline=now + timedelta(days=10),
            state=Dialogue.State.OPEN,
            opened_at=now,
        )
        DialogueNeedVersion.objects.create(dialogue=dialogue, version=version)
        Participation.objects.create(dialogue=dialogue, organisation=supplier)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("kind", ["groups", "needs", "dialogues"])
def test_a_list_page_costs_the_same_at_5_and_100_objects(client, kind):
    build(5)
    few = queries(client, f"/api/v1/{kind}/?limit=100")
    build(95, start=5)
    assert len(client.get(f"/api/v1/{kind}/?limit=100").json()["results"]) == 100
    assert queries(client, f"/api/v1/{kind}/?limit=100") == few
