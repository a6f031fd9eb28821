"""The group itself: the public directory, starting a group, the group's page (the workspace for
its members, the public summary with the request to join for everyone else), editing, its
history, the stage plan and the procedure choice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from audit.details import describe
from audit.models import Action, AuditEntry
from core.fragments import cached_fragments, fragment_key, per_language_html
from core.kept_pages import kept_page
from groups.access import (
    can_create_group,
    get_group,
    get_group_for_workspace,
    group_access,
    require_can_assign_contacts,
    require_can_create_group,
    require_can_manage,
    require_can_reopen,
    require_can_request_membership,
)
from groups.forms import (
    ONGOING,
    ContactsForm,
    GroupEditForm,
    GroupEndingForm,
    GroupFilterForm,
    GroupForm,
    JoinRequestForm,
    ProcedureChoiceForm,
    ReasonForm,
    StageEntryForm,
)
from groups.models import STAGE_ORDER, BuyerGroup, Membership, Procedure
from groups.page_sections import render_sections
from groups.services.group import (
    create_group,
    end_group,
    reopen_group,
    save_procedure_choice,
    set_contacts,
    set_current_stage,
)
from groups.services.memberships import public_member_authorities, request_membership
from groups.services.shared import GroupRuleError

GROUPS_PER_PAGE = 12


def _with_member_counts(queryset):
    # A subquery, not a join and GROUP BY: PostgreSQL counts for the page's rows only, after the
    # sort and limit, and the paginator's count stays a plain count of the groups.
    members = Membership.objects.filter(
        group=OuterRef("pk"), status=Membership.Status.ACTIVE, role=Membership.Role.MEMBER
    ).order_by()
    return queryset.annotate(
        member_count=Coalesce(
            Subquery(members.values("group").annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
        )
    )


@login_not_required
@kept_page
def group_list(request):
    form = GroupFilterForm(request.GET or None)
    groups = BuyerGroup.objects.all()
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            groups = groups.filter(Q(name__icontains=query) | Q(summary__icontains=query))
        if theme := form.cleaned_data["theme"]:
            groups = groups.filter(theme=theme)
        if stage := form.cleaned_data["stage"]:
            groups = groups.filter(current_stage=stage)
        if form.cleaned_data["open"]:
            groups = groups.filter(is_open=True)
        if outcome := form.cleaned_data["outcome"]:
            groups = groups.filter(outcome="" if outcome == ONGOING else outcome)
    page = Paginator(_with_member_counts(groups).order_by("name"), GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    # A card is the same for everyone: kept per group, version (updated_at moves on every change
    # the card shows, groups/freshness.py) and language; the empty filter form per language.
    cards = cached_fragments(
        page.object_list,
        key=lambda group: fragment_key("group-card", group.pk, group.updated_at.timestamp(), group.member_count),
        render=lambda group: render_to_string("groups/_directory_card.html", {"group": group}),
    )
    form_html = form.as_div() if form.is_bound else per_language_html("group-filter-form", form.as_div)
    return render(
        request,
        "groups/group_list.html",
        {
            "form": form,
            "form_html": form_html,
            "page": page,
            "cards": cards,
            "query_string": query_string.urlencode(),
            "can_create": can_create_group(request.user),
        },
    )


def group_create(request):
    require_can_create_group(request.user)
    organisations = _organisations_for_new_group(request.user)
    form = GroupForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = create_group(
            creator=request.user,
            organisation=data["organisation"],
            name=data["name"],
            theme=data["theme"],
            summary=data["summary"],
            challenge=data["challenge"],
            is_open=data["is_open"],
            content_language=data["content_language"],
        )
        messages.success(request, _("The group %(group)s is created. You are its coordinator.") % {"group": group})
        return redirect(group)
    return render(request, "groups/group_form.html", {"form": form})


def _organisations_for_new_group(user):
    return Organisation.objects.verified().filter(
        staff__user=user, kind__in=[*Organisation.AUTHORITY_KINDS, Organisation.Kind.FACILITATING_AGENCY]
    )


def _summary_context(request, group, access, join_form=None) -> dict:
    """What everyone sees of a group; signed-in outsiders also their pending requests and the join form."""
    context = {
        "group": group,
        "access": access,
        # Counted and listed only where the page shows them (the public summary), not in the workspace.
        "member_count": group.memberships.active().filter(role=Membership.Role.MEMBER).count,
        "member_authorities": SimpleLazyObject(lambda: public_member_authorities(group)),
        "published_needs": group.needs.filter(published_version__isnull=False)
        .select_related("published_version")
        .order_by("-published_at"),
        "open_dialogues": group.dialogues.filter(state="open").order_by("-opened_at"),
        "contacts": list(group.contacts.filter(is_active=True, deleted_at__isnull=True).order_by("name", "email")),
    }
    if access.is_authenticated and not access.can_see_workspace:
        context["pending_memberships"] = (
            group.memberships.pending().filter(organisation__staff__user=request.user).select_related("organisation")
        )
        if join_form is None and access.joinable_organisations and group.is_open and not group.is_ended:
            join_form = JoinRequestForm(organisations=access.joinable_organisations)
        context["join_form"] = join_form
    context["page_sections"] = render_sections(request, group, access)
    return context


@login_not_required
@kept_page
def group_detail(request, slug):
    """One address: the workspace for members, observers and facilitators; the public summary
    for everyone else."""
    # The procedure choice is read with the group: the workspace shows it.
    group = get_group(slug, related=["procedure_choice__lead_organisation"])
    access = group_access(request.user, group)
    context = _summary_context(request, group, access)
    if not access.can_see_workspace:
        return render(request, "groups/group_summary.html", context)
    context.update(
        {
            "needs": group.needs.select_related("current_version", "published_version").order_by("-created_at"),
            "procedure": getattr(group, "procedure_choice", None),
            "pending_count": group.memberships.pending().count() if access.can_manage else 0,
            "recent_documents": group.documents.select_related("latest_version").order_by("-created_at")[:5],
            "dialogues": group.dialogues.order_by("-created_at")[:5],
        }
    )
    return render(request, "groups/group_workspace.html", context)


def group_contacts(request, slug):
    """Facilitators name the group's contact persons at Upphandlingsmyndigheten."""
    group, access = get_group_for_workspace(request.user, slug)
    require_can_assign_contacts(access)
    # Unticking every box posts no field at all: a POST is a choice even when it is empty.
    data = request.POST if request.method == "POST" else None
    form = ContactsForm(data, initial={"contacts": list(group.contacts.all())})
    if request.method == "POST" and form.is_valid():
        set_contacts(group=group, user=request.user, contacts=list(form.cleaned_data["contacts"]))
        messages.success(request, _("The contact persons are saved."))
        return redirect(group)
    context = {"group": group, "access": access, "form": form}
    return render(request, "groups/group_contacts.html", context, status=400 if form.errors else 200)


