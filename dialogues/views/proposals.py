"""Proposals: a supplier sends or replaces its own; the group's member users list and open them,
download their attachments and read who opened what."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.moderated import require_not_removed
from core.rate_limits import refusal, within_limit
from core.streaming import file_download
from dialogues.access import (
    get_dialogue,
    get_dialogue_for_submission_log,
    get_submission,
    require_can_send_proposal,
    require_declaration_to_open,
    submissions_visible_to,
)
from dialogues.forms import SubmissionForm
from dialogues.models import SubmissionAccess, SubmissionAttachment
from dialogues.services.proposals import log_submission_access, submit_proposal
from dialogues.services.shared import DialogueRuleError


def submission_list(request, pk):
    """The group's member users see every proposal; a participating supplier sees its own and
    sends or replaces it here."""
    dialogue, access = get_dialogue(request.user, pk)
    if access.is_group_user:
        return _group_submission_list(request, dialogue, access)
    require_can_send_proposal(access)
    organisations = access.participant_organisations
    own = {s.organisation_id: s for s in dialogue.submissions.filter(organisation__in=[o.pk for o in organisations])}
    chosen = _chosen_organisation(request, organisations)
    submission = own.get(chosen.pk)
    previous = submission.latest_version if submission else None
    previous_attachments = list(previous.attachments.all()) if previous else []
    form = None
    if dialogue.accepts_submissions() or request.method == "POST":
        form = SubmissionForm(
            request.POST or None,
            request.FILES or None,
            organisations=[chosen],
            previous_attachments=previous_attachments,
            initial=(
                {"text": previous.text, "secret_parts": previous.secret_parts, "secret_reason": previous.secret_reason}
                if previous
                else {}
            ),
        )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        if request.FILES and not within_limit(user=request.user, action="upload"):
            form.full_clean()
            form.add_error(None, refusal("upload"))
            status = 429
        elif form.is_valid():
            try:
                version = submit_proposal(
                    dialogue=dialogue,
                    organisation=form.cleaned_data["organisation"],
                    user=request.user,
                    text=form.cleaned_data["text"],
                    secret_parts=form.cleaned_data["secret_parts"],
                    secret_reason=form.cleaned_data["secret_reason"],
                    uploads=form.uploads,
                    keep_attachments=form.kept,
                )
            except DialogueRuleError as error:
                form.add_error(None, str(error))
            else:
                if version.number == 1:
                    messages.success(request, _("Your proposal is sent. Only your organisation and the group see it."))
                else:
                    messages.success(
                        request,
                        _("Your proposal is replaced by version %(number)s. Earlier versions are kept.")
                        % {"number": version.number},
                    )
                return redirect(version.submission)
    return render(
        request,
        "dialogues/submission_supplier.html",
        {
            "dialogue": dialogue,
            "group": dialogue.group,
            "access": access,
            "form": form,
            "submission": submission,
            "organisation": chosen,
            "organisations": organisations,
            "versions": submission.versions.select_related("submitted_by") if submission else [],
            "now": timezone.now(),
        },
        status=status,
    )


def _chosen_organisation(request, organisations):
    wanted = request.POST.get("organisation") or request.GET.get("organisation")
    return next((o for o in organisations if str(o.pk) == wanted), organisations[0])


def _group_submission_list(request, dialogue, access):
    submissions = (
        submissions_visible_to(request.user)
        .filter(dialogue=dialogue)
        .select_related("organisation", "latest_version")
        .annotate(version_count=Count("versions"))
    )
    page = Paginator(submissions.order_by("organisation__name", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogues/submission_list.html",
        {"dialogue": dialogue, "group": dialogue.group, "access": access, "page": page},
    )


def submission_detail(request, pk, submission_pk):
    submission, access = get_submission(request.user, pk, submission_pk)
    require_declaration_to_open(access, submission)
    versions = list(submission.versions.select_related("submitted_by").prefetch_related("attachments"))
    wanted = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == wanted), versions[0] if versions else None)
    if version is None:
        raise Http404
    log_submission_access(
        submission=submission, user=request.user, action=SubmissionAccess.Action.VIEW, version=version
    )
    return render(
        request,
        "dialogues/submission_detail.html",
        {
            "dialogue": submission.dialogue,
            "group": submission.dialogue.group,
            "access": access,
            "submission": submission,
            "version": version,
            "versions": versions,
        },
    )


def attachment_download(request, pk, submission_pk, attachment_pk):
    submission, access = get_submission(request.user, pk, submission_pk)
    require_declaration_to_open(access, submission)
    require_not_removed(submission, can_moderate=access.can_manage)
    attachment = get_object_or_404(
        SubmissionAttachment.objects.select_related("version"), pk=attachment_pk, version__submission=submission
    )
    log_submission_access(
        submission=submission,
        user=request.user,
        action=SubmissionAccess.Action.DOWNLOAD,
        version=attachment.version,
        attachment=attachment,
    )
    file = attachment.file.open("rb")
    response = file_download(request, file, filename=attachment.original_name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def submission_log(request, pk):
    dialogue, access = get_dialogue_for_submission_log(request.user, pk)
    entries = SubmissionAccess.objects.filter(submission__dialogue=dialogue).select_related(
        "user", "submission__organisation", "version", "attachment"
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogues/submission_log.html",
        {"dialogue": dialogue, "group": dialogue.group, "access": access, "page": page},
    )
