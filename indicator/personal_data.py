"""The self-assessments the person answered, for their personal-data export (core/personal_data.py)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import register_section
from indicator.models import Assessment, AssessmentChange, Delegation, OutreachMessage, localised


def _assessments(user):
    # Each save is kept with the answers as saved: the person's own answers, revision by revision.
    changes = AssessmentChange.objects.filter(changed_by=user).select_related("assessment__organisation")
    for change in changes.order_by("changed_at", "pk"):
        yield {
            "organisation": change.assessment.organisation.name,
            "year": change.assessment.year,
            "revision": change.revision,
            "changed_at": change.changed_at,
            "answers": [
                {
                    "position": answer.get("position"),
                    "statement": localised(answer.get("text_sv", ""), answer.get("text_en", "")),
                    "rating": answer.get("rating"),
                    "comment": answer.get("comment"),
                }
                for answer in change.answers
            ],
        }


def _delegations(user):
    for delegation in Delegation.objects.filter(user=user).select_related("organisation"):
        yield {"organisation": delegation.organisation.name, "granted_at": delegation.granted_at}


def _outreach(user):
    for letter in OutreachMessage.objects.filter(sender=user).order_by("sent_at", "pk"):
        yield {"sent_or_received": "sent", "sent_at": letter.sent_at, "subject": letter.subject, "body": letter.body}
    received = OutreachMessage.objects.filter(recipients=user).select_related("sender").order_by("sent_at", "pk")
    for letter in received:
        yield {
            "sent_or_received": "received",
            "sent_at": letter.sent_at,
            "sender": str(letter.sender) if letter.sender else "",
            "subject": letter.subject,
            "body": letter.body,
        }


def register_personal_data() -> None:
    register_section(
        "indicator_answers",
        description=_("The innovation self-assessments you saved for your organisation, with your answers."),
        models=[Assessment, AssessmentChange],
        rows=_assessments,
    )
    register_section(
        "indicator_delegations",
        description=_("Organisations whose self-assessment you were asked to answer."),
        models=[Delegation],
        rows=_delegations,
    )
    register_section(
        "outreach_messages",
        description=_(
            "Messages from the facilitators at Upphandlingsmyndigheten to many people that you sent or received."
        ),
        models=[OutreachMessage],
        rows=_outreach,
    )
