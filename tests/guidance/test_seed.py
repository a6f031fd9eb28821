"""The texts the platform starts with: one per stage of the stage plan and the five topics, in
both languages, short; seeding again adds what is missing and keeps what facilitators wrote."""

import pytest

from groups.models import Stage
from guidance.models import GuidanceText
from guidance.seed import TEXTS, seed_guidance

TOPICS = [
    "early-dialogue",
    "functional-requirements",
    "innovation-procurement",
    "market-consultation",
    "conflicts-of-interest",
]


def expected_slugs():
    return [f"stage-{stage}" for stage in Stage.values] + TOPICS


@pytest.mark.parametrize("slug", expected_slugs())
def test_every_stage_and_topic_has_a_text_in_both_languages(slug):
    text = GuidanceText.objects.get(slug=slug)
    for field in ("title_sv", "title_en", "body_sv", "body_en"):
        assert getattr(text, field).strip(), field
    for body in (text.body_sv, text.body_en):
        assert 80 <= len(body.split()) <= 200


def test_the_stage_texts_are_filed_under_the_stage_plan_in_its_order():
    stage_texts = list(GuidanceText.objects.filter(topic="stages").order_by("position"))
    assert [text.slug for text in stage_texts] == [f"stage-{stage}" for stage in Stage.values]


def test_the_rules_texts_cite_the_right_sections_of_lou():
    consultation = GuidanceText.objects.get(slug="market-consultation")
    conflicts = GuidanceText.objects.get(slug="conflicts-of-interest")
    assert "4 kap. 2 §" in consultation.body_sv and "chapter 4 section 2" in consultation.body_en
    assert "4 kap. 3 §" in conflicts.body_sv and "4 kap. 4 §" in conflicts.body_sv
    assert "chapter 4 section 3" in conflicts.body_en and "chapter 4 section 4" in conflicts.body_en
    innovation = GuidanceText.objects.get(slug="innovation-procurement")
    assert "Innovationspartnerskap" in innovation.body_sv and "Förkommersiell upphandling" in innovation.body_sv


def test_seeding_again_adds_what_is_missing_and_keeps_edits():
    GuidanceText.objects.filter(slug="early-dialogue").delete()
    GuidanceText.objects.filter(slug="functional-requirements").update(title_sv="Vår egen rubrik")
    assert seed_guidance() == 1
    assert GuidanceText.objects.count() == len(TEXTS)
    assert GuidanceText.objects.get(slug="functional-requirements").title_sv == "Vår egen rubrik"
    assert seed_guidance() == 0
