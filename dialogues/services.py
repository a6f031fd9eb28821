"""Everything in dialogues that writes more than one row or has side effects.

Equal treatment is enforced here: answers and clarifications are numbered and published to
every participant in one transaction; deadlines are checked against the clock at the moment
of the action; a published answer never changes (corrections are amendments).
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import users_of_organisations
from accounts.standing import code_of_conduct_refusal, suspension_refusal
from audit.models import Action
from audit.services import entry as audit_entry
from audit.services import record as record_audit
from audit.services import record_many as record_audit_many
from core.sockets import revoke_socket_access
from dialogues.deidentify import Match, identifying_matches
from dialogues.models import (
    Answer,
    ConflictDeclaration,
    Dialogue,
    DialogueNeedVersion,
    MeetingSlot,
    Participation,
    Question,
    Submission,
    SubmissionAccess,
    SubmissionAttachment,
    SubmissionVersion,
    add_working_days,
)
from groups.models import BuyerGroup, Membership, NeedStatement
from groups.services import followers_of_theme
from notifications.services import notify


class DialogueRuleError(Exception):
    """A rule of the dialogue was broken; the message is for people."""


class IdentifyingText(Exception):
    """The text to publish identifies a participating supplier or one of its people: it is held
    back until the group rewords it or overrides the check with a reason."""

    def __init__(self, matches: list[Match]):
        super().__init__("identifying text")
        self.matches = matches
        self.names = [match.found for match in matches]


def guard_identity(*, dialogue, texts, user, override_reason="", target=None) -> None:
    """Hold back `texts` (going to every participant or the public) if they identify a
    participating supplier: raise IdentifyingText with what matched. With an override reason the
    texts pass, and the override, with what matched and why, goes to the audit log."""
    matches = identifying_matches(dialogue, *texts)
    if not matches:
        return
    if not override_reason.strip():
        raise IdentifyingText(matches)
    record_audit(
        actor=user,
        action=Action.IDENTITY_CHECK_OVERRIDDEN,
        target=target or dialogue,
        group=dialogue.group,
        reason=override_reason.strip(),
        detail="; ".join(f"{match.found} ({match.kind}: {match.organisation})" for match in matches),
    )


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _touch(group_id) -> None:
    BuyerGroup.objects.filter(pk=group_id).update(last_activity_at=timezone.now())


def group_member_users(group):
    """The people of the group's member authorities: they answer and read proposals."""
    return users_of_organisations(
        group.memberships.active().filter(role=Membership.Role.MEMBER).values("organisation_id")
    )


def anyone_of(*querysets):
    """The people in any of the user querysets, as one queryset (one query when evaluated)."""
    condition = Q()
    for queryset in querysets:
        condition |= Q(pk__in=queryset.values("pk"))
    return User.objects.filter(condition)


# --- The dialogue itself -----------------------------------------------------------------


@transaction.atomic
def create_dialogue(*, group, need, user, **fields) -> Dialogue:
    """A coordinator drafts a dialogue on one of the group's published needs."""
    if need.group_id != group.pk or not need.is_public or need.state != NeedStatement.State.PUBLISHED:
        raise DialogueRuleError(_("A dialogue is opened on a published need statement of the group."))
    dialogue = Dialogue.objects.create(group=group, need=need, created_by=user, **fields)
    _touch(group.pk)
    return dialogue


@transaction.atomic
def update_dialogue(*, dialogue, user, reason="", approve_short_notice=False, override_reason="", **fields) -> Dialogue:
    """A draft changes freely; an open dialogue only through amend_dialogue (a numbered
    amendment to every participant); a closed one not at all."""
    if dialogue.state == Dialogue.State.CLOSED:
        raise DialogueRuleError(_("The dialogue is closed and can no longer be changed."))
    if dialogue.state == Dialogue.State.OPEN:
        amend_dialogue(
            dialogue=dialogue,
            user=user,
            reason=reason,
            approve_short_notice=approve_short_notice,
            override_reason=override_reason,
            **fields,
        )
        dialogue.refresh_from_db()
        return dialogue
    for name, value in fields.items():
        setattr(dialogue, name, value)
    dialogue.save()
    _touch(dialogue.group_id)
    return dialogue


