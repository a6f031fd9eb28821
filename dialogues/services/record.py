"""The dialogue's record: exporting it is logged (as an access to each proposal when their content
is included), and its public version is checked and published as the dialogue's summary."""

from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import entry as audit_entry
from audit.services import record as record_audit
from audit.services import record_many as record_audit_many
from dialogues.models import SubmissionAccess
from dialogues.services.shared import _touch, guard_identity


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
