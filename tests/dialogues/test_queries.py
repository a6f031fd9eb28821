"""Dialogue pages issue the same number of queries with 5 and with 500 participants,
questions, answers, proposals and meetings (PRODUCT.md §4)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, OrganisationMember
from dialogues.models import (
    Answer,
    MeetingSlot,
    Participation,
    Question,
    Submission,
    SubmissionAccess,
    SubmissionVersion,
)
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def grow(dc, n):
    """n more supplier organisations, each with a person, a participation, a question (every
    other one answered), a proposal with two versions, a booked meeting and an access entry."""
    now = timezone.now()
    organisations = [OrganisationFactory(kind=Organisation.Kind.SUPPLIER) for _ in range(n)]
    people = [UserFactory() for _ in range(n)]
    OrganisationMember.objects.bulk_create(
        OrganisationMember(organisation=o, user=u) for o, u in zip(organisations, people, strict=True)
    )
    Participation.objects.bulk_create(
        Participation(dialogue=dc.dialogue, organisation=o, registered_by=u)
        for o, u in zip(organisations, people, strict=True)
    )
    start = dc.dialogue.answers.count()
    answers = Answer.objects.bulk_create(
        Answer(
            dialogue=dc.dialogue,
            number=start + i + 1,
            question_text=f"Fråga {i}?",
            body=f"Svar {i}.",
            published_at=now,
            created_by=dc.coordinator,
        )
        for i in range(n // 2)
    )
    Question.objects.bulk_create(
        Question(
            dialogue=dc.dialogue,
            organisation=o,
            asked_by=u,
            text=f"Fråga {i}?",
            answer_due_at=now + timedelta(days=7),
            answer=answers[i // 2] if i % 2 == 0 and i // 2 < len(answers) else None,
        )
        for i, (o, u) in enumerate(zip(organisations, people, strict=True))
    )
    submissions = Submission.objects.bulk_create(
        Submission(dialogue=dc.dialogue, organisation=o) for o in organisations
    )
    versions = SubmissionVersion.objects.bulk_create(
        SubmissionVersion(submission=s, number=number, text="Förslag", submitted_by=u, secret_reason="Skäl")
        for s, u in zip(submissions, people, strict=True)
        for number in (1, 2)
    )
    for submission, version in zip(submissions, versions[1::2], strict=True):
        submission.latest_version = version
    Submission.objects.bulk_update(submissions, ["latest_version"])
    first = now + timedelta(days=20)
    MeetingSlot.objects.bulk_create(
        MeetingSlot(
            dialogue=dc.dialogue,
            starts_at=first + timedelta(hours=i),
            ends_at=first + timedelta(hours=i, minutes=45),
            organisation=o,
            booked_by=u,
            booked_at=now,
            minutes="Anteckningar",
        )
        for i, (o, u) in enumerate(zip(organisations, people, strict=True))
    )
    SubmissionAccess.objects.bulk_create(
        SubmissionAccess(submission=s, version=s.latest_version, user=dc.member, action="view") for s in submissions
    )


def count(client, path):
    """Queries with nothing cached, then with the page's cached parts (core/fragments.py) warm:
    each must stay the same as the rows grow."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts.append(len(queries))
    return tuple(counts)


GROUP_PAGES = [
    "",
    "questions/",
    "submissions/",
    "submissions/log/",
    "participants/",
    "meetings/",
    "conflicts/",
    "record/",
]
SUPPLIER_PAGES = ["", "questions/", "meetings/", "submissions/"]


@pytest.mark.parametrize(
    ("role", "pages"), [("coordinator", GROUP_PAGES), ("supplier_b", SUPPLIER_PAGES), ("facilitator", ["record/"])]
)
def test_queries_do_not_grow_with_participants_questions_and_proposals(client, declared, role, pages):
    dc = declared
    client.force_login(getattr(dc, role))
    grow(dc, 5)
    small = {page: count(client, f"/dialogues/{dc.dialogue.pk}/{page}") for page in pages}
    grow(dc, 495)
    large = {page: count(client, f"/dialogues/{dc.dialogue.pk}/{page}") for page in pages}
    assert small == large


def test_the_public_list_does_not_grow_with_dialogues(client, declared):
    client.force_login(declared.supplier_b)
    grow(declared, 5)
    small = count(client, "/dialogues/")
    grow(declared, 200)
    assert count(client, "/dialogues/") == small
