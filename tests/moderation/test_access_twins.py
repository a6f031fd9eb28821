"""moderation/access.py: who moderates what, for one object and as querysets, agree for every
signed-in person and every group, report and suspension of a world with two groups, reports in
both and suspensions from each group and from the whole site."""

import pytest
from django.http import Http404

from accounts.models import Organisation, Suspension
from discussions.services import post_message, start_group_thread
from groups.models import BuyerGroup
from groups.services.group import create_group
from moderation.access import (
    get_report_for_moderator,
    get_suspension_for_moderator,
    is_moderator_of,
    moderated_groups,
    moderator_users,
    reports_for_moderator,
    suspensions_for_moderator,
)
from moderation.models import Report
from moderation.services import report_content, suspend_user
from tests.access_twins import assert_twins_agree, fresh

# The pages are for signed-in people only: no visitor here.
ROLES = [
    "stranger",
    "non_member",
    "unverified",
    "member",
    "observer",
    "coordinator",
    "facilitator",
    "supplier_a",
    "supplier_b",
    "outside_supplier",
]


@pytest.fixture
def world(mc):
    w = mc
    report_content(reporter=w.supplier_a, target=w.question, reason="Reklam")
    report_content(reporter=w.coordinator, target=w.message, reason="Otrevligt")
    # Trafikverket (non_member) coordinates a group of its own, with a report of its own.
    other = create_group(
        creator=w.non_member,
        organisation=Organisation.objects.get(staff__user=w.non_member),
        name="Laddinfrastruktur",
        theme="transport",
        summary="Laddning längs vägarna.",
        challenge="Ingen vet vem som bygger.",
        is_open=True,
    )
    thread = start_group_thread(group=other, author=w.non_member, title="Intern", body="Hej")
    report_content(
        reporter=w.non_member, target=post_message(thread=thread, author=w.non_member, body="Usch"), reason="Nej"
    )
    for group, moderator in ((w.group, w.coordinator), (other, w.non_member), (None, w.facilitator)):
        suspend_user(user=w.outside_supplier, moderator=moderator, reason="Spam", group=group)
    return w


def users(world):
    return [fresh(getattr(world, role)) for role in ROLES]


def opens(getter):
    def rule(user, obj) -> bool:
        try:
            getter(user, obj.pk)
        except Http404:
            return False
        return True

    return rule


@pytest.mark.parametrize(
    "model, rule, twin",
    [
        (BuyerGroup, lambda user, group: is_moderator_of(user, group.pk), moderated_groups),
        (Report, opens(get_report_for_moderator), reports_for_moderator),
        (Suspension, opens(get_suspension_for_moderator), suspensions_for_moderator),
    ],
    ids=["groups", "reports", "suspensions"],
)
def test_the_moderators_querysets_agree_with_the_rule_for_one_object(world, model, rule, twin):
    assert_twins_agree(users(world), list(model.objects.all()), rule, twin)


def test_the_moderators_of_a_group_agree_with_the_rule_for_one_person(world):
    assert_twins_agree(
        list(BuyerGroup.objects.all()),
        users(world),
        lambda group, user: is_moderator_of(user, group.pk),
        moderator_users,
    )
