"""The person's part in buyer groups, for their personal-data export (core/personal_data.py).

Membership is per organisation: the groups the person's organisations belong to are theirs to
know; the other member organisations and their people are not in the export."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.personal_data import register_section
from groups.models import (
    BuyerGroup,
    Coordinator,
    Document,
    DocumentVersion,
    Endorsement,
    EndorsementChange,
    Membership,
    NeedComment,
    NeedVersion,
    ProcedureChoice,
    ProcedureChoiceChange,
    ThemeFollow,
)


def _themes_followed(user):
    for follow in ThemeFollow.objects.filter(user=user).order_by("theme"):
        yield {"theme": follow.theme, "name": follow.get_theme_display()}


def _buyer_groups(user):
    for group in BuyerGroup.objects.filter(created_by=user).order_by("created_at"):
        yield {"group": group.name, "relation": "created", "organisation": None, "since": group.created_at}
    for coordinator in Coordinator.objects.filter(user=user).select_related("group").order_by("appointed_at"):
        yield {
            "group": coordinator.group.name,
            "relation": "coordinator",
            "organisation": None,
            "since": coordinator.appointed_at,
        }
    memberships = Membership.objects.filter(organisation__staff__user=user).select_related("group", "organisation")
    for membership in memberships.order_by("created_at", "pk"):
        yield {
            "group": membership.group.name,
            "relation": "organisation_membership",
            "organisation": membership.organisation.name,
            "role": membership.get_role_display(),
            "status": membership.get_status_display(),
            "since": membership.created_at,
        }


def _membership_requests(user):
    memberships = Membership.objects.filter(created_by=user).select_related("group", "organisation")
    for membership in memberships.order_by("created_at", "pk"):
        yield {
            "group": membership.group.name,
            "organisation": membership.organisation.name,
            "role": membership.get_role_display(),
            "status": membership.get_status_display(),
            "motivation": membership.motivation,
            "created_at": membership.created_at,
            "decided_at": membership.decided_at,
        }


def _documents(user):
    versions = DocumentVersion.objects.filter(Q(uploaded_by=user) | Q(document__created_by=user, number=1))
    for version in versions.select_related("document__group").order_by("uploaded_at", "pk"):
        yield {
            "group": version.document.group.name,
            "document": version.document.title,
            "version": version.number,
            "uploaded_by_you": version.uploaded_by_id == user.pk,
            "file_name": version.original_name,
            "size_bytes": version.size,
            "content_type": version.content_type,
            "note": version.note,
            "uploaded_at": version.uploaded_at,
        }


def _need_versions(user):
    versions = NeedVersion.objects.filter(author=user).select_related("need__group").order_by("created_at", "pk")
    for version in versions:
        yield {
            "group": version.need.group.name,
            "version": version.number,
            "change_note": version.change_note,
            "created_at": version.created_at,
            **{field: getattr(version, field) for field in NeedVersion.TEXT_FIELDS},
            "requirements": version.requirements,
        }


def _need_comments(user):
    comments = NeedComment.objects.filter(author=user).select_related("need__group", "need__current_version")
    for comment in comments.order_by("created_at", "pk"):
        yield {
            "group": comment.need.group.name,
            "need": str(comment.need),
            "requirement": comment.requirement_number,
            "comment": comment.body,
            "created_at": comment.created_at,
        }


def _endorsements(user):
    # Every save is a change row; the endorsement itself holds the latest one.
    changes = EndorsementChange.objects.filter(changed_by=user).select_related(
        "endorsement__organisation", "endorsement__need__group", "endorsement__need__current_version"
    )
    for change in changes.order_by("changed_at", "pk"):
        yield {
            "group": change.endorsement.need.group.name,
            "need": str(change.endorsement.need),
            "organisation": change.endorsement.organisation.name,
            "saved": change.snapshot,
            "changed_at": change.changed_at,
        }


def _procedure_choices(user):
    changes = ProcedureChoiceChange.objects.filter(changed_by=user).select_related("choice__group")
    for change in changes.order_by("changed_at", "pk"):
        yield {"group": change.choice.group.name, "saved": change.snapshot, "changed_at": change.changed_at}


def register_personal_data() -> None:
    register_section(
        "themes_followed", description=_("The themes you follow."), models=[ThemeFollow], rows=_themes_followed
    )
    register_section(
        "buyer_groups",
        description=_("The buyer groups you created or coordinate, and those your organisations belong to."),
        models=[BuyerGroup, Coordinator],
        rows=_buyer_groups,
    )
    register_section(
        "membership_requests",
        description=_("Requests to join a buyer group that you made for your organisation, with your motivation."),
        models=[Membership],
        rows=_membership_requests,
    )
    register_section(
        "documents",
        description=_("Documents you added to a group: file names and sizes (the files themselves are not included)."),
        models=[Document, DocumentVersion],
        rows=_documents,
    )
    register_section(
        "need_statements",
        description=_("Versions of need statements that you saved, with their texts."),
        models=[NeedVersion],
        rows=_need_versions,
    )
    register_section(
        "need_comments", description=_("Your comments on need statements."), models=[NeedComment], rows=_need_comments
    )
    register_section(
        "endorsements",
        description=_("Commitments and volumes you saved for your organisation on a need statement."),
        models=[Endorsement, EndorsementChange],
        rows=_endorsements,
    )
    register_section(
        "procedure_choices",
        description=_("Procedure choices you saved for a group."),
        models=[ProcedureChoice, ProcedureChoiceChange],
        rows=_procedure_choices,
    )
