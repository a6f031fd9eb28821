"""The group's document library: documents, their versions and downloads."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.moderated import require_not_removed
from core.rate_limits import refusal, within_limit
from core.streaming import file_download
from groups.access import get_group_for_workspace, require_can_edit
from groups.forms import DocumentForm, DocumentVersionForm
from groups.models import DocumentVersion
from groups.services.documents import add_document, add_document_version


def document_list(request, slug):
    group, access = get_group_for_workspace(request.user, slug)
    documents = group.documents.select_related("latest_version", "latest_version__uploaded_by").annotate(
        version_count=Count("versions")
    )
    form = DocumentForm(request.POST or None, request.FILES or None) if access.can_edit else None
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        require_can_edit(access)
        if request.FILES and not within_limit(user=request.user, action="upload"):
            form.full_clean()
            form.add_error(None, refusal("upload"))
            status = 429
        elif form.is_valid():
            add_document(
                group=group,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                content_type=form.content_type,
                user=request.user,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The document is uploaded."))
            return redirect("groups:document-list", slug=group.slug)
    page = Paginator(documents.order_by("title"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "groups/document_list.html",
        {"group": group, "access": access, "page": page, "form": form},
        status=status,
    )


def document_detail(request, slug, document_pk):
    group, access = get_group_for_workspace(request.user, slug)
    document = get_object_or_404(group.documents, pk=document_pk)
    versions = document.versions.select_related("uploaded_by")
    form = DocumentVersionForm(request.POST or None, request.FILES or None) if access.can_edit else None
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        require_can_edit(access)
        if request.FILES and not within_limit(user=request.user, action="upload"):
            form.full_clean()
            form.add_error(None, refusal("upload"))
            status = 429
        elif form.is_valid():
            add_document_version(
                document=document,
                upload=form.cleaned_data["file"],
                content_type=form.content_type,
                user=request.user,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("A new version is uploaded."))
            return redirect("groups:document-detail", slug=group.slug, document_pk=document.pk)
    return render(
        request,
        "groups/document_detail.html",
        {"group": group, "access": access, "document": document, "versions": versions, "form": form},
        status=status,
    )


def document_download(request, slug, document_pk, version_pk):
    group, access = get_group_for_workspace(request.user, slug)
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document"),
        pk=version_pk,
        document__pk=document_pk,
        document__group=group,
    )
    require_not_removed(version.document, can_moderate=access.can_manage)
    file = version.file.open("rb")
    response = file_download(request, file, filename=version.original_name, content_type=version.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