def group_edit(request, slug):
    group, access = get_group_for_workspace(request.user, slug, manage=True)
    form = GroupEditForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The group is saved."))
        return redirect(group)
    return render(request, "groups/group_edit.html", {"group": group, "access": access, "form": form})


@require_POST
def membership_request(request, slug):
    group = get_group(slug)
    access = group_access(request.user, group)
    require_can_request_membership(request.user, access)
    form = JoinRequestForm(request.POST, organisations=access.joinable_organisations)
    if form.is_valid():
        try:
            request_membership(
                group=group,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                motivation=form.cleaned_data["motivation"],
                role=form.cleaned_data["role"],
            )
        except GroupRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request was sent to the group's coordinators."))
            return redirect(group)
    context = _summary_context(request, group, access, join_form=form)
    return render(request, "groups/group_summary.html", context, status=400)


# The group's history is its part of the audit log, limited to the changes of membership, roles,
# stage and dialogue that the history has always shown. The rest of the group's entries (reports,
# suspensions, who opened which proposal, conflicts of interest) stay with the facilitators'
# audit log and the dialogue's record, where their own rules decide who reads them.
HISTORY_ACTIONS = [
    Action.GROUP_CREATED,
    Action.GROUP_STAGE_CHANGED,
    Action.GROUP_ENDED,
    Action.GROUP_REOPENED,
    Action.MEMBERSHIP_REQUESTED,
    Action.MEMBERSHIP_APPROVED,
    Action.MEMBERSHIP_DECLINED,
    Action.MEMBERSHIP_REMOVED,
    Action.MEMBERSHIP_LEFT,
    Action.INVITATION_SENT,
    Action.INVITATION_ACCEPTED,
    Action.INVITATION_DECLINED,
    Action.COORDINATOR_APPOINTED,
    Action.COORDINATOR_REMOVED,
    Action.DIALOGUE_STATE,
    Action.RECORD_PUBLISHED,
]


