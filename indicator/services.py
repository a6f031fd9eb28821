"""Saving self-assessments and delegations; the questions an assessment asks; and the one
rule every figure the indicator shows goes through: small cells are suppressed."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.models import Organisation
from indicator.models import Answer, Assessment, AssessmentChange, Delegation, Statement, localised

# --- Small cells -----------------------------------------------------------------------------

# A figure computed from fewer authorities than this is never shown, in a page, a chart, its
# table or an export: with one or two authorities an average is (nearly) their own score.
MIN_AUTHORITIES = 3


@dataclass(frozen=True)
class Cell:
    """One figure and the number of authorities behind it. A suppressed cell has no value,
    and no count either: the marker alone says that too few authorities are behind it."""

    value: float | None
    count: int | None
    suppressed: bool = False


def shown(value, count: int) -> Cell:
    """THE rule: every aggregate the indicator shows is made into a Cell here."""
    if count < MIN_AUTHORITIES:
        return Cell(None, None, suppressed=True)
    return Cell(value, count)


def protect_partition(cells: dict, counts: dict) -> dict:
    """cells (key -> Cell) split a total that is shown beside them (the kinds of one year, say).
    If the suppressed ones hold fewer than MIN_AUTHORITIES together, the total minus the shown
    ones would give them away: suppress the smallest shown cells too, until they don't.
    counts holds every cell's true count."""
    cells = dict(cells)
    hidden = sum(counts[key] for key, cell in cells.items() if cell.suppressed)
    candidates = sorted((counts[key], str(key), key) for key, cell in cells.items() if not cell.suppressed)
    while 0 < hidden < MIN_AUTHORITIES and candidates:
        count, _name, key = candidates.pop(0)
        cells[key] = Cell(None, None, suppressed=True)
        hidden += count
    return cells


def suppressed_averages(rows, field: str | None, *, partition: bool = True) -> list[dict]:
    """Rows of AssessmentQuerySet.averages(field) as {"year", "key", "cell"}, small cells
    suppressed and, when field splits all authorities (partition), their complements too."""
    by_year = {}
    for row in rows:
        by_year.setdefault(row["year"], {})[row.get(field) if field else None] = row
    result = []
    for year, year_rows in by_year.items():
        cells = {key: shown(row["average"], row["count"]) for key, row in year_rows.items()}
        if field and partition:
            cells = protect_partition(cells, {key: row["count"] for key, row in year_rows.items()})
        result += [{"year": year, "key": key, "cell": cells[key]} for key in year_rows]
    return result


def dashboard_averages(assessments) -> dict:
    """Every average the dashboard and the averages export show, suppressed: five aggregate
    queries whatever the number of authorities. Each dimension (kind, size, buyer group)
    splits the authorities of a year, whose overall average is shown too, so each is protected
    against subtraction; the statements are separate questions, each suppressed on its own."""
    return {
        "overall": suppressed_averages(assessments.averages(), None),
        "kind": suppressed_averages(assessments.averages("kind"), "kind"),
        "size_class": suppressed_averages(assessments.averages("size_class"), "size_class"),
        "in_group": suppressed_averages(assessments.averages_by_membership(), "in_group"),
        "statement": suppressed_averages(statement_averages(assessments), "statement", partition=False),
    }


def statement_averages(assessments):
    """The mean rating of each statement (lever) per year over the assessments, with the number
    of authorities that rated it; one aggregate query. Unanswered statements are left out."""
    return (
        Answer.objects.filter(assessment__in=assessments.values("pk"), rating__isnull=False)
        .values("statement", year=F("assessment__year"))
        .annotate(average=Avg("rating"), count=Count("assessment", distinct=True))
        .order_by("year", "statement")
    )


def authorities_that_could_answer():
    """Verified contracting authorities: those that can answer the self-assessment."""
    return Organisation.objects.filter(kind__in=Organisation.AUTHORITY_KINDS, status=Organisation.Status.VERIFIED)


def with_answered(organisations, year: int):
    return organisations.annotate(answered=Exists(Assessment.objects.filter(organisation=OuterRef("pk"), year=year)))


@dataclass(frozen=True)
class ResponseRow:
    key: object
    could: int  # authorities that could answer: a count from the register, always shown
    answered: Cell  # how many answered, suppressed as any figure
    rate: Cell  # answered / could, in per cent


def _response_row(key, could: int, answered: int) -> ResponseRow:
    rate = shown(100 * answered / could if could else None, could)
    return ResponseRow(key, could, shown(answered, could), rate)


def response_rates(year: int) -> dict:
    """The year's response rate by kind and by size class (today's kind and size of the
    authorities that could answer), and in total: one aggregate query. A group of fewer than
    MIN_AUTHORITIES authorities gets no figures."""
    rows = list(
        with_answered(authorities_that_could_answer(), year)
        .values("kind", "size_class")
        .annotate(could=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
        .order_by("kind", "size_class")
    )
    totals = {"kind": {}, "size_class": {}}
    for row in rows:
        for field in totals:
            could, answered = totals[field].get(row[field], (0, 0))
            totals[field][row[field]] = (could + row["could"], answered + row["answered"])
    return {
        "total": _response_row(None, sum(r["could"] for r in rows), sum(r["answered"] for r in rows)),
        **{
            field: {key: _response_row(key, could, answered) for key, (could, answered) in values.items()}
            for field, values in totals.items()
        },
    }


def non_respondents(year: int):
    """The authorities that could answer and have not answered for the year, by kind and name."""
    return (
        with_answered(authorities_that_could_answer(), year)
        .filter(answered=False)
        .select_related("size_class")
        .order_by("kind", "name")
    )


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