@transaction.atomic
def open_dialogue(*, dialogue, user) -> Dialogue:
    """Draft → open: the need version it opens with is recorded, and it is listed for every
    verified supplier."""
    dialogue = Dialogue.objects.select_for_update().select_related("need").get(pk=dialogue.pk)
    if dialogue.state != Dialogue.State.DRAFT:
        raise DialogueRuleError(_("Only a draft dialogue can be opened."))
    need = dialogue.need
    if need.state != NeedStatement.State.PUBLISHED or need.published_version_id is None:
        raise DialogueRuleError(_("The need statement must be published before the dialogue opens."))
    now = timezone.now()
    if dialogue.question_deadline <= now:
        raise DialogueRuleError(_("The last day for questions has already passed. Move it forward before opening."))
    dialogue.state = Dialogue.State.OPEN
    dialogue.opened_at = now
    dialogue.save(update_fields=["state", "opened_at"])
    DialogueNeedVersion.objects.get_or_create(
        dialogue=dialogue, version_id=need.published_version_id, defaults={"published_at": now}
    )
    group = dialogue.group
    record_audit(actor=user, action=Action.DIALOGUE_STATE, target=dialogue, group=group, detail="draft → open")
    _touch(group.pk)
    notify(
        kind="dialogue_opened",
        recipients=dialogue_opening_recipients(dialogue),
        params={"group": group.name, "dialogue": dialogue.title},
        place=dialogue,
        target=dialogue,
        actor=user,
    )
    return dialogue


def dialogue_opening_recipients(dialogue):
    """Who is told when the dialogue opens: the suppliers' people who follow the group's theme,
    and the users of the group's member and observer organisations (active, not deleted)."""
    group = dialogue.group
    return anyone_of(
        followers_of_theme(group.theme),
        users_of_organisations(group.memberships.active().values("organisation_id")),
    ).filter(is_active=True, deleted_at__isnull=True)


@transaction.atomic
def close_dialogue(*, dialogue, user) -> Dialogue:
    """Open → closed (the start line): no new supplier questions, proposals or bookings."""
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    if dialogue.state != Dialogue.State.OPEN:
        raise DialogueRuleError(_("Only an open dialogue can be closed."))
    dialogue.state = Dialogue.State.CLOSED
    dialogue.closed_at = timezone.now()
    dialogue.save(update_fields=["state", "closed_at"])
    record_audit(
        actor=user, action=Action.DIALOGUE_STATE, target=dialogue, group=dialogue.group, detail="open → closed"
    )
    _touch(dialogue.group_id)
    return dialogue


def record_need_publication(*, need, user=None) -> list[DialogueNeedVersion]:
    """Called when a need is published again: every open dialogue on it records the new
    version, so its participants see what changed, and publishes it as a numbered amendment
    (the version it referred to → the new one) to every participant at once."""
    if need.published_version_id is None:
        return []
    recorded = []
    for dialogue in need.dialogues.filter(state=Dialogue.State.OPEN):
        with transaction.atomic():
            dialogue = Dialogue.objects.select_for_update().select_related("group").get(pk=dialogue.pk)
            previous = dialogue.need_versions.select_related("version").last()
            entry, created = DialogueNeedVersion.objects.get_or_create(
                dialogue=dialogue, version_id=need.published_version_id
            )
            if not created:
                continue
            recorded.append(entry)
            version = entry.version
            change = {
                "field": NEED_VERSION_FIELD,
                "label": _("need statement version"),
                "old": previous.version.number if previous is not None else None,
                "new": version.number,
            }
            notice = _publish_notice(
                dialogue=dialogue,
                user=user,
                kind=Answer.Kind.CHANGE,
                body=version.change_note.strip() or _("A new version of the need statement was published."),
                changes=[change],
            )
            record_audit(
                actor=user,
                action=Action.DIALOGUE_AMENDED,
                target=dialogue,
                group=dialogue.group,
                reason=notice.body,
                detail=f"no. {notice.number}: {NEED_VERSION_FIELD} {change['old']} → {change['new']}",
            )
    return recorded


