from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.access import require_audit_reader
from audit.details import describe, groups_with_confidential_details_for, target_name
from audit.forms import AuditFilterForm
from audit.models import Action, AuditEntry
from audit.services import record
from core import csv_export
from core.reauthentication import sensitive_action

PER_PAGE = 50


def _filtered(request):
    """The filter form and the entries it selects; no entries while it has errors."""
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound:
        return form, AuditEntry.objects.all()
    if not form.is_valid():
        return form, AuditEntry.objects.none()
    return form, form.filter(AuditEntry.objects.all())


def _query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def entry_list(request):
    require_audit_reader(request.user)
    form, entries = _filtered(request)
    page = Paginator(entries.order_by("-at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _described(list(page.object_list), request.user)
    return render(
        request,
        "audit/entry_list.html",
        {"form": form, "page": page, "query_string": _query_string(request)},
    )


def _described(entries, user):
    """Each entry with `shown_detail`: its detail in the reader's language, with the confidential
    part only in the groups where the reader may read it, and `shown_target`: what kind of object
    it is about, named in the reader's language (audit/details.py)."""
    readable = groups_with_confidential_details_for(user)
    for entry in entries:
        entry.shown_detail = describe(entry, readable=entry.group_id in readable)
        entry.shown_target = target_name(entry)
    return entries


def _csv_header() -> list[str]:
    return [
        _("Time"),
        _("Actor"),
        _("Actor id"),
        _("Action"),
        _("Action code"),
        _("Target type"),
        _("Target id"),
        _("Target"),
        _("Buyer group"),
        _("Group id"),
        _("Reason"),
        _("Detail"),
        _("IP address"),
    ]


def _csv_rows(entries, *, readable: set[int], language: str):
    # The rows are written while the response streams, perhaps in another thread: each is worded
    # in the language of the request that asked for them.
    labels = dict(Action.choices)
    for entry in entries.iterator(chunk_size=500):
        with translation.override(language):
            action_label = str(labels.get(entry.action, entry.action))
            detail = describe(entry, readable=entry.group_id in readable)
        yield [
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.actor_label,
            entry.actor_id,
            action_label,
            entry.action,
            entry.target_type,
            entry.target_id,
            entry.target_label,
            entry.group_label,
            entry.group_id,
            entry.reason,
            detail,
            entry.ip,
        ]


@sensitive_action
def entry_export(request):
    """The filtered entries as CSV, streamed; the export itself goes into the log first."""
    require_audit_reader(request.user)
    form, entries = _filtered(request)
    if form.is_bound and not form.is_valid():
        page = Paginator(entries, PER_PAGE).get_page(1)
        context = {"form": form, "page": page, "query_string": _query_string(request)}
        return render(request, "audit/entry_list.html", context, status=400)
    record(actor=request.user, action=Action.AUDIT_EXPORTED, target=None, detail=_query_string(request))
    return csv_export.table_response(
        request,
        filename=f"audit-log-{timezone.localdate():%Y-%m-%d}.csv",
        header=_csv_header(),
        rows=_csv_rows(
            entries.order_by("-at", "-pk"),
            readable=groups_with_confidential_details_for(request.user),
            language=translation.get_language(),
        ),
    )
