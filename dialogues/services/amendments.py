"""Amendments to an open dialogue and withdrawn entries: each is a numbered notice published to
every participant and the group at once."""

from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import users_of_organisations
from audit.models import Action
from audit.services import record as record_audit
from dialogues.models import Answer, Dialogue, add_working_days
from dialogues.services.shared import DialogueRuleError, _local, _touch, anyone_of, group_member_users, guard_identity
from notifications.services import notify

# What the group may change in an open dialogue; each change is a numbered amendment.
AMENDABLE_FIELDS = (
    "title",
    "purpose",
    "schedule",
    "meeting_plan",
    "question_deadline",
    "submission_deadline",
    "answer_days",
)
DEADLINE_FIELDS = ("question_deadline", "submission_deadline")
NEED_VERSION_FIELD = "need_version"  # an amendment's "field" when the need was republished


class AmendmentRefused(DialogueRuleError):
    """A change to an open dialogue broke a rule about one field (named, so the form shows the
    message next to it)."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


def participants_and_group(dialogue):
    """Everyone an amendment or a withdrawal is told to: the people of every organisation taking
    part now, and the users of the group's member authorities."""
    return anyone_of(
        users_of_organisations(dialogue.participations.active().values("organisation_id")),
        group_member_users(dialogue.group),
    )


def _machine_value(value):
    # Stored as data (times in UTC), formatted in the reader's language when shown
    # (dialogues/templatetags/dialogue_amendments.py).
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value


def _publish_notice(*, dialogue, user, kind, body, changes=(), amends=None) -> Answer:
    """The next number in the dialogue's series (the caller holds the dialogue's row lock),
    published at once and told to every participant and the group in this transaction."""
    number = (dialogue.answers.aggregate(highest=Max("number"))["highest"] or 0) + 1
    now = timezone.now()
    notice = Answer.objects.create(
        dialogue=dialogue,
        kind=kind,
        number=number,
        body=body,
        changes=list(changes),
        amends=amends,
        created_by=user,
        created_at=now,
        published_at=now,
        published_by=user,
    )
    _touch(dialogue.group_id)
    notify(
        kind="dialogue_amended",
        recipients=participants_and_group(dialogue),
        params={
            "dialogue": dialogue.title,
            "number": number,
            "variant": "withdrawal" if kind == Answer.Kind.WITHDRAWAL else "change",
        },
        place=dialogue,
        target=notice,
        actor=user,
    )
    return notice


def _check_deadlines(*, dialogue, changed, user, approve_short_notice, now) -> list[str]:
    """Refuse a deadline moved into the past, or moved earlier so that less than the minimum
    notice is left, unless a facilitator approves the shorter notice. Extending is always
    allowed. Returns the deadlines whose shorter notice a facilitator approved."""
    days = settings.DIALOGUE_MIN_NOTICE_WORKING_DAYS
    earliest = add_working_days(now, days)
    approved = []
    for name in DEADLINE_FIELDS:
        if name not in changed:
            continue
        new, old = changed[name], getattr(dialogue, name)
        if new <= now:
            raise AmendmentRefused(_("A deadline cannot be moved into the past. Choose a time after now."), field=name)
        if new < old and new < earliest:
            if not (approve_short_notice and user is not None and user.is_facilitator):
                if user is not None and user.is_facilitator:
                    who = _("As a facilitator you can approve a shorter notice: tick the box below.")
                else:
                    who = _("Only a facilitator can approve a shorter notice.")
                raise AmendmentRefused(
                    _(
                        "A shortened deadline must leave suppliers at least %(days)s working days from now, so "
                        "%(earliest)s at the earliest."
                    )
                    % {"days": days, "earliest": _local(earliest)}
                    + " "
                    + who,
                    field=name,
                )
            approved.append(name)
    return approved