# --- Participation -----------------------------------------------------------------------


@transaction.atomic
def register_participation(*, dialogue, organisation, user) -> Participation:
    if suspended := suspension_refusal(user, dialogue.group_id):
        raise DialogueRuleError(suspended)
    if not dialogue.is_open:
        raise DialogueRuleError(_("Suppliers can register only while the dialogue is open."))
    if not (organisation.is_supplier and organisation.is_verified):
        raise DialogueRuleError(_("Only verified supplier organisations can take part."))
    if dialogue.participations.active().filter(organisation=organisation).exists():
        raise DialogueRuleError(
            _("%(organisation)s already takes part in this dialogue.") % {"organisation": organisation.name}
        )
    Dialogue.objects.select_for_update().filter(pk=dialogue.pk).first()  # one label per registration at a time
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                dialogue=dialogue,
                organisation=organisation,
                registered_by=user,
            )
    except IntegrityError as error:  # two clicks at once: the constraint keeps one
        raise DialogueRuleError(
            _("%(organisation)s already takes part in this dialogue.") % {"organisation": organisation.name}
        ) from error
    return participation


@transaction.atomic
def withdraw_participation(*, participation, user) -> None:
    participation.withdrawn_at = timezone.now()
    participation.withdrawn_by = user
    participation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    # Open sockets re-check access at once: the open discussion closes, the private one stays.
    revoke_socket_access(participation.organisation.staff.values_list("user_id", flat=True))
    # A withdrawn supplier keeps nothing booked: the slot goes back to the others.
    MeetingSlot.objects.filter(
        dialogue_id=participation.dialogue_id,
        organisation_id=participation.organisation_id,
        starts_at__gt=timezone.now(),
    ).update(organisation=None, booked_by=None, booked_at=None)


# --- Questions and answers ---------------------------------------------------------------


@transaction.atomic
def ask_question(*, dialogue, organisation, user, text, requirement_number=None) -> Question:
    """A participant's question, private to the asker and the group until answered. Refused
    after the last day for questions, and from someone who has not accepted the code of conduct
    or is suspended."""
    if refusal := code_of_conduct_refusal(user) or suspension_refusal(user, dialogue.group_id):
        raise DialogueRuleError(refusal)
    now = timezone.now()
    if not dialogue.is_open:
        raise DialogueRuleError(_("The dialogue is closed and takes no new questions."))
    if now > dialogue.question_deadline:
        raise DialogueRuleError(
            _("The last day for questions was %(deadline)s. The group can no longer take questions in this dialogue.")
            % {"deadline": _local(dialogue.question_deadline)}
        )
    if not dialogue.participations.active().filter(organisation=organisation).exists():
        raise DialogueRuleError(_("Register your organisation to take part before asking a question."))
    question = Question.objects.create(
        dialogue=dialogue,
        organisation=organisation,
        asked_by=user,
        text=text,
        requirement_number=requirement_number,
        created_at=now,
        answer_due_at=add_working_days(now, dialogue.answer_days),
    )
    _touch(dialogue.group_id)
    notify(
        kind="question_received",
        recipients=group_member_users(dialogue.group),
        params={"dialogue": dialogue.title},
        place=dialogue,
        target=question,
        actor=user,
    )
    return question


