"""The dialogue's record (DOMAIN.md §4): what gets registered, and what goes to the authority
that examines a request for documents. Two versions from one builder:

- full: for coordinators and facilitators. Proposal texts and attachments are included only
  when the person exporting may open them (a member user who declared no conflict of
  interest); otherwise the list of proposals with times and secrecy claims. The claims
  themselves (which parts, why) and the attachments' names are only for the users of the
  group's member authorities (DialogueAccess.can_read_confidentiality_requests): anyone else
  reads that secrecy is claimed, and the access log without the attachments' names.
- public: no proposals, nothing claimed as a trade secret, no participant or asker
  identities (participants appear only by their labels, "Supplier A"), no minutes (they may
  hold what a supplier said in confidence). This is what the group may publish as the
  dialogue's summary.

The record is plain data (JSON-serialisable), rendered as a printable page and as a ZIP
with JSON and CSV files. Building it takes a fixed number of queries. The ZIP is written into
a temporary file, attachments copied from storage in chunks, so memory stays bounded however
large the proposals' files are.
"""

import io
import json
import shutil
import tempfile
import zipfile

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import OrganisationMember
from audit.models import Action, AuditEntry
from core import csv_export
from dialogues.models import Dialogue, SubmissionAccess, SubmissionAttachment, SubmissionVersion, label_letters


