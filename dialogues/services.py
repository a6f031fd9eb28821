"""Everything in dialogues that writes more than one row or has side effects.

Equal treatment is enforced here: answers and clarifications are numbered and published to
every participant in one transaction; deadlines are checked against the clock at the moment
of the action; a published answer never changes (corrections are amendments).
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import Action
from audit.services import entry as audit_entry
from audit.services import record as record_audit
from audit.services import record_many as record_audit_many
from dialogues.broadcast import revoke_thread_access_for_organisation
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
from groups.models import BuyerGroup, GroupEvent, Membership, NeedStatement
from groups.services import record
from moderation.access import code_of_conduct_refusal, suspension_refusal
from notifications.services import followers_of_theme, notify, users_of_organisations


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
def update_dialogue(*, dialogue, user, **fields) -> Dialogue:
    if dialogue.state == Dialogue.State.CLOSED:
        raise DialogueRuleError(_("The dialogue is closed and can no longer be changed."))
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
    record(dialogue.group, user, GroupEvent.Action.DIALOGUE_OPENED, detail=dialogue.title)
    group = dialogue.group
    record_audit(actor=user, action=Action.DIALOGUE_STATE, target=dialogue, group=group, detail="draft → open")
    notify(
        kind="dialogue_opened",
        recipients=anyone_of(
            followers_of_theme(group.theme),
            users_of_organisations(group.memberships.active().values("organisation_id")),
        ),
        params={"group": group.name, "dialogue": dialogue.title},
        place=dialogue,
        target=dialogue,
        actor=user,
    )
    return dialogue


@transaction.atomic
def close_dialogue(*, dialogue, user) -> Dialogue:
    """Open → closed (the start line): no new supplier questions, proposals or bookings."""
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    if dialogue.state != Dialogue.State.OPEN:
        raise DialogueRuleError(_("Only an open dialogue can be closed."))
    dialogue.state = Dialogue.State.CLOSED
    dialogue.closed_at = timezone.now()
    dialogue.save(update_fields=["state", "closed_at"])
    record(dialogue.group, user, GroupEvent.Action.DIALOGUE_CLOSED, detail=dialogue.title)
    record_audit(
        actor=user, action=Action.DIALOGUE_STATE, target=dialogue, group=dialogue.group, detail="open → closed"
    )
    return dialogue


def record_need_publication(*, need) -> list[DialogueNeedVersion]:
    """Called when a need is published again: every open dialogue on it records the new
    version, so its participants see what changed."""
    if need.published_version_id is None:
        return []
    recorded = []
    for dialogue in need.dialogues.filter(state=Dialogue.State.OPEN):
        entry, created = DialogueNeedVersion.objects.get_or_create(
            dialogue=dialogue, version_id=need.published_version_id
        )
        if created:
            recorded.append(entry)
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
    revoke_thread_access_for_organisation(participation.organisation)
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
    groups.uploads.check_upload; `keep_attachments` are attachments of the previous version
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


@transaction.atomic
def save_meeting_minutes(*, slot, user, minutes, clarification="", override_reason="") -> Answer | None:
    """Record the minutes. If anything new was said to this supplier, the group's
    `clarification` is published to every participant (same channel as answers); when it
    identifies a supplier, nothing is saved (IdentifyingText) unless overridden with a reason."""
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


def declare_conflict(*, dialogue, user, has_conflict, description="") -> ConflictDeclaration:
    return ConflictDeclaration.objects.create(
        dialogue=dialogue, user=user, has_conflict=has_conflict, description=description if has_conflict else ""
    )


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
    record(dialogue.group, user, GroupEvent.Action.DIALOGUE_SUMMARY_PUBLISHED, detail=dialogue.title)
    record_audit(actor=user, action=Action.RECORD_PUBLISHED, target=dialogue, group=dialogue.group)