@transaction.atomic
def save_answer_draft(
    *,
    dialogue,
    user,
    body,
    question_text="",
    requirement_number=None,
    questions=(),
    kind=Answer.Kind.ANSWER,
    answer=None,
    amends=None,
) -> Answer:
    """Create or change an unpublished answer or clarification. `questions` are the
    questions it answers (several near-identical ones may share one answer)."""
    if answer is not None and answer.is_published:
        raise DialogueRuleError(_("A published answer cannot be changed. Publish an amendment instead."))
    if answer is None:
        answer = Answer(dialogue=dialogue, kind=kind, created_by=user, amends=amends)
    answer.question_text = question_text
    answer.body = body
    answer.requirement_number = requirement_number
    answer.save()
    chosen = [q.pk for q in questions]
    # Questions taken off this draft become unanswered again; the chosen ones join it.
    answer.questions.exclude(pk__in=chosen).update(answer=None)
    if chosen:
        # A question already covered by a published answer stays with it.
        Question.objects.filter(dialogue=dialogue, pk__in=chosen).unanswered().update(answer=answer)
    return answer


@transaction.atomic
def publish_answer(*, answer, user, override_reason="") -> Answer:
    """Number the answer and publish it, with its question as the group worded it, to every
    participant at once. Refuses with IdentifyingText when the text identifies a participating
    supplier (dialogues/deidentify.py), unless the group overrides with a reason (audited)."""
    dialogue = Dialogue.objects.select_for_update().get(pk=answer.dialogue_id)
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if answer.is_published:
        raise DialogueRuleError(_("This answer is already published."))
    if dialogue.state == Dialogue.State.DRAFT:
        raise DialogueRuleError(_("Open the dialogue before publishing answers."))
    if answer.kind == Answer.Kind.ANSWER and not answer.questions.exists() and answer.amends_id is None:
        raise DialogueRuleError(_("Choose the question this answers, or publish it as a clarification."))
    guard_identity(
        dialogue=dialogue,
        texts=[answer.question_text, answer.body],
        user=user,
        override_reason=override_reason,
        target=answer,
    )
    answer.number = (dialogue.answers.aggregate(highest=Max("number"))["highest"] or 0) + 1
    answer.published_at = timezone.now()
    answer.published_by = user
    answer.save(update_fields=["number", "published_at", "published_by"])
    _touch(dialogue.group_id)
    detail = answer.kind if answer.amends_id is None else f"{answer.kind}, amends #{answer.amends.number}"
    record_audit(actor=user, action=Action.ANSWER_PUBLISHED, target=answer, group=dialogue.group, detail=detail)
    _notify_answer_published(dialogue=dialogue, answer=answer, user=user)
    return answer


def _notify_answer_published(*, dialogue, answer, user) -> None:
    """Every participant is told in the same transaction (equal treatment); the people of the
    organisations that asked are told that their own question is answered instead. Neither
    message names an asker."""
    askers = set(answer.questions.values_list("organisation_id", flat=True))
    others = dialogue.participations.active().exclude(organisation_id__in=askers).values("organisation_id")
    if answer.amends_id:
        variant = "amendment"
    elif answer.kind != Answer.Kind.ANSWER:
        variant = "clarification"
    else:
        variant = ""
    common = {"place": dialogue, "target": answer, "actor": user}
    notify(
        kind="answer_published",
        recipients=users_of_organisations(others),
        params={"dialogue": dialogue.title, "number": answer.number, "variant": variant},
        **common,
    )
    if askers:
        notify(
            kind="own_question_answered",
            recipients=users_of_organisations(
                dialogue.participations.active().filter(organisation_id__in=askers).values("organisation_id")
            ),
            params={"dialogue": dialogue.title, "number": answer.number},
            **common,
        )


@transaction.atomic
def publish_clarification(
    *,
    dialogue,
    user,
    body,
    question_text="",
    requirement_number=None,
    kind=Answer.Kind.CLARIFICATION,
    override_reason="",
) -> Answer:
    """The group's own clarification, published at once to every participant. Allowed after
    the last day for questions too. Checked like an answer (IdentifyingText)."""
    answer = save_answer_draft(
        dialogue=dialogue,
        user=user,
        body=body,
        question_text=question_text,
        requirement_number=requirement_number,
        kind=kind,
    )
    return publish_answer(answer=answer, user=user, override_reason=override_reason)


