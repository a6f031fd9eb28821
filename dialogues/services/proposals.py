"""Proposals: a supplier sends or replaces its own (every version kept), and every view or
download by the group is logged."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.standing import suspension_refusal
from audit.models import Action
from audit.services import record as record_audit
from dialogues.models import Submission, SubmissionAccess, SubmissionAttachment, SubmissionVersion
from dialogues.services.shared import DialogueRuleError, _local, _touch, group_member_users
from notifications.services import notify


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
            detail=str(action),
            params={"version": access.version.number} if access.version else {},
            # An attachment's name may tell what the supplier keeps secret (dialogues/access.py).
            confidential={"attachment": attachment.original_name} if attachment else {},
        )