def group_history(request, slug):
    group, access = get_group_for_workspace(request.user, slug, manage=True)
    entries = AuditEntry.objects.filter(group_id=group.pk, action__in=HISTORY_ACTIONS).order_by("-at", "-pk")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for entry in page.object_list:  # the log keeps a role or a stage by its code; the page names it
        entry.shown_detail = describe(entry)
    return render(request, "groups/group_history.html", {"group": group, "access": access, "page": page})


def stage_plan(request, slug):
    group, access = get_group_for_workspace(request.user, slug)
    entries = list(group.stage_plan.all())
    entries.sort(key=lambda entry: STAGE_ORDER.index(entry.stage))
    forms = [StageEntryForm(request.POST or None, instance=entry, prefix=entry.stage) for entry in entries]
    if request.method == "POST":
        require_can_manage(access)
        new_stage = request.POST.get("current_stage")
        if all(form.is_valid() for form in forms) and new_stage in STAGE_ORDER:
            try:
                with transaction.atomic():  # the dates and the stage are saved together or not at all
                    for form in forms:
                        if form.has_changed():
                            entry = form.save(commit=False)
                            was_in_calendars = form.initial.get("planned_start") or form.initial.get("planned_end")
                            if was_in_calendars and {"planned_start", "planned_end"} & set(form.changed_data):
                                entry.calendar_sequence += 1  # calendars take it as an update
                            entry.save()
                    if new_stage != group.current_stage:
                        set_current_stage(group=group, stage=new_stage, user=request.user)
            except GroupRuleError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The stage plan is saved."))
                return redirect("groups:stage-plan", slug=group.slug)
        else:
            messages.error(request, _("The stage plan was not saved. Correct the marked fields."))
    return render(
        request,
        "groups/stage_plan.html",
        {"group": group, "access": access, "rows": list(zip(entries, forms, strict=True))},
    )


def procedure_edit(request, slug):
    group, access = get_group_for_workspace(request.user, slug, manage=True)
    choice = group.procedure_choice
    form = ProcedureChoiceForm(request.POST or None, instance=choice, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            save_procedure_choice(choice=form.save(commit=False), user=request.user)
        except GroupRuleError as error:
            form.add_error("status", str(error))
        else:
            messages.success(request, _("The procedure choice is saved."))
            return redirect(group)
    changes = choice.changes.select_related("changed_by")[:20]
    return render(
        request, "groups/procedure_form.html", {"group": group, "access": access, "form": form, "changes": changes}
    )


def group_end(request, slug):
    """End the group in an outcome: the form, then a confirmation of the same data, then the ending."""
    group, access = get_group_for_workspace(request.user, slug, manage=True)
    if group.is_ended:
        messages.info(request, _("The group has already ended."))
        return redirect(group)
    form = GroupEndingForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    confirming = False
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("confirmed")
        if decision == "yes":
            try:
                end_group(group=group, user=request.user, **form.ending())
            except GroupRuleError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The group has ended."))
                return redirect(group)
        elif decision != "edit":  # "edit" goes back to the filled-in form
            confirming = True
    context = {
        "group": group,
        "access": access,
        "form": form,
        "confirming": confirming,
        "ending_label": BuyerGroup.Outcome(form.cleaned_data["outcome"]).label if confirming else "",
        "procedure_label": Procedure(form.cleaned_data["procedure"]).label
        if confirming and form.cleaned_data.get("procedure")
        else "",
        "open_dialogue_count": group.dialogues.filter(state="open").count(),
    }
    return render(request, "groups/group_end.html", context)


def group_reopen(request, slug):
    group, access = get_group_for_workspace(request.user, slug)
    require_can_reopen(access)
    if not group.is_ended:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reopen_group(group=group, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The group is reopened."))
        return redirect(group)
    return render(request, "groups/group_reopen.html", {"group": group, "access": access, "form": form})
