"""The platform's figures in an experience report come from the group's market dialogues."""

import pytest
from django.utils import timezone

from dialogues.models import Dialogue, Participation
from experience.figures import compute_figures
from experience.services import refresh_figures
from tests.dialogues.conftest import supplier
from tests.experience.conftest import size, write

pytestmark = pytest.mark.django_db


def test_figures_count_suppliers_by_size_questions_and_meetings(ended):
    figures = compute_figures(ended.group)
    assert figures["dialogues"] == 1
    assert figures["suppliers"] == 2
    assert figures["by_size"] == [{"name": size(0).name, "count": 1}, {"name": size(1).name, "count": 1}]
    assert figures["small"] == 1
    assert figures["small_share"] == 50
    assert figures["questions"] == 2
    assert figures["answered"] == 1
    assert figures["answered_in_time"] == 1
    assert figures["answers"] == 1
    assert figures["meetings"] == 1  # the booked meeting that was held, not the free slot


def test_a_withdrawn_supplier_and_a_draft_dialogue_do_not_count(ended):
    Participation.objects.filter(dialogue=ended.dialogue, organisation=ended.nordlys).update(
        withdrawn_at=timezone.now()
    )
    draft = Dialogue.objects.create(
        group=ended.group,
        need=ended.dialogue.need,
        title="Utkast",
        purpose="p",
        question_deadline=timezone.now(),
        submission_deadline=timezone.now(),
    )
    Participation.objects.create(dialogue=draft, organisation=supplier("Utkastleverantör AB"))
    figures = compute_figures(ended.group)
    assert figures["dialogues"] == 1
    assert figures["suppliers"] == 1
    assert figures["small_share"] == 100


def test_a_question_answered_late_is_answered_but_not_in_time(ended):
    question = ended.dialogue.questions.get(answer__isnull=False)
    type(question).objects.filter(pk=question.pk).update(answer_due_at=question.answer.published_at.replace(year=2020))
    figures = compute_figures(ended.group)
    assert (figures["answered"], figures["answered_in_time"]) == (1, 0)


def test_a_supplier_without_a_size_class_is_counted_apart(ended):
    ended.nordlys.size_class = None
    ended.nordlys.save(update_fields=["size_class"])
    figures = compute_figures(ended.group)
    assert figures["size_unknown"] == 1
    assert figures["by_size"] == [{"name": size(0).name, "count": 1}]


def test_a_group_without_a_dialogue_has_zero_figures(cast):
    figures = compute_figures(cast.group)
    assert (figures["dialogues"], figures["suppliers"], figures["questions"], figures["meetings"]) == (0, 0, 0, 0)
    assert figures["small_share"] is None


def test_the_report_keeps_its_figures_until_they_are_taken_again(ended):
    report = write(ended)
    assert report.figures["suppliers"] == 2
    Participation.objects.filter(dialogue=ended.dialogue, organisation=ended.nordlys).update(
        withdrawn_at=timezone.now()
    )
    report.refresh_from_db()
    assert report.figures["suppliers"] == 2
    refresh_figures(report=report, user=ended.coordinator)
    report.refresh_from_db()
    assert report.figures["suppliers"] == 1
