"""Who may write, send, review and read an experience report: the group's coordinators write and
send it once the group has ended, facilitators review it, a published report is public and an
unpublished one is the group's own (and the facilitators')."""

import pytest
from django.urls import reverse

from experience.models import ExperienceReport
from tests.dialogues.conftest import signed_in
from tests.experience.conftest import TEXTS, published, submitted, write

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "observer", "coordinator", "other_coordinator", "facilitator", "supplier"]


def person(ended, other_coordinator, role):
    return {
        "anonymous": None,
        "member": ended.member,
        "observer": ended.observer,
        "coordinator": ended.coordinator,
        "other_coordinator": other_coordinator,
        "facilitator": ended.facilitator,
        "supplier": ended.supplier_a,
    }[role]


def status(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


WRITE = {
    "anonymous": "login",
    "member": 403,
    "observer": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "facilitator": 403,
    "supplier": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_write_the_report(ended, other_coordinator, role):
    client = signed_in(person(ended, other_coordinator, role))
    response = client.get(reverse("experience:report-edit", args=[ended.group.slug]))
    assert status(response) == WRITE[role]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_send_the_report_for_review(ended, other_coordinator, role):
    write(ended)
    client = signed_in(person(ended, other_coordinator, role))
    response = client.post(reverse("experience:report-submit", args=[ended.group.slug]))
    expected = {**WRITE, "coordinator": 302}[role]
    assert status(response) == expected
    state = ExperienceReport.objects.get(group=ended.group).state
    assert state == ("submitted" if role == "coordinator" else "draft")


REVIEW = {
    "anonymous": "login",
    "member": 403,
    "observer": 403,
    "coordinator": 403,
    "other_coordinator": 403,
    "facilitator": 200,
    "supplier": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_facilitators_review(ended, other_coordinator, role):
    submitted(ended)
    client = signed_in(person(ended, other_coordinator, role))
    url = reverse("experience:report-review", args=[ended.group.slug])
    assert status(client.get(url)) == REVIEW[role]
    response = client.post(url, {"decision": "publish"})
    assert status(response) == {**REVIEW, "facilitator": 302}[role]
    assert ExperienceReport.objects.get(group=ended.group).is_published == (role == "facilitator")
    assert status(client.get(reverse("experience:review-list"))) == REVIEW[role]


DRAFT_READERS = {"member", "coordinator", "facilitator"}


@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_report_is_the_groups_own(ended, other_coordinator, role):
    write(ended)
    client = signed_in(person(ended, other_coordinator, role))
    response = client.get(reverse("experience:report-detail", args=[ended.group.slug]))
    assert response.status_code == (200 if role in DRAFT_READERS else 404)


@pytest.mark.parametrize("role", ROLES)
def test_a_published_report_is_public(ended, other_coordinator, role):
    published(ended)
    client = signed_in(person(ended, other_coordinator, role))
    response = client.get(reverse("experience:report-detail", args=[ended.group.slug]))
    assert response.status_code == 200
    assert TEXTS["lessons"] in response.content.decode()


def test_a_group_without_a_report_has_no_report_page(ended):
    assert (
        signed_in(ended.coordinator).get(reverse("experience:report-detail", args=[ended.group.slug])).status_code
        == 404
    )


def test_the_report_is_written_only_once_the_group_has_ended(cast):
    client = signed_in(cast.coordinator)
    response = client.post(reverse("experience:report-edit", args=[cast.group.slug]), TEXTS)
    assert response.status_code == 403
    assert not ExperienceReport.objects.exists()


def test_a_submitted_or_published_report_cannot_be_changed(ended):
    submitted(ended)
    client = signed_in(ended.coordinator)
    url = reverse("experience:report-edit", args=[ended.group.slug])
    assert client.post(url, {**TEXTS, "lessons": "Ändrat"}).status_code == 403
    assert ExperienceReport.objects.get().lessons == TEXTS["lessons"]