@transaction.atomic
def amend_dialogue(*, dialogue, user, reason, approve_short_notice=False, override_reason="", **fields):
    """Change an open dialogue (coordinators and facilitators; the view checks who). Every
    change is published as ONE numbered amendment (each field's old → new value, and the
    reason) to every participant and the group at the same moment, in-app and by e-mail.
    A save that changes nothing publishes nothing and returns None. Deadlines: see
    _check_deadlines. The reason and the new texts go to all participants, so they are held
    back if they identify a supplier (IdentifyingText) unless overridden with a reason."""
    unknown = set(fields) - set(AMENDABLE_FIELDS)
    if unknown:
        raise DialogueRuleError(_("These cannot be changed in an open dialogue: %(fields)s") % {"fields": unknown})
    dialogue = Dialogue.objects.select_for_update().select_related("group").get(pk=dialogue.pk)
    if dialogue.state != Dialogue.State.OPEN:
        raise DialogueRuleError(_("Only an open dialogue is amended; this one is not open."))
    changed = {name: value for name, value in fields.items() if getattr(dialogue, name) != value}
    if not changed:
        return None
    reason = reason.strip()
    if not reason:
        raise AmendmentRefused(
            _("Say why the dialogue changes: the reason is published to every participant with the change."),
            field="reason",
        )
    now = timezone.now()
    approved = _check_deadlines(
        dialogue=dialogue, changed=changed, user=user, approve_short_notice=approve_short_notice, now=now
    )
    questions_close = changed.get("question_deadline", dialogue.question_deadline)
    if questions_close > changed.get("submission_deadline", dialogue.submission_deadline):
        raise AmendmentRefused(
            _("The deadline for proposals must be after the last day for questions."), field="submission_deadline"
        )
    guard_identity(
        dialogue=dialogue,
        texts=[reason, *(value for value in changed.values() if isinstance(value, str))],
        user=user,
        override_reason=override_reason,
    )
    changes = []
    for name in AMENDABLE_FIELDS:
        if name in changed:
            change = {
                "field": name,
                "label": str(Dialogue._meta.get_field(name).verbose_name),
                "old": _machine_value(getattr(dialogue, name)),
                "new": _machine_value(changed[name]),
            }
            if name in approved:
                change["short_notice_approved_by"] = user.display_name
            changes.append(change)
            setattr(dialogue, name, changed[name])
    dialogue.save(update_fields=list(changed))
    notice = _publish_notice(dialogue=dialogue, user=user, kind=Answer.Kind.CHANGE, body=reason, changes=changes)
    detail = f"no. {notice.number}: {', '.join(change['field'] for change in changes)}"
    if approved:
        detail += f"; shorter notice approved by a facilitator: {', '.join(approved)}"
    record_audit(
        actor=user, action=Action.DIALOGUE_AMENDED, target=dialogue, group=dialogue.group, reason=reason, detail=detail
    )
    return notice


def withdrawal_refusal(answer) -> str:
    """Why this entry cannot be withdrawn, for people; empty when it can."""
    if not answer.is_published:
        return _("Only a published entry can be withdrawn. Delete the draft instead.")
    if answer.is_notice:
        return _("A notice of an amendment or a withdrawal cannot be withdrawn.")
    if answer.is_withdrawn:
        return _("Entry %(number)s is already withdrawn.") % {"number": answer.number}
    return ""


@transaction.atomic
def withdraw_answer(*, answer, user, reason, override_reason="") -> Answer:
    """Withdraw a published answer or clarification (coordinators and facilitators; the view
    checks who), with a reason: the entry is marked withdrawn (its text disappears for suppliers
    and the public; the group and the record keep it, marked), and a numbered withdrawal notice
    is published to every participant at once. The questions it covered are waiting again, with
    a new promised answer time, unless a published correction of it still answers them.
    Returns the notice."""
    dialogue = Dialogue.objects.select_for_update().select_related("group").get(pk=answer.dialogue_id)
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if refusal := withdrawal_refusal(answer):
        raise DialogueRuleError(refusal)
    reason = reason.strip()
    if not reason:
        raise DialogueRuleError(_("Say why the entry is withdrawn: every participant is told the reason."))
    guard_identity(dialogue=dialogue, texts=[reason], user=user, override_reason=override_reason, target=answer)
    now = timezone.now()
    answer.withdrawn_at = now
    answer.withdrawn_by = user
    answer.withdrawal_reason = reason
    answer.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    notice = _publish_notice(dialogue=dialogue, user=user, kind=Answer.Kind.WITHDRAWAL, body=reason, amends=answer)
    standing = (
        answer.amendments.published()
        .filter(withdrawn_at__isnull=True)
        .exclude(kind__in=[Answer.Kind.CHANGE, Answer.Kind.WITHDRAWAL])
        .order_by("-number")
        .first()
    )
    if standing is not None:
        answer.questions.update(answer=standing)
    else:
        answer.questions.update(answer_due_at=add_working_days(now, dialogue.answer_days))
    if dialogue.public_record:
        _leave_out_of_public_record(dialogue, answer)
    record_audit(
        actor=user,
        action=Action.ANSWER_WITHDRAWN,
        target=answer,
        group=dialogue.group,
        reason=reason,
        detail=f"no. {answer.number} withdrawn by notice no. {notice.number}",
    )
    return notice


def _leave_out_of_public_record(dialogue, answer) -> None:
    """The published summary was built before the withdrawal: take the entry's text out of it."""
    for row in dialogue.public_record.get("answers", []):
        if row.get("number") == answer.number:
            row.update(question="", answer="", withdrawn=True)
    dialogue.save(update_fields=["public_record"])
