"""The person's part in market dialogues, for their personal-data export (core/personal_data.py).

A proposal's text and attachments belong to the supplier organisation; the person gets the
versions they submitted themselves, with the attachments' names and sizes (not the files)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.personal_data import register_section
from dialogues.models import (
    Answer,
    ConflictDeclaration,
    Dialogue,
    MeetingSlot,
    Participation,
    Question,
    Submission,
    SubmissionAccess,
    SubmissionVersion,
)


def _dialogues(user):
    for dialogue in Dialogue.objects.filter(created_by=user).select_related("group").order_by("created_at", "pk"):
        yield {
            "dialogue": dialogue.title,
            "group": dialogue.group.name,
            "relation": "created",
            "organisation": None,
            "at": dialogue.created_at,
        }
    participations = Participation.objects.filter(Q(registered_by=user) | Q(withdrawn_by=user)).select_related(
        "dialogue__group", "organisation"
    )
    for participation in participations.order_by("registered_at", "pk"):
        yield {
            "dialogue": participation.dialogue.title,
            "group": participation.dialogue.group.name,
            "relation": "registered" if participation.registered_by_id == user.pk else "withdrew",
            "organisation": participation.organisation.name,
            "at": participation.registered_at,
            "withdrawn_at": participation.withdrawn_at,
        }


def _questions(user):
    questions = Question.objects.filter(asked_by=user).select_related("dialogue", "organisation", "answer")
    for question in questions.order_by("created_at", "pk"):
        yield {
            "dialogue": question.dialogue.title,
            "organisation": question.organisation.name,
            "question": question.text,
            "requirement": question.requirement_number,
            "created_at": question.created_at,
            "answer_due_at": question.answer_due_at,
            "answered_in": question.answer.number if question.is_answered else None,
            "hidden_at": question.hidden_at,
            "hidden_reason": question.hidden_reason,
        }


def _answers(user):
    mine = Q(created_by=user) | Q(published_by=user) | Q(withdrawn_by=user)
    for answer in Answer.objects.filter(mine).select_related("dialogue").order_by("created_at", "pk"):
        yield {
            "dialogue": answer.dialogue.title,
            "number": answer.number,
            "kind": answer.get_kind_display(),
            "written_by_you": answer.created_by_id == user.pk,
            "published_by_you": answer.published_by_id == user.pk,
            "withdrawn_by_you": answer.withdrawn_by_id == user.pk,
            "question_as_published": answer.question_text,
            "text": answer.body,
            "created_at": answer.created_at,
            "published_at": answer.published_at,
            "withdrawn_at": answer.withdrawn_at,
            "withdrawal_reason": answer.withdrawal_reason,
        }


def _conflict_declarations(user):
    # A clearance is another person's act on the person's declaration: its reason is kept, not its author.
    declarations = ConflictDeclaration.objects.filter(user=user).select_related("dialogue")
    for declaration in declarations.order_by("declared_at", "pk"):
        yield {
            "dialogue": declaration.dialogue.title,
            "state": declaration.state.label,
            "description": declaration.description,
            "reason": declaration.reason,
            "declared_at": declaration.declared_at,
        }


def _meetings(user):
    slots = MeetingSlot.objects.filter(Q(booked_by=user) | Q(minutes_by=user)).select_related(
        "dialogue", "organisation"
    )
    for slot in slots.order_by("starts_at", "pk"):
        wrote_minutes = slot.minutes_by_id == user.pk
        yield {
            "dialogue": slot.dialogue.title,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "location": slot.location,
            "booked_by_you": slot.booked_by_id == user.pk,
            "booked_at": slot.booked_at if slot.booked_by_id == user.pk else None,
            "minutes": slot.minutes if wrote_minutes else None,
            "minutes_at": slot.minutes_at if wrote_minutes else None,
        }


def _proposals(user):
    versions = (
        SubmissionVersion.objects.filter(submitted_by=user)
        .select_related("submission__dialogue", "submission__organisation")
        .prefetch_related("attachments")
    )
    for version in versions.order_by("submitted_at", "pk"):
        yield {
            "dialogue": version.submission.dialogue.title,
            "organisation": version.submission.organisation.name,
            "version": version.number,
            "text": version.text,
            "trade_secret_parts": version.secret_parts,
            "trade_secret_reason": version.secret_reason,
            "submitted_at": version.submitted_at,
            "attachments": [
                {
                    "file_name": attachment.original_name,
                    "size_bytes": attachment.size,
                    "content_type": attachment.content_type,
                    "trade_secret": attachment.is_trade_secret,
                }
                for attachment in version.attachments.all()
            ],
        }


def _proposal_access_log(user):
    accesses = SubmissionAccess.objects.filter(user=user).select_related(
        "submission__dialogue", "submission__organisation", "version", "attachment"
    )
    for access in accesses.order_by("at", "pk").iterator(chunk_size=500):
        yield {
            "at": access.at,
            "action": access.get_action_display(),
            "dialogue": access.submission.dialogue.title,
            "proposal_of": access.submission.organisation.name,
            "version": access.version.number if access.version_id else None,
            "attachment": access.attachment.original_name if access.attachment_id else None,
        }


def register_personal_data() -> None:
    register_section(
        "dialogues",
        description=_("Market dialogues you created, and those you registered your organisation for."),
        models=[Dialogue, Participation],
        rows=_dialogues,
    )
    register_section(
        "questions", description=_("Questions you asked in market dialogues."), models=[Question], rows=_questions
    )
    register_section(
        "answers",
        description=_("Answers and clarifications you wrote, published or withdrew."),
        models=[Answer],
        rows=_answers,
    )
    register_section(
        "conflict_declarations",
        description=_("Your declarations of conflicts of interest."),
        models=[ConflictDeclaration],
        rows=_conflict_declarations,
    )
    register_section(
        "meetings",
        description=_("Dialogue meetings you booked, and minutes you wrote."),
        models=[MeetingSlot],
        rows=_meetings,
    )
    register_section(
        "proposals",
        description=_(
            "Proposals you submitted, with their texts and the names and sizes of their attachments "
            "(the files themselves are not included)."
        ),
        models=[Submission, SubmissionVersion],
        rows=_proposals,
    )
    register_section(
        "proposal_access_log",
        description=_("The access log's entries of the proposals you opened, downloaded or exported."),
        models=[SubmissionAccess],
        rows=_proposal_access_log,
    )
