"""The dialogue's record: the printable record and its download for coordinators and
facilitators, and the public record everyone reads once it is published."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.streaming import file_download
from dialogues.access import get_dialogue_for_group, get_dialogue_for_public_record
from dialogues.deidentify import identifying_matches
from dialogues.forms import PublishForm
from dialogues.record import attachments_for_export, build_record, record_zip_file
from dialogues.services.record import log_record_export, publish_public_record, record_texts
from dialogues.services.shared import IdentifyingText


def _export_context(request, pk):
    dialogue, access = get_dialogue_for_group(request.user, pk, manage=True)
    with_content = access.can_open_submissions
    record = build_record(
        dialogue,
        public=False,
        with_submission_content=with_content,
        with_confidentiality_requests=access.can_read_confidentiality_requests,
        user=request.user,
    )
    log_record_export(dialogue=dialogue, user=request.user, with_submission_content=with_content)
    return dialogue, access, record


def record_page(request, pk):
    """The printable record for coordinators and facilitators."""
    dialogue, access, record = _export_context(request, pk)
    return render(
        request,
        "dialogues/record.html",
        {"dialogue": dialogue, "group": dialogue.group, "access": access, "record": record},
    )


def record_download(request, pk):
    dialogue, access, record = _export_context(request, pk)
    attachments = attachments_for_export(dialogue) if record["proposal_content_included"] else []
    printable = render_to_string("dialogues/record_print.html", {"dialogue": dialogue, "record": record}, request)
    archive = record_zip_file(record, attachments=attachments, printable=printable)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"dialogue-{dialogue.pk}-record-{stamp}.zip"
    return file_download(request, archive, filename=filename, content_type="application/zip")


@login_not_required
def public_record(request, pk):
    """The public version: everyone sees it once published; coordinators and facilitators see
    a preview and publish (or update) it."""
    dialogue, access = get_dialogue_for_public_record(request.user, pk, publishing=request.method == "POST")
    form, status, matches = None, 200, []
    if request.method == "POST":
        form, status = PublishForm(request.POST), 400
        if form.is_valid():
            try:
                publish_public_record(
                    dialogue=dialogue,
                    user=request.user,
                    public_record=build_record(dialogue, public=True),
                    override_reason=form.cleaned_data["override_reason"],
                )
            except IdentifyingText as held_back:
                status, matches = 409, held_back.matches
                form.add_error("override_reason", _("Reword the entries, or say why it may be published anyway."))
            else:
                messages.success(request, _("The public record is published as the dialogue's summary."))
                return redirect("dialogues:public-record", pk=dialogue.pk)
    preview = build_record(dialogue, public=True) if access.can_manage else None
    if preview is not None and form is None:
        form = PublishForm()
        matches = identifying_matches(dialogue, *record_texts(preview))
    return render(
        request,
        "dialogues/public_record.html",
        {
            "dialogue": dialogue,
            "group": dialogue.group,
            "access": access,
            "published": dialogue.public_record,
            "preview": preview,
            "form": form,
            "identity_matches": matches,
        },
        status=status,
    )
