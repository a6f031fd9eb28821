"""Demo data for the goal 5 indicator, loaded by `manage.py load_demo` (idempotent).

Three years of self-assessments for the demo authorities, and 200 generated authorities of
every kind and size so the dashboard shows real shapes: slowly rising around 2.6–3.1, state
agencies rising fastest (as the 2018 follow-up found), larger authorities and buyer-group
members a little ahead. The generator uses a fixed seed, so every load gives the same data.
"""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import County, Organisation, SizeClass, User
from accounts.orgnr import luhn_is_valid
from groups.models import BuyerGroup, Membership
from indicator.models import Answer, Assessment, AssessmentChange, Statement
from indicator.services import save_assessment, snapshot

YEARS = (2024, 2025, 2026)
GENERATED_MARK = " (exempel)"  # generated authorities are named "… (exempel)"
GENERATED_COUNT = 200
SEED = 20160101

# (organisation name, e-mail of the person who answers, {year: (ratings, comments)})
DEMO_ANSWERS = [
    (
        "Växjö kommun",
        "anna@vaxjo.demo.example",
        {
            2024: ([3, 2, 2, 3, 2, 3], {1: "Vi har börjat med RFI inför större upphandlingar."}),
            2025: ([4, 2, 2, 3, 3, 3], {4: "Funktionskrav i upphandlingen av arbetsmaskiner."}),
            2026: ([4, 3, 2, 4, 3, 4], {6: "Beställargruppen har gett oss en arbetsgrupp med drift och ekonomi."}),
        },
    ),
    (
        "Lunds kommun",
        "erik@lund.demo.example",
        {
            2024: ([3, 2, None, 3, 3, 2], {3: "Vet inte: avtalsuppföljningen ligger på förvaltningarna."}),
            2025: ([3, 2, 2, 3, 3, 3], {}),
            2026: ([4, 2, 3, 4, 3, 3], {1: "Dialogmöten inför trygghetslarmen."}),
        },
    ),
    (
        "Trafikverket",
        "maria@trafikverket.demo.example",
        {
            2024: ([3, 2, 3, 3, 2, 2], {}),
            2025: ([4, 3, 3, 3, 3, 3], {5: "Innovationsupphandling finns nu i verksamhetsplanen."}),
            2026: ([4, 3, 3, 4, 4, 3], {}),
        },
    ),
    (
        "Energimyndigheten",
        "olle@energi.demo.example",
        {
            2024: ([3, 2, 2, 4, 3, 3], {}),
            2025: ([4, 2, 3, 4, 3, 3], {}),
            2026: ([4, 3, 3, 4, 4, 4], {2: "Tydligare rutiner för dialog under anbudstiden."}),
        },
    ),
]

# kind: (how many, weights of the size classes smallest first, level in 2024, rise a year)
KIND_PROFILES = {
    Organisation.Kind.KOMMUN: (110, [2, 18, 35, 35, 10], 2.65, 0.06),
    Organisation.Kind.REGION: (12, [0, 0, 0, 30, 70], 2.90, 0.05),
    Organisation.Kind.STATLIG_MYNDIGHET: (48, [10, 30, 30, 20, 10], 2.55, 0.15),
    Organisation.Kind.KOMMUNALT_BOLAG: (22, [30, 40, 25, 5, 0], 2.70, 0.04),
    Organisation.Kind.OTHER_AUTHORITY: (8, [40, 40, 20, 0, 0], 2.50, 0.04),
}
# Early dialogue scored highest in the national survey, dialogue during procurement lowest.
STATEMENT_OFFSETS = [0.5, -0.6, -0.3, 0.3, -0.1, 0.2]
ANSWER_RATE = {2024: 0.75, 2025: 0.85, 2026: 0.9}
PLACES = [
    first + second
    for first in ("Björk", "Sjö", "Älv", "Berg", "Lind", "Ek", "Gran", "Ås", "Hög", "Norr")
    + ("Sör", "Väst", "Öst", "Mal", "Fur", "Al", "Ask", "Lönn", "Rönn", "Tall")
    for second in ("vik", "by", "dal", "holm", "näs", "torp", "hamn", "berga", "sund", "ås")
]


@transaction.atomic
def load_indicator_demo() -> None:
    if not Statement.objects.filter(is_active=True).exists():
        return  # the statements come with the migrations; a flushed test database has none
    _load_demo_authorities()
    if not Organisation.objects.filter(name__endswith=GENERATED_MARK).exists():
        _load_generated_authorities()


