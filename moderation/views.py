"""Moderation pages (PRODUCT.md §2.7): report an item, the moderators' queue, hiding and
restoring with a confirmation step, suspensions, and the code of conduct. Every form works
without JavaScript; bad input is answered with a message and the form as it was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import require_facilitator
from accounts.models import Suspension, User
from accounts.standing import has_accepted_code_of_conduct
from discussions.access import get_message_for_reader, require_can_moderate, thread_access
from discussions.forms import ReasonForm
from discussions.models import Message
from discussions.pseudonyms import disguise_message, pseudonyms_for
from moderation.access import (
    can_see_content,
    can_suspend_site_wide,
    get_content_for_moderator,
    get_report_for_moderator,
    get_reportable,
    get_suspension_for_moderator,
    group_of,
    is_own_report,
    moderated_groups,
    reports_for_moderator,
    require_can_suspend,
    require_moderator,
    require_not_own_report,
    suspensions_for_moderator,
)
from moderation.console import waiting_for_facilitators
from moderation.forms import HideForm, NoteForm, QueueFilterForm, ReportForm, SuspensionForm
from moderation.models import Report
from moderation.services import (
    ModerationError,
    accept_code_of_conduct,
    author_of,
    dismiss_report,
    hide_content,
    lift_suspension,
    report_content,
    restore_content,
    suspend_user,
)

REPORTS_PER_PAGE = 25


def _posted(request):
    # An empty POST still binds the form, so it answers with its errors instead of nothing.
    return request.POST if request.method == "POST" else None


def _content_url(target) -> str:
    return target.get_absolute_url()


def _content_context(user, target) -> dict:
    return {
        "target": target,
        "kind": Report.field_for(target),
        "group": group_of(target),
        "author": author_of(target),
        "can_read": can_see_content(user, target),
    }


# --- Reporting ---------------------------------------------------------------------------


def report_create(request, kind, pk):
    target = get_reportable(request.user, kind, pk)
    form = ReportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            report_content(reporter=request.user, target=target, reason=form.cleaned_data["reason"])
        except ModerationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Your report is sent to the moderators."))
            return redirect(_content_url(target))
    if isinstance(target, Message):  # as the reporter sees it there: other suppliers by label
        disguise_message(target, pseudonyms_for(thread_access(request.user, target.thread)))
    context = {**_content_context(request.user, target), "form": form}
    return render(request, "moderation/report_form.html", context, status=400 if request.method == "POST" else 200)


# --- The queue ---------------------------------------------------------------------------


def report_queue(request):
    require_moderator(request.user)
    groups = list(moderated_groups(request.user).order_by("name"))
    data = request.GET.copy()
    data.setdefault("state", Report.State.OPEN)
    filters = QueueFilterForm(data, groups=groups)
    reports = reports_for_moderator(request.user).select_related(
        "group",
        "reporter",
        "decided_by",
        "message__thread__dialogue",
        "message__thread__supplier",
        "message__author",
        "document__created_by",
        "question__dialogue",
        "question__organisation",
        "submission__dialogue",
        "submission__organisation",
    )
    if filters.is_valid():
        if state := filters.cleaned_data["state"]:
            reports = reports.filter(state=state)
        if group := filters.cleaned_data["group"]:
            reports = reports.filter(group_id=group)
        if kind := filters.cleaned_data["kind"]:
            reports = reports.filter(kind=kind)
    else:
        reports = reports.none()
    page = Paginator(reports.order_by("-created_at", "-pk"), REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moderation/report_queue.html",
        {"page": page, "filters": filters, "query": query.urlencode()},
    )


def report_detail(request, pk):
    report = get_report_for_moderator(request.user, pk)
    target = report.target
    context = {
        **_content_context(request.user, target),
        "report": report,
        "other_reports": Report.objects.about(target).exclude(pk=report.pk).select_related("reporter"),
        "own_report": is_own_report(request.user, report),
        "dismiss_form": NoteForm(),
    }
    if report.kind == Report.Kind.MESSAGE:
        thread_messages = target.thread.messages.select_related("author")
        context["before"] = reversed(thread_messages.filter(pk__lt=target.pk).order_by("-pk")[:2])
        context["after"] = thread_messages.filter(pk__gt=target.pk).order_by("pk")[:2]
    return render(request, "moderation/report_detail.html", context)


@require_POST
def report_dismiss(request, pk):
    report = get_report_for_moderator(request.user, pk)
    require_not_own_report(request.user, report)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            dismiss_report(report=report, moderator=request.user, note=form.cleaned_data["note"])
        except ModerationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The report is dismissed."))
            return redirect("moderation:report-queue")
    else:
        messages.error(request, " ".join(form.errors.get("note", [])))
    return redirect(report)


# --- Hiding and restoring (with a confirmation step) ---------------------------------------


def _report_from(request, target):
    """The report the moderator acts on, when they came from one (?report=<id>)."""
    report_pk = request.POST.get("report") or request.GET.get("report") or ""
    if not report_pk.isdigit():
        return None
    return Report.objects.about(target).filter(pk=report_pk).first()


def content_hide(request, kind, pk):
    target = get_content_for_moderator(request.user, kind, pk)
    report = _report_from(request, target)
    if report is not None:
        require_not_own_report(request.user, report)
    form = HideForm(_posted(request))
    confirming = False
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirmed"]:
            confirming = True  # show what will happen, then hide on the second press
        else:
            try:
                hide_content(target=target, moderator=request.user, reason=form.cleaned_data["reason"], report=report)
            except ModerationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The content is removed. Everyone else sees your reason in its place."))
                return redirect(report or "moderation:report-queue")
    context = {
        **_content_context(request.user, target),
        "form": form,
        "report": report,
        "confirming": confirming,
        "action": "hide",
    }
    status = 400 if request.method == "POST" and not confirming else 200
    return render(request, "moderation/content_action.html", context, status=status)


def content_restore(request, kind, pk):
    target = get_content_for_moderator(request.user, kind, pk)
    form = NoteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            restore_content(target=target, moderator=request.user, reason=form.cleaned_data["note"])
        except ModerationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The content is shown again."))
            return redirect(_content_url(target))
    context = {**_content_context(request.user, target), "form": form, "action": "restore"}
    return render(request, "moderation/content_action.html", context, status=400 if request.method == "POST" else 200)


# --- Suspensions -------------------------------------------------------------------------


def user_suspend(request, user_pk):
    require_moderator(request.user)
    person = get_object_or_404(User, pk=user_pk, is_active=True)
    groups = list(moderated_groups(request.user).order_by("name"))
    form = SuspensionForm(_posted(request), groups=groups, site_wide=can_suspend_site_wide(request.user))
    if request.method == "GET" and (group_pk := request.GET.get("group", "")).isdigit():
        form.initial["place"] = int(group_pk)
    confirming = False
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            group = form.cleaned_data["place"]
            require_can_suspend(request.user, person, group)
            if not form.cleaned_data["confirmed"]:
                confirming, status = True, 200
            else:
                try:
                    suspend_user(
                        user=person,
                        moderator=request.user,
                        reason=form.cleaned_data["reason"],
                        group=group,
                        ends_at=form.ends_at(),
                    )
                except ModerationError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("%(person)s is suspended and has been told why.") % {"person": person})
                    return redirect("moderation:suspension-list")
    context = {"person": person, "form": form, "confirming": confirming}
    if confirming:
        context["place"] = form.cleaned_data["place"]
        context["ends_at"] = form.ends_at()
    return render(request, "moderation/user_suspend.html", context, status=status)


def suspension_list(request):
    require_moderator(request.user)
    suspensions = suspensions_for_moderator(request.user).in_force().select_related("user", "group", "created_by")
    page = Paginator(suspensions.order_by("-starts_at", "-pk"), REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "moderation/suspension_list.html", {"page": page, "form": NoteForm()})


@require_POST
def suspension_lift(request, pk):
    suspension = get_suspension_for_moderator(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            lift_suspension(suspension=suspension, moderator=request.user, reason=form.cleaned_data["note"])
        except ModerationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The suspension is lifted."))
    else:
        messages.error(request, " ".join(form.errors.get("note", [])))
    return redirect("moderation:suspension-list")


# --- Code of conduct ---------------------------------------------------------------------


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


@login_not_required
def code_of_conduct(request):
    """The code of conduct for everyone to read; signed-in people accept it here and see their
    own suspensions in force."""
    next_url = _safe_next(request)
    if request.method == "POST" and request.user.is_authenticated:
        if request.POST.get("accept") != "yes":
            messages.error(request, _("Tick the box to accept the code of conduct."))
        else:
            accept_code_of_conduct(user=request.user)
            messages.success(request, _("Thank you. You can now write."))
            return redirect(next_url or reverse("home"))
    own_suspensions = Suspension.objects.none()
    if request.user.is_authenticated:
        own_suspensions = Suspension.objects.in_force().filter(user=request.user).select_related("group")
    return render(
        request,
        "moderation/code_of_conduct.html",
        {
            "accepted": has_accepted_code_of_conduct(request.user),
            "next": next_url,
            "suspensions": own_suspensions,
        },
        status=400 if request.method == "POST" and request.user.is_authenticated else 200,
    )


# --- Facilitator console -------------------------------------------------------------------


def facilitator_console(request):
    """One page across all groups with what waits for a facilitator, oldest first."""
    require_facilitator(request.user)
    return render(request, "moderation/facilitator_console.html", {"entries": waiting_for_facilitators()})


def message_moderate(request, pk):
    """Hide a message with a reason, or show a hidden one again (coordinators, facilitators)."""
    message, access = get_message_for_reader(request.user, pk)
    require_can_moderate(access)
    form = ReasonForm(request.POST or None, required=not message.is_hidden)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:  # through moderation, so open reports about the message are resolved too
            if message.is_hidden:
                restore_content(target=message, moderator=request.user, reason=reason)
            else:
                hide_content(target=message, moderator=request.user, reason=reason)
        except ModerationError as error:
            form.add_error(None, str(error))
        else:
            if message.is_hidden:
                messages.success(request, _("The message is shown again."))
            else:
                messages.success(request, _("The message is hidden."))
            return redirect(message)
    context = {"thread": message.thread, "message": message, "form": form, "can_moderate": True}
    return render(
        request, "discussions/thread_message_moderate.html", context, status=400 if request.method == "POST" else 200
    )
