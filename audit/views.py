import csv
from itertools import islice

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.access import require_audit_reader
from audit.forms import AuditFilterForm
from audit.models import Action, AuditEntry
from audit.services import record

PER_PAGE = 50

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    return render(
        request,
        "audit/entry_list.html",
        {"form": form, "page": page, "query_string": _query_string(request)},
    )


def _cell(value) -> str:
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


class _Echo:
    """csv.writer writes into this and gets the line back, so rows stream one by one."""

    def write(self, value):
        return value


def _csv_rows(entries):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read å, ä and ö as UTF-8
    yield writer.writerow(
        [
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
    )
    labels = dict(Action.choices)
    for entry in entries.iterator(chunk_size=500):
        yield writer.writerow(
            [
                _cell(timezone.localtime(entry.at).isoformat(timespec="seconds")),
                _cell(entry.actor_label),
                _cell(entry.actor_id),
                _cell(labels.get(entry.action, entry.action)),
                _cell(entry.action),
                _cell(entry.target_type),
                _cell(entry.target_id),
                _cell(entry.target_label),
                _cell(entry.group_label),
                _cell(entry.group_id),
                _cell(entry.reason),
                _cell(entry.detail),
                _cell(entry.ip),
            ]
        )


async def _in_chunks(rows, lines=500):
    """The same rows for an ASGI server (daphne), which would otherwise read a synchronous
    iterator into memory whole: each chunk is read in Django's thread for synchronous code."""
    take = sync_to_async(lambda: "".join(islice(rows, lines)))
    while chunk := await take():
        yield chunk


def entry_export(request):
    """The filtered entries as CSV, streamed; the export itself goes into the log first."""
    require_audit_reader(request.user)
    form, entries = _filtered(request)
    if form.is_bound and not form.is_valid():
        page = Paginator(entries, PER_PAGE).get_page(1)
        context = {"form": form, "page": page, "query_string": _query_string(request)}
        return render(request, "audit/entry_list.html", context, status=400)
    record(actor=request.user, action=Action.AUDIT_EXPORTED, target=None, detail=_query_string(request))
    rows = _csv_rows(entries.order_by("-at", "-pk"))
    if isinstance(request, ASGIRequest):
        rows = _in_chunks(rows)
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
