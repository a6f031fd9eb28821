"""The notification kinds of market dialogues (their reminders among them, dialogues/reminders.py),
registered in DialoguesConfig.ready(): each kind's label on the preferences page, its default
delivery and its message per variant, with the params the callers of `notify` pass (a missing
one shows as "…"; see notifications/registry.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import Delivery, register_kind


def register_notification_kinds() -> None:
    # params: group, dialogue
    register_kind(
        "dialogue_opened",
        label=_("Market dialogues opened"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("%(group)s opened the market dialogue %(dialogue)s.")},
    )
    # params: dialogue (never the asking supplier: the group sees that on the page)
    register_kind(
        "question_received",
        label=_("New questions from suppliers to your group"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("A supplier asked a new question in %(dialogue)s.")},
    )
    # params: dialogue, number; variant "" (an answer) | "clarification" | "amendment"
    register_kind(
        "answer_published",
        label=_("Answers published in dialogues you take part in"),
        default=Delivery.IMMEDIATELY,
        messages={
            "": _("The group published a new answer in %(dialogue)s."),
            "clarification": _("The group published a clarification in %(dialogue)s."),
            "amendment": _("The group published a correction of an earlier answer in %(dialogue)s."),
        },
    )
    # params: dialogue
    register_kind(
        "own_question_answered",
        label=_("Answers to your own questions"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("Your question in %(dialogue)s has been answered.")},
    )
    # params: dialogue, number; variant "change" (dates, terms, meeting plan or need version) | "withdrawal"
    register_kind(
        "dialogue_amended",
        label=_("Amendments and withdrawn answers in dialogues you take part in"),
        default=Delivery.IMMEDIATELY,
        messages={
            "change": _("The group published amendment no. %(number)s to %(dialogue)s."),
            "withdrawal": _("The group withdrew an earlier answer in %(dialogue)s (notice no. %(number)s)."),
        },
    )
    # params: dialogue, person (who cleared it), reason
    register_kind(
        "conflict_cleared",
        label=_("Clearance of a conflict of interest you declared"),
        default=Delivery.IMMEDIATELY,
        messages={
            "": _("%(person)s cleared the conflict of interest you declared in %(dialogue)s. Reason: %(reason)s")
        },
    )
    # params: variant ("new" | "replaced"), organisation, dialogue
    register_kind(
        "submission_received",
        label=_("Proposals sent to your group"),
        default=Delivery.IMMEDIATELY,
        messages={
            "new": _("%(organisation)s sent a proposal in %(dialogue)s."),
            "replaced": _("%(organisation)s replaced its proposal in %(dialogue)s."),
        },
    )
    # params: organisation (the supplier), dialogue, starts_at (a datetime)
    register_kind(
        "meeting_booked",
        label=_("Dialogue meetings booked"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("%(organisation)s booked a meeting in %(dialogue)s on %(starts_at)s.")},
    )
    # params: organisation (the supplier), dialogue, starts_at (a datetime)
    register_kind(
        "meeting_cancelled",
        label=_("Dialogue meetings cancelled"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("The meeting with %(organisation)s in %(dialogue)s on %(starts_at)s is cancelled.")},
    )
    # params: variant ("question" | "submission"), dialogue, deadline (a datetime)
    register_kind(
        "deadline_reminder",
        label=_("Reminders of question and proposal deadlines"),
        default=Delivery.IMMEDIATELY,
        messages={
            "question": _("Questions in %(dialogue)s can be asked until %(deadline)s."),
            "submission": _("Proposals in %(dialogue)s can be sent until %(deadline)s."),
        },
    )
    # params: dialogue, starts_at (a datetime)
    register_kind(
        "meeting_reminder",
        label=_("Reminders of dialogue meetings"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("Your meeting in %(dialogue)s starts %(starts_at)s.")},
    )
    # params: dialogue, asked_at (a datetime)
    register_kind(
        "question_overdue",
        label=_("Supplier questions waiting past the promised answer time"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("A supplier question in %(dialogue)s has waited for an answer since %(asked_at)s.")},
    )