def _when(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _person(user) -> str | None:
    return user.display_name if user is not None else None


def _need_versions(dialogue) -> list[dict]:
    return [
        {
            "version": entry.version.number,
            "title": entry.version.title,
            "published_to_dialogue_at": _when(entry.published_at),
            "requirements": [
                {"number": f"R{r['number']}", "priority": r["priority"], "text": r["text"]}
                for r in entry.version.requirements
            ],
        }
        for entry in dialogue.need_versions.select_related("version")
    ]


def _answers(dialogue, *, public: bool = False) -> list[dict]:
    """The numbered series. A withdrawn entry keeps its text in the full record (marked); the
    public record keeps only that it was withdrawn, when and why."""
    published = (
        dialogue.answers.filter(published_at__isnull=False).select_related("amends", "withdrawn_by").order_by("number")
    )
    rows = []
    for answer in published:
        hidden = public and answer.is_withdrawn
        row = {
            "number": answer.number,
            "kind": answer.kind,
            "question": "" if hidden else answer.question_text,
            "answer": "" if hidden else answer.body,
            "requirement": f"R{answer.requirement_number}" if answer.requirement_number else "",
            "amends": answer.amends.number if answer.amends_id else None,
            "published_at": _when(answer.published_at),
            "changes": answer.changes,
            "changes_summary": "; ".join(f"{c['field']}: {c['old']} → {c['new']}" for c in answer.changes),
            "withdrawn": answer.is_withdrawn,
            "withdrawn_at": _when(answer.withdrawn_at),
            "withdrawal_reason": answer.withdrawal_reason,
        }
        if not public:
            row["withdrawn_by"] = _person(answer.withdrawn_by)
        rows.append(row)
    return rows


def _questions(dialogue) -> list[dict]:
    questions = dialogue.questions.select_related("organisation", "asked_by", "answer").prefetch_related(
        Prefetch("asked_by__affiliations", queryset=OrganisationMember.objects.select_related("organisation"))
    )
    return [
        {
            "id": question.pk,
            "organisation": question.organisation.name,
            "asked_by": _person(question.asked_by),
            "asked_at": _when(question.created_at),
            "original_text": question.text,
            "requirement": f"R{question.requirement_number}" if question.requirement_number else "",
            "answer_due_at": _when(question.answer_due_at),
            "published_wording": question.answer.question_text if question.is_answered else "",
            "answer_number": question.answer.number if question.is_answered else None,
            "answered_at": _when(question.answer.published_at) if question.is_answered else None,
        }
        for question in questions
    ]


def _submissions(dialogue, *, with_content: bool, with_confidentiality: bool) -> list[dict]:
    submissions = dialogue.submissions.select_related("organisation").prefetch_related(
        Prefetch(
            "versions",
            queryset=SubmissionVersion.objects.select_related("submitted_by")
            .prefetch_related(Prefetch("attachments", queryset=SubmissionAttachment.objects.order_by("pk")))
            .order_by("number"),
        )
    )
    rows = []
    for submission in submissions:
        versions = []
        for version in submission.versions.all():
            entry = {
                "version": version.number,
                "submitted_at": _when(version.submitted_at),
                "submitted_by": _person(version.submitted_by),
                "trade_secret_claimed": version.claims_secrecy
                or any(attachment.is_trade_secret for attachment in version.attachments.all()),
                "trade_secret_parts": version.secret_parts if with_confidentiality else None,
                "trade_secret_reason": version.secret_reason if with_confidentiality else None,
                "attachments": [
                    {
                        "name": attachment.original_name if with_confidentiality else None,
                        "size": attachment.size,
                        "trade_secret": attachment.is_trade_secret,
                        "file_in_export": _attachment_path(submission, version, attachment) if with_content else None,
                    }
                    for attachment in version.attachments.all()
                ],
            }
            if with_content:
                entry["text"] = version.text
            versions.append(entry)
        rows.append({"id": submission.pk, "organisation": submission.organisation.name, "versions": versions})
    return rows


def _attachment_path(submission, version, attachment) -> str:
    organisation = slugify(submission.organisation.name) or f"organisation-{submission.organisation_id}"
    return f"proposals/{organisation}/v{version.number}/{attachment.pk}-{attachment.original_name}"


def _meetings(dialogue) -> list[dict]:
    return [
        {
            "starts_at": _when(slot.starts_at),
            "ends_at": _when(slot.ends_at),
            "location": slot.location,
            "organisation": slot.organisation.name if slot.organisation_id else None,
            "booked_by": _person(slot.booked_by),
            "booked_at": _when(slot.booked_at),
            "clarification_number": slot.clarification.number if slot.clarification_id else None,
            "minutes": slot.minutes,
            "minutes_by": _person(slot.minutes_by),
            "minutes_at": _when(slot.minutes_at),
        }
        for slot in dialogue.meeting_slots.select_related("organisation", "booked_by", "minutes_by", "clarification")
    ]


def _participant_labels(participations) -> list[dict]:
    """The public record names no supplier: each appears by the letter of its label
    ("Supplier A"), shown in the reader's language (discussions/pseudonyms.py)."""
    return [
        {
            "label_letter": label_letters(participation.label_number or 0),
            "registered_at": _when(participation.registered_at),
            "withdrawn_at": _when(participation.withdrawn_at),
        }
        for participation in participations
    ]


# The moderation actions in the record, as the record has always named them.
MODERATION_ACTIONS = {
    Action.CONTENT_HIDDEN: "hidden",
    Action.CONTENT_RESTORED: "restored",
    Action.THREAD_LOCKED: "locked",
    Action.THREAD_UNLOCKED: "unlocked",
}
# Audit rows name their target by model label; discussions lived in the dialogues app before.
THREAD_TYPES = ("discussions.thread", "dialogues.thread")
MESSAGE_TYPES = ("discussions.message", "dialogues.message")


def _moderation_actions(dialogue) -> list[dict]:
    """What moderators did in the dialogue's discussions, from the audit log: the entries of the
    group that lock or unlock one of the dialogue's threads or hide or restore a message in one.
    The threads come through the reverse relation dialogue.threads, so this needs nothing from
    discussions; the entries' own targets (which every entry has, however old) tie them to it."""
    entries = AuditEntry.objects.filter(
        group_id=dialogue.group_id,
        action__in=list(MODERATION_ACTIONS),
        target_type__in=THREAD_TYPES + MESSAGE_TYPES,
    ).order_by("at", "pk")
    entries = [entry for entry in entries if entry.target_id.isdigit()]
    message_ids = [int(entry.target_id) for entry in entries if entry.target_type in MESSAGE_TYPES]
    threads = {thread.pk: thread for thread in dialogue.threads.all()}
    thread_of_message = dict(
        dialogue.threads.filter(messages__in=message_ids).values_list("messages", "pk") if message_ids else []
    )
    rows = []
    for entry in entries:
        is_message = entry.target_type in MESSAGE_TYPES
        thread_id = thread_of_message.get(int(entry.target_id)) if is_message else int(entry.target_id)
        if thread_id not in threads:  # another dialogue's discussion, or one of the group's own
            continue
        rows.append(
            {
                "discussion": threads[thread_id].get_kind_display(),
                "action": MODERATION_ACTIONS[entry.action],
                "moderator": entry.actor_label or None,
                "reason": entry.reason,
                "message_id": int(entry.target_id) if is_message else None,
                "at": _when(entry.at),
            }
        )
    return rows


def build_record(
    dialogue: Dialogue,
    *,
    public: bool,
    with_submission_content: bool = False,
    with_confidentiality_requests: bool = False,
    user=None,
) -> dict:
    """The record as plain data. public=True leaves out everything that is not for everyone;
    with_confidentiality_requests=False leaves out the proposals' secrecy claims (parts and
    reason) and their attachments' names. Content is never included without the claims."""
    with_confidentiality_requests = with_confidentiality_requests or with_submission_content
    record = {
        "version": "public" if public else "full",
        "generated_at": _when(timezone.now()),
        "generated_by": None if public else _person(user),
        "dialogue": {
            "id": dialogue.pk,
            "title": dialogue.title,
            "group": dialogue.group.name,
            "purpose": dialogue.purpose,
            "schedule": dialogue.schedule,
            "meeting_plan": dialogue.meeting_plan,
            "state": dialogue.state,
            "question_deadline": _when(dialogue.question_deadline),
            "submission_deadline": _when(dialogue.submission_deadline),
            "promised_answer_working_days": dialogue.answer_days,
            "opened_at": _when(dialogue.opened_at),
            "closed_at": _when(dialogue.closed_at),
        },
        "need_versions": _need_versions(dialogue),
        "answers": _answers(dialogue, public=public),
    }
    participations = dialogue.participations.select_related("organisation", "registered_by", "withdrawn_by")
    if public:
        record["participant_count"] = participations.filter(withdrawn_at__isnull=True).count()
        record["proposal_count"] = dialogue.submissions.count()
        record["meetings_held"] = dialogue.meeting_slots.held().count()
        record["participant_labels"] = _participant_labels(participations)
        return record
    record["participants"] = [
        {
            "organisation": participation.organisation.name,
            "organisation_number": participation.organisation.organisation_number,
            "registered_at": _when(participation.registered_at),
            "registered_by": _person(participation.registered_by),
            "withdrawn_at": _when(participation.withdrawn_at),
        }
        for participation in participations
    ]
    record["questions"] = _questions(dialogue)
    record["proposals"] = _submissions(
        dialogue, with_content=with_submission_content, with_confidentiality=with_confidentiality_requests
    )
    record["proposal_content_included"] = with_submission_content
    record["confidentiality_requests_included"] = with_confidentiality_requests
    record["meetings"] = _meetings(dialogue)
    record["conflict_of_interest_declarations"] = [
        {
            "person": _person(declaration.user),
            "has_conflict": declaration.has_conflict,
            "description": declaration.description,
            "declared_at": _when(declaration.declared_at),
            "cleared_by": _person(declaration.cleared_by),
            "reason": declaration.reason,
        }
        for declaration in dialogue.conflict_declarations.select_related("user", "cleared_by").order_by(
            "declared_at", "pk"
        )
    ]
    record["moderation_actions"] = _moderation_actions(dialogue)
    record["proposal_access_log"] = [
        {
            "person": _person(access.user),
            "action": access.action,
            "organisation": access.submission.organisation.name,
            "version": access.version.number if access.version_id else None,
            "attachment": access.attachment.original_name
            if access.attachment_id and with_confidentiality_requests
            else "",
            "at": _when(access.at),
        }
        for access in SubmissionAccess.objects.filter(submission__dialogue=dialogue)
        .select_related("user", "submission__organisation", "version", "attachment")
        .order_by("at", "pk")
    ]
    return record


# --- Files -------------------------------------------------------------------------------

COPY_CHUNK_BYTES = 1024 * 1024

CSV_TABLES = {
    "need_versions.csv": ("need_versions", ["version", "title", "published_to_dialogue_at"]),
    "answers.csv": (
        "answers",
        [
            "number",
            "kind",
            "question",
            "answer",
            "requirement",
            "amends",
            "published_at",
            "changes_summary",
            "withdrawn_at",
            "withdrawal_reason",
        ],
    ),
    "participants.csv": (
        "participants",
        ["organisation", "organisation_number", "registered_at", "registered_by", "withdrawn_at"],
    ),
    "questions.csv": (
        "questions",
        [
            "id",
            "organisation",
            "asked_by",
            "asked_at",
            "original_text",
            "requirement",
            "answer_due_at",
            "published_wording",
            "answer_number",
            "answered_at",
        ],
    ),
    "meetings.csv": (
        "meetings",
        [
            "starts_at",
            "ends_at",
            "location",
            "organisation",
            "booked_by",
            "booked_at",
            "minutes",
            "minutes_by",
            "minutes_at",
            "clarification_number",
        ],
    ),
    "conflict_of_interest_declarations.csv": (
        "conflict_of_interest_declarations",
        ["person", "has_conflict", "description", "declared_at", "cleared_by", "reason"],
    ),
    "moderation_actions.csv": (
        "moderation_actions",
        ["discussion", "action", "moderator", "reason", "message_id", "at"],
    ),
    "proposal_access_log.csv": (
        "proposal_access_log",
        ["person", "action", "organisation", "version", "attachment", "at"],
    ),
}


def _write_csv(archive: zipfile.ZipFile, name: str, rows: list[dict], columns: list[str]) -> None:
    # Supplier-written text goes into these tables: core.csv_export neutralises formulas.
    with io.TextIOWrapper(archive.open(name, "w"), encoding="utf-8", newline="") as stream:
        csv_export.write_table(stream, columns, ([row.get(key) for key in columns] for row in rows))


def _proposal_rows(record: dict) -> list[dict]:
    rows = []
    for proposal in record.get("proposals", []):
        for version in proposal["versions"]:
            rows.append(
                {
                    "organisation": proposal["organisation"],
                    "version": version["version"],
                    "submitted_at": version["submitted_at"],
                    "submitted_by": version["submitted_by"],
                    "trade_secret_claimed": version["trade_secret_claimed"],
                    "trade_secret_parts": version["trade_secret_parts"],
                    "trade_secret_reason": version["trade_secret_reason"],
                    "attachments": "; ".join(
                        f"{a['name'] or '-'}{' (trade secret)' if a['trade_secret'] else ''}"
                        for a in version["attachments"]
                    ),
                    "text": version.get("text", ""),
                }
            )
    return rows


def record_zip_file(record: dict, *, attachments=(), printable: str = ""):
    """record.json, one CSV per table, the printable page, and (when allowed) the proposals'
    files, as a ZIP in an anonymous temporary file, returned open and at its start (closing it
    deletes it). `attachments` are (path in the ZIP, SubmissionAttachment) pairs; each is
    copied from storage in chunks, never read whole."""
    # On an error the file is closed, and so deleted, when it goes out of scope.
    file = tempfile.TemporaryFile()
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with io.TextIOWrapper(archive.open("record.json", "w"), encoding="utf-8") as stream:
            json.dump(record, stream, ensure_ascii=False, indent=2)
        if printable:
            archive.writestr("record.html", printable)
        for name, (key, columns) in CSV_TABLES.items():
            if key in record:
                _write_csv(archive, name, record[key], columns)
        if "proposals" in record:
            columns = [
                "organisation",
                "version",
                "submitted_at",
                "submitted_by",
                "trade_secret_claimed",
                "trade_secret_parts",
                "trade_secret_reason",
                "attachments",
            ]
            if record.get("proposal_content_included"):
                columns.append("text")
            _write_csv(archive, "proposals.csv", _proposal_rows(record), columns)
        for path, attachment in attachments:
            with attachment.file.open("rb") as source, archive.open(path, "w") as target:
                shutil.copyfileobj(source, target, length=COPY_CHUNK_BYTES)
    file.seek(0)
    return file


def attachments_for_export(dialogue) -> list[tuple[str, SubmissionAttachment]]:
    attachments = SubmissionAttachment.objects.filter(version__submission__dialogue=dialogue).select_related(
        "version__submission__organisation", "version"
    )
    return [(_attachment_path(a.version.submission, a.version, a), a) for a in attachments.order_by("pk")]