@transaction.atomic
def start_amendment(*, answer, user) -> Answer:
    """A correction of a published answer: a new draft that, once published, gets its own
    number and points at the entry it corrects."""
    if not answer.is_published:
        raise DialogueRuleError(_("Only a published answer can be amended; edit the draft instead."))
    if answer.is_notice:
        raise DialogueRuleError(_("A notice of an amendment or a withdrawal cannot be corrected."))
    if answer.is_withdrawn:
        raise DialogueRuleError(_("A withdrawn entry cannot be corrected. Publish a new answer or clarification."))
    return save_answer_draft(
        dialogue=answer.dialogue,
        user=user,
        body=answer.body,
        question_text=answer.question_text,
        requirement_number=answer.requirement_number,
        kind=answer.kind,
        amends=answer,
    )


@transaction.atomic
def delete_answer_draft(*, answer) -> None:
    if answer.is_published:
        raise DialogueRuleError(_("A published answer cannot be deleted. Publish an amendment instead."))
    answer.questions.update(answer=None)
    answer.delete()


# --- Amendments to an open dialogue and withdrawn entries --------------------------------

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


# --- Submissions -------------------------------------------------------------------------


@transaction.atomic
def submit_proposal(
    *,
    dialogue,
    organisation,
    user,
    text,
    secret_parts="",
    secret_reason="",
    uploads=(),
    keep_attachments=(),
) -> SubmissionVersion:
    """Send a proposal, or replace it with a new version before the deadline (every version is
    kept). `uploads` are (file, content type, is_trade_secret) already checked by
    core.uploads.check_upload; `keep_attachments` are attachments of the previous version
    carried over."""
    if suspended := suspension_refusal(user, dialogue.group_id):
        raise DialogueRuleError(suspended)
    now = timezone.now()
    if not dialogue.is_open:
        raise DialogueRuleError(_("The dialogue is closed and takes no new proposals."))
    if now > dialogue.submission_deadline:
        raise DialogueRuleError(
            _("The deadline for proposals was %(deadline)s. Proposals can no longer be sent or replaced.")
            % {"deadline": _local(dialogue.submission_deadline)}
        )
    if not dialogue.participations.active().filter(organisation=organisation).exists():
        raise DialogueRuleError(_("Register your organisation to take part before sending a proposal."))
    if not text.strip() and not uploads and not keep_attachments:
        raise DialogueRuleError(_("Write your proposal or attach at least one file."))
    submission, _created = Submission.objects.get_or_create(
        dialogue=dialogue, organisation=organisation, defaults={"created_at": now}
    )
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    previous = submission.latest_version
    number = (submission.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=number,
        text=text,
        secret_parts=secret_parts,
        secret_reason=secret_reason,
        submitted_by=user,
        submitted_at=now,
    )
    for attachment in keep_attachments:
        if previous is None or attachment.version_id != previous.pk:
            raise DialogueRuleError(_("Only attachments of your latest version can be kept."))
        SubmissionAttachment.objects.create(
            version=version,
            file=attachment.file.name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            is_trade_secret=attachment.is_trade_secret,
        )
    for upload, content_type, is_trade_secret in uploads:
        attachment = SubmissionAttachment(
            version=version,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            is_trade_secret=is_trade_secret,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    submission.latest_version = version
    submission.save(update_fields=["latest_version"])
    _touch(dialogue.group_id)
    notify(
        kind="submission_received",
        recipients=group_member_users(dialogue.group),
        params={
            "variant": "new" if number == 1 else "replaced",
            "organisation": organisation.name,
            "dialogue": dialogue.title,
        },
        place=dialogue,
        target=submission,
        actor=user,
    )
    return version


def log_submission_access(*, submission, user, action, version=None, attachment=None) -> None:
    """Every view or download by a group user is written to the access log. The submitting
    organisation reading its own proposal is not an access to log."""
    if user.is_member_of(submission.organisation):
        return
    with transaction.atomic():
        access = SubmissionAccess.objects.create(
            submission=submission,
            version=version or submission.latest_version,
            attachment=attachment,
            user=user,
            action=action,
        )
        record_audit(
            actor=user,
            action=Action.SUBMISSION_ACCESSED,
            target=submission,
            group=submission.dialogue.group,
            detail=", ".join(
                part
                for part in (
                    str(action),
                    f"v{access.version.number}" if access.version else "",
                    attachment.original_name if attachment else "",
                )
                if part
            ),
        )


@transaction.atomic
def log_record_export(*, dialogue, user, with_submission_content=True) -> int:
    """Every export of the record is in the audit log. One that includes the proposals'
    content is an access to each of them: one access log row and one audit row per proposal,
    each kind written in one statement."""
    group = dialogue.group
    record_audit(
        actor=user,
        action=Action.RECORD_EXPORTED,
        target=dialogue,
        group=group,
        detail="with proposals" if with_submission_content else "without proposals",
    )
    if not with_submission_content:
        return 0
    own = {a.organisation_id for a in user.active_affiliations}
    submissions = list(dialogue.submissions.exclude(organisation__in=own).select_related("organisation"))
    rows = SubmissionAccess.objects.bulk_create(
        SubmissionAccess(
            submission=submission,
            version_id=submission.latest_version_id,
            user=user,
            action=SubmissionAccess.Action.EXPORT,
        )
        for submission in submissions
    )
    record_audit_many(
        [
            audit_entry(
                actor=user,
                action=Action.SUBMISSION_ACCESSED,
                target=submission,
                group=group,
                detail=SubmissionAccess.Action.EXPORT,
            )
            for submission in submissions
        ]
    )
    return len(rows)


# --- Meetings ----------------------------------------------------------------------------


@transaction.atomic
def add_meeting_slots(*, dialogue, user, first_start, length_minutes, count, gap_minutes=0, location="") -> list:
    """Offer `count` consecutive slots of equal length. Every slot of a dialogue has the same
    length, so no supplier gets more of the group's time than another."""
    if dialogue.state == Dialogue.State.CLOSED:
        raise DialogueRuleError(_("The dialogue is closed: no new meetings can be offered."))
    if first_start <= timezone.now():
        raise DialogueRuleError(_("The first meeting must start in the future."))
    length = timedelta(minutes=length_minutes)
    existing = list(dialogue.meeting_slots.all())
    if existing and existing[0].length != length:
        raise DialogueRuleError(
            _("Every meeting in this dialogue is %(minutes)s minutes long; offer slots of the same length.")
            % {"minutes": int(existing[0].length.total_seconds() // 60)}
        )
    slots = []
    start = first_start
    for _index in range(count):
        slots.append(MeetingSlot(dialogue=dialogue, starts_at=start, ends_at=start + length, location=location))
        start = start + length + timedelta(minutes=gap_minutes)
    for slot in slots:
        if any(other.starts_at < slot.ends_at and slot.starts_at < other.ends_at for other in existing):
            raise DialogueRuleError(
                _("A new slot at %(start)s overlaps a slot already offered.") % {"start": _local(slot.starts_at)}
            )
    return MeetingSlot.objects.bulk_create(slots)


@transaction.atomic
def remove_meeting_slot(*, slot, user) -> None:
    if slot.is_booked:
        raise DialogueRuleError(_("The slot is booked. Cancel the booking before removing it."))
    slot.delete()


@transaction.atomic
def book_meeting_slot(*, slot, organisation, user) -> MeetingSlot:
    """Book a free slot for a participating supplier: one supplier per slot and one slot per
    supplier, even when two suppliers click at the same moment (a conditional update and a
    unique constraint decide, not a read-then-write)."""
    dialogue = slot.dialogue
    now = timezone.now()
    if not dialogue.is_open:
        raise DialogueRuleError(_("The dialogue is closed: meetings can no longer be booked."))
    if slot.starts_at <= now:
        raise DialogueRuleError(_("This meeting time has passed."))
    if not dialogue.participations.active().filter(organisation=organisation).exists():
        raise DialogueRuleError(_("Register your organisation to take part before booking a meeting."))
    try:
        with transaction.atomic():
            taken = MeetingSlot.objects.filter(pk=slot.pk, organisation__isnull=True).update(
                organisation=organisation, booked_by=user, booked_at=now
            )
    except IntegrityError as error:
        raise DialogueRuleError(
            _("%(organisation)s has already booked a meeting in this dialogue. Cancel it first to choose another time.")
            % {"organisation": organisation.name}
        ) from error
    if not taken:
        raise DialogueRuleError(_("Someone else booked this time a moment ago. Choose another one."))
    slot.refresh_from_db()
    _notify_both_sides(slot=slot, organisation=organisation, kind="meeting_booked", user=user)
    return slot


def _notify_both_sides(*, slot, organisation, kind, user) -> None:
    """Bookings and cancellations reach the supplier's people and the group's member users."""
    dialogue = slot.dialogue
    notify(
        kind=kind,
        recipients=anyone_of(users_of_organisations([organisation.pk]), group_member_users(dialogue.group)),
        params={"organisation": organisation.name, "dialogue": dialogue.title, "starts_at": slot.starts_at},
        place=dialogue,
        url=reverse("dialogues:meeting-list", args=[dialogue.pk]),
        actor=user,
    )


@transaction.atomic
def cancel_meeting_booking(*, slot, user, by_group=False) -> None:
    """A supplier cancels its booking until 24 hours before the meeting; the group may
    cancel at any time (the supplier is told)."""
    slot = MeetingSlot.objects.select_for_update().get(pk=slot.pk)
    if not slot.is_booked:
        raise DialogueRuleError(_("This meeting time is not booked."))
    limit = timedelta(hours=settings.MEETING_CANCEL_HOURS)
    if not by_group and slot.starts_at - timezone.now() < limit:
        raise DialogueRuleError(
            _("A booking can be cancelled until %(hours)s hours before the meeting. Contact the group instead.")
            % {"hours": settings.MEETING_CANCEL_HOURS}
        )
    organisation = slot.organisation
    slot.organisation = None
    slot.booked_by = None
    slot.booked_at = None
    slot.save(update_fields=["organisation", "booked_by", "booked_at"])
    _notify_both_sides(slot=slot, organisation=organisation, kind="meeting_cancelled", user=user)


def minutes_refusal(slot) -> str:
    """Why the minutes of `slot` cannot be written now ("" when they can): not before the
    meeting has started, so a meeting that has not happened is never recorded as held."""
    if slot.has_started:
        return ""
    return _("The meeting starts %(start)s. Write the minutes once it has started.") % {
        "start": date_format(timezone.localtime(slot.starts_at), "DATETIME_FORMAT")
    }


@transaction.atomic
def save_meeting_minutes(*, slot, user, minutes, clarification="", override_reason="") -> Answer | None:
    """Record the minutes. If anything new was said to this supplier, the group's
    `clarification` is published to every participant (same channel as answers); when it
    identifies a supplier, nothing is saved (IdentifyingText) unless overridden with a reason.
    Refused (DialogueRuleError) before the meeting's start."""
    if refusal := minutes_refusal(slot):
        raise DialogueRuleError(refusal)
    slot.minutes = minutes
    slot.minutes_by = user
    slot.minutes_at = timezone.now()
    published = None
    if clarification.strip():
        published = publish_clarification(
            dialogue=slot.dialogue,
            user=user,
            body=clarification,
            kind=Answer.Kind.MEETING,
            override_reason=override_reason,
        )
        slot.clarification = published
    slot.save(update_fields=["minutes", "minutes_by", "minutes_at", "clarification"])
    return published


# --- Conflicts of interest and the public record ------------------------------------------


def record_texts(value) -> list[str]:
    """Every text in a record (nested dicts and lists), to check before it is made public."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [text for item in value for text in record_texts(item)]
    return []


@transaction.atomic
def declare_conflict(*, dialogue, user, has_conflict, description="") -> ConflictDeclaration:
    """Append the user's own declaration. A conflict may always be declared (again); "no
    conflict" is refused (DialogueRuleError) while the user's current entry is a declared
    conflict: only someone else clears it (clear_conflict). A declared conflict is audited."""
    Dialogue.objects.select_for_update().filter(pk=dialogue.pk).first()  # one entry per dialogue at a time
    current = dialogue.conflict_declarations.current().filter(user=user).first()
    if not has_conflict and current is not None and current.blocks_proposals:
        raise DialogueRuleError(
            _("You have declared a conflict of interest here. Only someone else can clear it; you cannot undo it.")
        )
    declaration = ConflictDeclaration.objects.create(
        dialogue=dialogue, user=user, has_conflict=has_conflict, description=description if has_conflict else ""
    )
    if has_conflict:
        record_audit(
            actor=user,
            action=Action.CONFLICT_DECLARED,
            target=declaration,
            group=dialogue.group,
            reason=declaration.description,
            detail=dialogue.title,
        )
    return declaration


@transaction.atomic
def clear_conflict(*, dialogue, person, user, reason) -> ConflictDeclaration:
    """Clear `person`'s declared conflict of interest: a new entry (no conflict, cleared_by
    `user`, the reason), audited; the person is told after commit. The caller has checked that
    `user` may clear it (dialogues.access.get_conflict_to_clear); clearing one's own conflict,
    clearing without a reason and clearing what is not a declared conflict raise DialogueRuleError."""
    if user.pk == person.pk:
        raise DialogueRuleError(_("You cannot clear a conflict of interest you declared yourself."))
    if not reason.strip():
        raise DialogueRuleError(_("Give the reason why the conflict of interest no longer stands in the way."))
    Dialogue.objects.select_for_update().filter(pk=dialogue.pk).first()
    current = dialogue.conflict_declarations.current().filter(user=person).first()
    if current is None or not current.blocks_proposals:
        raise DialogueRuleError(
            _("%(person)s has no declared conflict of interest to clear.") % {"person": person.display_name}
        )
    clearance = ConflictDeclaration.objects.create(
        dialogue=dialogue, user=person, has_conflict=False, cleared_by=user, reason=reason.strip()
    )
    record_audit(
        actor=user,
        action=Action.CONFLICT_CLEARED,
        target=clearance,
        group=dialogue.group,
        reason=clearance.reason,
        detail=dialogue.title,
    )
    notify(
        kind="conflict_cleared",
        recipients=[person],
        params={"dialogue": dialogue.title, "person": user.display_name, "reason": clearance.reason},
        url=reverse("dialogues:declaration-list", args=[dialogue.pk]),
        place=dialogue,
        target=dialogue,
        actor=user,
    )
    return clearance


@transaction.atomic
def publish_public_record(*, dialogue, user, public_record: dict, override_reason="") -> None:
    """Keep the public version of the record (no proposals, nothing claimed as a trade
    secret, no asker identities) as the dialogue's published summary. Every text in it is
    checked first (IdentifyingText), unless overridden with a reason."""
    guard_identity(dialogue=dialogue, texts=record_texts(public_record), user=user, override_reason=override_reason)
    dialogue.public_record = public_record
    dialogue.public_record_published_at = timezone.now()
    dialogue.public_record_published_by = user
    dialogue.save(update_fields=["public_record", "public_record_published_at", "public_record_published_by"])
    record_audit(actor=user, action=Action.RECORD_PUBLISHED, target=dialogue, group=dialogue.group)
    _touch(dialogue.group_id)