def _in_year(year: int) -> datetime:
    return datetime(year, 11, 15, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def _load_demo_authorities() -> None:
    statements = list(Statement.objects.filter(is_active=True))
    for name, email, years in DEMO_ANSWERS:
        organisation = Organisation.objects.filter(name=name).first()
        user = User.objects.filter(email=email).first()
        if organisation is None or organisation.maturity_assessments.exists():
            continue
        for year, (ratings, comments) in years.items():
            answers = {
                statement.pk: (rating, comments.get(position, ""))
                for position, (statement, rating) in enumerate(zip(statements, ratings, strict=False), start=1)
            }
            assessment = save_assessment(
                organisation=organisation, year=year, user=user, answers=answers, base_revision=None
            )
            when = _in_year(year)
            Assessment.objects.filter(pk=assessment.pk).update(created_at=when, updated_at=when)
            assessment.changes.update(changed_at=when)
    vaxjo = Organisation.objects.filter(name="Växjö kommun").first()
    latest = Assessment.objects.filter(organisation=vaxjo, year=YEARS[-1], revision=1).first()
    if latest:  # one edit, so the history has something to show
        answers = {answer.statement_id: (answer.rating, answer.comment) for answer in latest.answers.all()}
        first_statement = min(answers)
        answers[first_statement] = (5, "Höjt efter dialogmötena med leverantörerna av arbetsmaskiner.")
        save_assessment(organisation=vaxjo, year=latest.year, user=latest.updated_by, answers=answers, base_revision=1)


def _organisation_numbers(count: int) -> list[str]:
    """Made-up but valid numbers in the series 2129xxxxx-C (authorities start with 2)."""
    taken = set(Organisation.objects.values_list("organisation_number", flat=True))
    numbers, serial = [], 0
    while len(numbers) < count:
        serial += 1
        first_nine = f"2129{serial:05d}"
        check = next(digit for digit in "0123456789" if luhn_is_valid(first_nine + digit))
        number = f"{first_nine[:6]}-{first_nine[6:]}{check}"
        if number not in taken:
            numbers.append(number)
    return numbers


def _name(kind: str, place: str) -> str:
    names = {
        Organisation.Kind.KOMMUN: f"{place}s kommun",
        Organisation.Kind.REGION: f"Region {place}",
        Organisation.Kind.STATLIG_MYNDIGHET: f"{place}myndigheten",
        Organisation.Kind.KOMMUNALT_BOLAG: f"{place} Energi AB",
        Organisation.Kind.OTHER_AUTHORITY: f"Kommunalförbundet {place}",
    }
    return names[kind] + GENERATED_MARK


def _load_generated_authorities() -> None:
    rng = random.Random(SEED)
    sizes = list(SizeClass.objects.order_by("position"))
    statements = list(Statement.objects.filter(is_active=True))
    places = rng.sample(PLACES, GENERATED_COUNT)
    numbers = _organisation_numbers(GENERATED_COUNT)

    profiles = []  # (organisation, kind level, rise, size step)
    for kind, (count, size_weights, level, rise) in KIND_PROFILES.items():
        for _ in range(count):
            position = rng.choices(range(len(size_weights)), weights=size_weights)[0] if sizes else None
            organisation = Organisation(
                name=_name(kind, places[len(profiles)]),
                kind=kind,
                organisation_number=numbers[len(profiles)],
                size_class=sizes[min(position, len(sizes) - 1)] if sizes else None,
                # in turn, not from rng: drawing more numbers would change every shape after it
                county=County.values[len(profiles) % len(County.values)],
                status=Organisation.Status.VERIFIED,
            )
            profiles.append((organisation, level, rise, 0 if position is None else position - 2))
    Organisation.objects.bulk_create([organisation for organisation, *_rest in profiles])

    members = set(_join_a_buyer_group(rng, [organisation for organisation, *_rest in profiles]))
    assessments, answer_rows = [], []
    for organisation, level, rise, size_step in profiles:
        is_member = organisation.pk in members
        maturity = level + 0.08 * size_step + (0.1 if is_member else 0) + rng.gauss(0, 0.3)
        for index, year in enumerate(YEARS):
            if rng.random() > ANSWER_RATE[year]:
                continue
            this_year = maturity + index * (rise + (0.05 if is_member else 0)) + rng.gauss(0, 0.1)
            when = _in_year(year)
            assessment = Assessment(
                organisation=organisation,
                year=year,
                kind=organisation.kind,
                size_class=organisation.size_class,
                created_at=when,
                updated_at=when,
            )
            assessments.append(assessment)
            answer_rows.append([_rating(rng, this_year, position) for position in range(len(statements))])
    Assessment.objects.bulk_create(assessments)

    answers = []
    for assessment, ratings in zip(assessments, answer_rows, strict=True):
        answers += [
            Answer(
                assessment=assessment,
                statement=statement,
                position=statement.position,
                text_sv=statement.text_sv,
                text_en=statement.text_en,
                weight=statement.weight,
                rating=rating,
            )
            for statement, rating in zip(statements, ratings, strict=True)
        ]
    Answer.objects.bulk_create(answers, batch_size=1000)
    by_assessment = {}
    for answer in answers:
        by_assessment.setdefault(answer.assessment_id, []).append(snapshot(answer))
    AssessmentChange.objects.bulk_create(
        AssessmentChange(assessment=a, revision=1, changed_at=a.updated_at, answers=by_assessment[a.pk])
        for a in assessments
    )


def _rating(rng, maturity: float, position: int) -> int | None:
    if rng.random() < 0.05:
        return None  # some statements are left unanswered
    offset = STATEMENT_OFFSETS[position % len(STATEMENT_OFFSETS)]
    return max(1, min(5, round(maturity + offset + rng.gauss(0, 0.6))))


def _join_a_buyer_group(rng, organisations) -> list[int]:
    """A fifth of the municipalities and regions become members of the closed demo group."""
    group = BuyerGroup.objects.filter(slug="digitala-trygghetslarm").first()
    if group is None:
        return []
    candidates = [o for o in organisations if o.kind in (Organisation.Kind.KOMMUN, Organisation.Kind.REGION)]
    chosen = rng.sample(candidates, len(candidates) // 5)
    Membership.objects.bulk_create(
        Membership(
            group=group,
            organisation=organisation,
            role=Membership.Role.MEMBER,
            status=Membership.Status.ACTIVE,
            motivation="Vi vill ställa samma funktionskrav på trygghetslarmen.",
        )
        for organisation in chosen
    )
    return [organisation.pk for organisation in chosen]
