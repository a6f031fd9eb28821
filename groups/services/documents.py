"""The document library: a document and its numbered versions."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from groups.models import BuyerGroup, Document, DocumentVersion


@transaction.atomic
def add_document(*, group, title, upload, content_type, user, note="") -> Document:
    document = Document.objects.create(group=group, title=title, created_by=user)
    document.latest_version = add_document_version(
        document=document, upload=upload, content_type=content_type, user=user, note=note
    )
    return document


@transaction.atomic
def add_document_version(*, document, upload, content_type, user, note="") -> DocumentVersion:
    document = Document.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
        note=note,
    )
    version.file.save(upload.name, upload, save=False)
    version.save()
    document.latest_version = version
    document.save(update_fields=["latest_version"])
    BuyerGroup.objects.filter(pk=document.group_id).update(last_activity_at=timezone.now())
    return version
