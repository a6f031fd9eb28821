"""Pages issue the same number of queries whether a group has 5 or 200 members, versions,
endorsements and comments (PRODUCT.md §4)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import OrganisationMember
from groups.models import Endorsement, Membership, NeedComment, NeedStatement, NeedVersion
from groups.services.needs import move_need
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def grow(cast, n):
    """n member authorities (each with two people), n versions, endorsements and comments."""
    organisations = [OrganisationFactory() for _ in range(n)]
    Membership.objects.bulk_create(
        Membership(group=cast.group, organisation=o, role="member", status="active") for o in organisations
    )
    people = [UserFactory() for _ in range(n)]
    OrganisationMember.objects.bulk_create(
        OrganisationMember(organisation=o, user=u) for o, u in zip(organisations, people, strict=True)
    )
    Endorsement.objects.bulk_create(
        Endorsement(need=cast.need, organisation=o, commitment="committed", quantity=1, unit="st")
        for o in organisations
    )
    NeedComment.objects.bulk_create(NeedComment(need=cast.need, author=u, body="Bra") for u in people)
    latest = NeedStatement.objects.get(pk=cast.need.pk).current_version
    start = latest.number
    versions = NeedVersion.objects.bulk_create(
        NeedVersion(
            need=cast.need,
            number=start + i + 1,
            author=people[i],
            change_note="c",
            title=f"v{i}",
            requirements=latest.requirements,
        )
        for i in range(n)
    )
    NeedStatement.objects.filter(pk=cast.need.pk).update(current_version=versions[-1])


def count(client, path):
    """Queries with nothing cached, then with the page's cached parts (core/fragments.py) warm:
    each must stay the same as the rows grow."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    return tuple(counts)


PAGES = {
    "directory": lambda cast: "/groups/",
    "workspace": lambda cast: cast.group.get_absolute_url(),
    "members": lambda cast: f"/groups/{cast.group.slug}/members/",
    "need": lambda cast: cast.need.get_absolute_url(),
    "history": lambda cast: f"/groups/{cast.group.slug}/needs/{cast.need.pk}/history/?from=1&to=2",
}


CASES = [("coordinator", page) for page in PAGES] + [("visitor", p) for p in ("directory", "workspace", "need")]


@pytest.mark.parametrize(("role", "page"), CASES)
def test_query_count_does_not_grow(client, cast, page, role):
    if role == "visitor":
        move_need(need=cast.need, user=cast.coordinator, to_state="published")
    else:
        client.force_login(cast.coordinator)
    path = PAGES[page](cast)
    grow(cast, 5)
    small = count(client, path)
    grow(cast, 195)
    large = count(client, path)
    assert large == small, f"{page}: {small} queries with 5 rows, {large} with 200"


def test_comments_by_deleted_people_cost_no_extra_queries(client, cast):
    from accounts.services import delete_account

    client.force_login(cast.coordinator)
    grow(cast, 5)
    before = count(client, cast.need.get_absolute_url())
    for comment in NeedComment.objects.select_related("author")[:5]:
        delete_account(user=comment.author)
    html = client.get(cast.need.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "deleted user, Organisation" in html
    assert count(client, cast.need.get_absolute_url()) == before
