"""Saving self-assessments and delegations; the questions an assessment asks."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from indicator.models import Answer, Assessment, AssessmentChange, Delegation, Statement, localised


class StaleAssessment(Exception):
    """Someone saved the assessment after the editor opened the form."""

    def __init__(self, current: Assessment):
        super().__init__("stale assessment")
        self.current = current


@dataclass(frozen=True)
class Question:
    """One statement as the form asks it: in the wording the assessment was answered with,
    or today's wording for a statement it has not answered yet."""

    statement_id: int
    position: int
    text_sv: str
    text_en: str
    rating: int | None = None
    comment: str = ""

    @property
    def text(self) -> str:
        return localised(self.text_sv, self.text_en)


def questions_for(*, assessment: Assessment | None) -> list[Question]:
    """The statements already answered (with their wording then), and every active statement
    not answered yet, in order."""
    answered = list(assessment.answers.all()) if assessment else []
    questions = [
        Question(answer.statement_id, answer.position, answer.text_sv, answer.text_en, answer.rating, answer.comment)
        for answer in answered
    ]
    new = Statement.objects.filter(is_active=True).exclude(pk__in=[answer.statement_id for answer in answered])
    questions += [Question(s.pk, s.position, s.text_sv, s.text_en) for s in new]
    return sorted(questions, key=lambda question: (question.position, question.statement_id))


@transaction.atomic
def save_assessment(*, organisation, year, user, answers: dict, base_revision: int | None) -> Assessment:
    """Create or change the organisation's assessment for the year; the caller has checked
    access (indicator.access.get_organisation_for_answering).

    answers maps a statement pk to (rating or None, comment). A statement answered before keeps
    the wording and weight it was answered with; a new one takes today's. Every save appends
    the values saved to the history. base_revision is the revision the editor started from
    (None for a new assessment); if someone saved since, StaleAssessment is raised and nothing
    is written. (If the assessment the editor started from has gone, a new one is created.)"""
    assessment = Assessment.objects.select_for_update().filter(organisation=organisation, year=year).first()
    now = timezone.now()
    if assessment is None:
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(
                    organisation=organisation,
                    year=year,
                    kind=organisation.kind,
                    size_class=organisation.size_class,
                    created_by=user,
                    created_at=now,
                    updated_by=user,
                    updated_at=now,
                )
        except IntegrityError as error:  # a colleague saved the first version at the same moment
            raise StaleAssessment(Assessment.objects.get(organisation=organisation, year=year)) from error
    else:
        if base_revision != assessment.revision:
            raise StaleAssessment(assessment)
        assessment.revision += 1
        assessment.kind = organisation.kind
        assessment.size_class = organisation.size_class
        assessment.updated_by = user
        assessment.updated_at = now
        assessment.save(update_fields=["revision", "kind", "size_class", "updated_by", "updated_at"])

    existing = {answer.statement_id: answer for answer in assessment.answers.all()}
    statements = Statement.objects.in_bulk([pk for pk in answers if pk not in existing])
    changed, created = [], []
    for statement_pk, (rating, comment) in answers.items():
        if answer := existing.get(statement_pk):
            answer.rating, answer.comment = rating, comment
            changed.append(answer)
        else:
            statement = statements[statement_pk]
            created.append(
                Answer(
                    assessment=assessment,
                    statement=statement,
                    position=statement.position,
                    text_sv=statement.text_sv,
                    text_en=statement.text_en,
                    weight=statement.weight,
                    rating=rating,
                    comment=comment,
                )
            )
    Answer.objects.bulk_update(changed, ["rating", "comment"])
    Answer.objects.bulk_create(created)
    AssessmentChange.objects.create(
        assessment=assessment,
        revision=assessment.revision,
        changed_by=user,
        changed_at=now,
        answers=[snapshot(answer) for answer in sorted([*existing.values(), *created], key=_by_position)],
    )
    return assessment


def snapshot(answer: Answer) -> dict:
    return {
        "statement": answer.statement_id,
        "position": answer.position,
        "text_sv": answer.text_sv,
        "text_en": answer.text_en,
        "weight": str(answer.weight),
        "rating": answer.rating,
        "comment": answer.comment,
    }


def _by_position(answer: Answer):
    return (answer.position, answer.statement_id)


def delegate_answering(*, organisation, user, granted_by) -> Delegation:
    """Let a colleague answer the self-assessment; the caller has checked that granted_by is an
    administrator and that user works for the organisation. Delegating twice changes nothing."""
    delegation, _created = Delegation.objects.get_or_create(
        organisation=organisation, user=user, defaults={"granted_by": granted_by}
    )
    return delegation


def revoke_delegation(*, delegation: Delegation) -> None:
    delegation.delete()
