"""The platform's own figures about a group's market dialogues, for its experience report: how
many dialogues, which suppliers took part (by size class, and the share of small companies),
questions asked and answered (and answered within the promised time), meetings held.

Only published dialogues count (a draft never met the market). The result is plain JSON, kept
on the report as a snapshot: a published report goes on saying what it said."""

from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import Organisation, SizeClass
from dialogues.models import Answer, Dialogue, MeetingSlot, Participation, Question

# A small company has fewer than 50 employees (the EU's definition of a small enterprise).
SMALL_COMPANY_MAX_EMPLOYEES = 49


def is_small(size_class: SizeClass | None) -> bool:
    return (
        size_class is not None
        and size_class.max_employees is not None
        and size_class.max_employees <= SMALL_COMPANY_MAX_EMPLOYEES
    )


def compute_figures(group) -> dict:
    """The figures for `group` now, as JSON (see the module docstring for what counts)."""
    dialogues = Dialogue.objects.published().filter(group=group)
    organisation_ids = (
        Participation.objects.active().filter(dialogue__in=dialogues).values("organisation_id").distinct()
    )
    suppliers = list(Organisation.objects.filter(pk__in=organisation_ids).select_related("size_class"))
    by_size = {size.pk: {"name": size.name, "count": 0} for size in SizeClass.objects.order_by("position")}
    unknown = 0
    for supplier in suppliers:
        if supplier.size_class_id in by_size:
            by_size[supplier.size_class_id]["count"] += 1
        else:
            unknown += 1
    small = sum(1 for supplier in suppliers if is_small(supplier.size_class))
    # answered: covered by a published answer that was not withdrawn (dialogues' unanswered_condition, turned round)
    answered = Q(answer__published_at__isnull=False, answer__withdrawn_at__isnull=True)
    questions = Question.objects.filter(dialogue__in=dialogues).aggregate(
        asked=Count("pk"),
        answered=Count("pk", filter=answered),
        answered_in_time=Count("pk", filter=answered & Q(answer__published_at__lte=F("answer_due_at"))),
    )
    answers = (
        Answer.objects.published()
        .filter(dialogue__in=dialogues, withdrawn_at__isnull=True)
        .exclude(kind__in=[Answer.Kind.CHANGE, Answer.Kind.WITHDRAWAL])
        .count()
    )
    return {
        "dialogues": dialogues.count(),
        "suppliers": len(suppliers),
        "by_size": [row for row in by_size.values() if row["count"]],
        "size_unknown": unknown,
        "small": small,
        "small_share": round(100 * small / len(suppliers)) if suppliers else None,
        "questions": questions["asked"],
        "answered": questions["answered"],
        "answered_in_time": questions["answered_in_time"],
        "answers": answers,
        "meetings": MeetingSlot.objects.held().filter(dialogue__in=dialogues).count(),
        "taken_at": timezone.now().isoformat(),
    }
