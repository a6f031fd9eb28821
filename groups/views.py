from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import require_verified
from accounts.models import Organisation, OrganisationMember, User
from audit.models import Action, AuditEntry
from core.inputs import posted_pk
from core.moderated import require_not_removed
from core.rate_limits import refusal, within_limit
from core.streaming import file_download
from groups.access import get_group, get_group_for_workspace, get_need_for_user, group_access, require_can_create_group
from groups.diff import version_diff
from groups.forms import (
    CommentForm,
    DecisionForm,
    DocumentForm,
    DocumentVersionForm,
    EndorsementForm,
    GroupEditForm,
    GroupFilterForm,
    GroupForm,
    InviteOrganisationForm,
    JoinRequestForm,
    NeedForm,
    ProcedureChoiceForm,
    ReasonForm,
    RequirementFormSet,
    StageEntryForm,
    ThemeFollowForm,
    requirements_from,
)
from groups.models import (
    STAGE_ORDER,
    BuyerGroup,
    Coordinator,
    DocumentVersion,
    Endorsement,
    Membership,
    NeedStatement,
    ThemeFollow,
)
from groups.services import (
    GroupRuleError,
    StaleEdit,
    add_comment,
    add_document,
    add_document_version,
    answer_invitation,
    appoint_coordinator,
    create_group,
    create_need,
    decide_membership,
    demand_aggregate,
    end_membership,
    invite_organisation,
    move_need,
    need_publication_recipients,
    remove_coordinator,
    request_membership,
    save_endorsement,
    save_need_version,
    save_procedure_choice,
    set_current_stage,
)

GROUPS_PER_PAGE = 12


def _with_member_counts(queryset):
    return queryset.annotate(
        member_count=Count(
            "memberships",
            filter=Q(memberships__status=Membership.Status.ACTIVE, memberships__role=Membership.Role.MEMBER),
        )
    )


@login_not_required
def group_list(request):
    form = GroupFilterForm(request.GET or None)
    groups = _with_member_counts(BuyerGroup.objects.all())
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            groups = groups.filter(Q(name__icontains=query) | Q(summary__icontains=query))
        if theme := form.cleaned_data["theme"]:
            groups = groups.filter(theme=theme)
        if stage := form.cleaned_data["stage"]:
            groups = groups.filter(current_stage=stage)
        if form.cleaned_data["open"]:
            groups = groups.filter(is_open=True)
    page = Paginator(groups.order_by("name"), GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    can_create = request.user.is_authenticated and (
        request.user.is_facilitator or any(o.is_authority for o in request.user.verified_organisations)
    )
    return render(
        request,
        "groups/group_list.html",
        {"form": form, "page": page, "query_string": query_string.urlencode(), "can_create": can_create},
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
        "member_count": group.memberships.active().filter(role=Membership.Role.MEMBER).count(),
        "published_needs": group.needs.filter(published_version__isnull=False)
        .select_related("published_version")
        .order_by("-published_at"),
        "open_dialogues": group.dialogues.filter(state="open").order_by("-opened_at"),
    }
    if access.is_authenticated and not access.can_see_workspace:
        context["pending_memberships"] = (
            group.memberships.pending().filter(organisation__staff__user=request.user).select_related("organisation")
        )
        if join_form is None and access.joinable_organisations and group.is_open:
            join_form = JoinRequestForm(organisations=access.joinable_organisations)
        context["join_form"] = join_form
    return context


@login_not_required
def group_detail(request, slug):
    """One address: the workspace for members, observers and facilitators; the public summary
    for everyone else."""
    group = get_group(slug)
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
    if not access.joinable_organisations:
        if not request.user.can_act:
            raise PermissionDenied(
                _("Your organisation must be verified by Upphandlingsmyndigheten before it can join groups.")
            )
        raise PermissionDenied(_("None of your organisations can ask to join this group."))
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


def member_list(request, slug):
    group, access = get_group_for_workspace(request.user, slug)
    memberships = (
        group.memberships.filter(status__in=Membership.OPEN_STATUSES)
        .select_related("organisation", "organisation__size_class")
        .prefetch_related(
            Prefetch(
                "organisation__staff",
                queryset=OrganisationMember.objects.filter(user__deleted_at__isnull=True).select_related("user"),
            )
        )
        .order_by("status", "organisation__name")
    )
    coordinators = group.coordinators.select_related("user").order_by("user__name")
    context = {
        "group": group,
        "access": access,
        "active": [m for m in memberships if m.status == Membership.Status.ACTIVE],
        "requested": [m for m in memberships if m.status == Membership.Status.REQUESTED],
        "invited": [m for m in memberships if m.status == Membership.Status.INVITED],
        "coordinators": coordinators,
        "own_organisation_ids": {a.organisation_id for a in request.user.active_affiliations},
    }
    if access.can_manage:
        context["invite_form"] = InviteOrganisationForm(group=group)
        context["coordinator_candidates"] = (
            User.objects.filter(
                affiliations__organisation__group_memberships__group=group,
                affiliations__organisation__group_memberships__status=Membership.Status.ACTIVE,
                affiliations__organisation__group_memberships__role=Membership.Role.MEMBER,
                deleted_at__isnull=True,
            )
            .exclude(coordinated_groups__group=group)
            .distinct()
            .order_by("name")
        )
    return render(request, "groups/member_list.html", context)


@require_POST
def membership_invite(request, slug):
    group, access = get_group_for_workspace(request.user, slug, manage=True)
    form = InviteOrganisationForm(request.POST, group=group)
    if form.is_valid():
        try:
            invite_organisation(
                group=group,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except GroupRuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("%(organisation)s is invited.") % {"organisation": form.cleaned_data["organisation"]}
            )
    else:
        messages.error(request, _("Choose an organisation to invite."))
    return redirect("groups:member-list", slug=group.slug)


def membership_decide(request, slug, membership_pk):
    group, access = get_group_for_workspace(request.user, slug, manage=True)
    membership = get_object_or_404(
        group.memberships.select_related("organisation"), pk=membership_pk, status=Membership.Status.REQUESTED
    )
    form = DecisionForm(request.POST or None, initial={"decision": request.GET.get("decision", "approve")})
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        decide_membership(membership=membership, user=request.user, approve=approve, reason=form.cleaned_data["reason"])
        if approve:
            messages.success(
                request, _("%(organisation)s is now a member.") % {"organisation": membership.organisation}
            )
        else:
            messages.success(
                request,
                _("The request from %(organisation)s was declined.") % {"organisation": membership.organisation},
            )
        return redirect("groups:member-list", slug=group.slug)
    return render(request, "groups/membership_decide.html", {"group": group, "membership": membership, "form": form})


@require_POST
def membership_answer(request, slug, membership_pk):
    """An invited organisation's admin accepts or declines."""
    group = get_group(slug)
    membership = get_object_or_404(
        group.memberships.select_related("organisation"), pk=membership_pk, status=Membership.Status.INVITED
    )
    if not request.user.is_member_of(membership.organisation):
        raise Http404
    require_verified(membership.organisation)
    accept = request.POST.get("decision") == "accept"
    try:
        answer_invitation(membership=membership, user=request.user, accept=accept)
    except GroupRuleError as error:
        messages.error(request, str(error))
        return redirect(group)
    if accept:
        messages.success(request, _("Welcome to %(group)s.") % {"group": group})
    return redirect(group)


def membership_end(request, slug, membership_pk):
    """Leave (the organisation's own people) or remove (coordinators, facilitators), with a reason."""
    group, access = get_group_for_workspace(request.user, slug)
    membership = get_object_or_404(
        group.memberships.select_related("organisation"), pk=membership_pk, status=Membership.Status.ACTIVE
    )
    own = request.user.is_member_of(membership.organisation)
    if not own and not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators can remove another organisation."))
    removing = not own
    form = ReasonForm(request.POST or None)
    if not removing:
        form.fields["reason"].required = False
    if request.method == "POST" and form.is_valid():
        try:
            end_membership(
                membership=membership, user=request.user, removed=removing, reason=form.cleaned_data["reason"]
            )
        except GroupRuleError as error:
            form.add_error(None, str(error))
        else:
            if removing:
                messages.success(
                    request, _("%(organisation)s was removed.") % {"organisation": membership.organisation}
                )
                return redirect("groups:member-list", slug=group.slug)
            messages.success(
                request, _("%(organisation)s has left the group.") % {"organisation": membership.organisation}
            )
            return redirect(group)
    return render(
        request,
        "groups/membership_end.html",
        {"group": group, "membership": membership, "form": form, "removing": removing},
    )


@require_POST
def coordinator_appoint(request, slug):
    group, access = get_group_for_workspace(request.user, slug, manage=True)
    person = get_object_or_404(
        User.objects.filter(
            affiliations__organisation__group_memberships__group=group,
            affiliations__organisation__group_memberships__status=Membership.Status.ACTIVE,
            affiliations__organisation__group_memberships__role=Membership.Role.MEMBER,
            deleted_at__isnull=True,
        ).distinct(),
        pk=posted_pk(request, "user"),
    )
    appoint_coordinator(group=group, person=person, user=request.user)
    messages.success(request, _("%(person)s is now a coordinator.") % {"person": person.display_name})
    return redirect("groups:member-list", slug=group.slug)


@require_POST
def coordinator_remove(request, slug, coordinator_pk):
    group, access = get_group_for_workspace(request.user, slug, manage=True)
    coordinator = get_object_or_404(Coordinator.objects.select_related("user"), pk=coordinator_pk, group=group)
    try:
        remove_coordinator(coordinator=coordinator, user=request.user)
    except GroupRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(person)s is no longer a coordinator.") % {"person": coordinator.user.display_name}
        )
    return redirect("groups:member-list", slug=group.slug)


# The group's history is its part of the audit log, limited to the changes of membership, roles,
# stage and dialogue that the history has always shown. The rest of the group's entries (reports,
# suspensions, who opened which proposal, conflicts of interest) stay with the facilitators'
# audit log and the dialogue's record, where their own rules decide who reads them.
HISTORY_ACTIONS = [
    Action.GROUP_CREATED,
    Action.GROUP_STAGE_CHANGED,
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
    roles = dict(Membership.Role.choices)
    for entry in page.object_list:  # the log keeps a role by its code; the page names it
        entry.shown_detail = roles.get(entry.detail, entry.detail)
    return render(request, "groups/group_history.html", {"group": group, "access": access, "page": page})


def stage_plan(request, slug):
    group, access = get_group_for_workspace(request.user, slug)
    entries = list(group.stage_plan.all())
    entries.sort(key=lambda entry: STAGE_ORDER.index(entry.stage))
    forms = [StageEntryForm(request.POST or None, instance=entry, prefix=entry.stage) for entry in entries]
    if request.method == "POST":
        if not access.can_manage:
            raise PermissionDenied(_("Only the group's coordinators and facilitators can do this."))
        new_stage = request.POST.get("current_stage")
        if all(form.is_valid() for form in forms) and new_stage in STAGE_ORDER:
            try:
                with transaction.atomic():  # the dates and the stage are saved together or not at all
                    for form in forms:
                        if form.has_changed():
                            form.save()
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


def document_list(request, slug):
    group, access = get_group_for_workspace(request.user, slug)
    documents = group.documents.select_related("latest_version", "latest_version__uploaded_by").annotate(
        version_count=Count("versions")
    )
    form = DocumentForm(request.POST or None, request.FILES or None) if access.can_edit else None
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Observers can follow the group but not change its content."))
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
        if form is None:
            raise PermissionDenied(_("Observers can follow the group but not change its content."))
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


def need_create(request, slug):
    group, access = get_group_for_workspace(request.user, slug, edit=True)
    form = NeedForm(request.POST or None, initial={"change_note": _("First version")})
    formset = RequirementFormSet(request.POST or None, prefix="requirements")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        need = create_need(
            group=group,
            user=request.user,
            fields=form.version_fields(),
            requirements=requirements_from(formset),
            change_note=form.cleaned_data["change_note"],
        )
        messages.success(request, _("The need statement is saved as a draft."))
        return redirect(need)
    return render(
        request, "groups/need_form.html", {"group": group, "access": access, "form": form, "formset": formset}
    )


@login_not_required
def need_detail(request, slug, pk):
    need, access = get_need_for_user(request.user, slug, pk)
    group = need.group
    if access.can_see_workspace:
        version = need.current_version
    else:
        version = need.published_version
    context = {
        "group": group,
        "need": need,
        "access": access,
        "version": version,
        "aggregate": demand_aggregate(need),
        "changes_since_previous": None,
    }
    if need.previously_published_version_id and version == need.published_version:
        context["changes_since_previous"] = version_diff(need.previously_published_version, need.published_version)
    if access.can_see_workspace:
        comments = need.comments.select_related("author").prefetch_related(
            Prefetch("author__affiliations", queryset=OrganisationMember.objects.select_related("organisation"))
        )
        endorsements = need.endorsements.select_related("organisation", "updated_by")
        context.update(
            {
                "comments": comments,
                "comment_form": CommentForm(requirements=version.requirements if version else ()),
                "endorsements": endorsements,
                "endorsable": [o for o in access.member_organisations if o.is_authority],
                "unpublished_diff": (
                    version_diff(need.published_version, need.current_version) if need.has_unpublished_changes else None
                ),
            }
        )
    return render(request, "groups/need_detail.html", context)


def need_edit(request, slug, pk):
    group, access = get_group_for_workspace(request.user, slug, edit=True)
    need = get_object_or_404(group.needs.select_related("current_version"), pk=pk)
    current = need.current_version
    initial_requirements = [dict(r) for r in current.requirements]
    form = NeedForm(request.POST or None, initial=NeedForm.initial_from(current) | {"change_note": ""})
    formset = RequirementFormSet(request.POST or None, prefix="requirements", initial=initial_requirements)
    conflict = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            save_need_version(
                need=need,
                user=request.user,
                fields=form.version_fields(),
                requirements=requirements_from(formset),
                change_note=form.cleaned_data["change_note"],
                base_version_number=form.cleaned_data["base_version"],
            )
        except StaleEdit as stale:
            conflict = stale.current
            # Keep everything the editor typed; the next save builds on the version shown here.
            data = request.POST.copy()
            data["base_version"] = conflict.number
            form = NeedForm(data)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "%(person)s saved version %(number)s while you were editing. Your text is kept below; "
                    "compare it with theirs, merge what you want to keep and save again."
                )
                % {"person": conflict.author.display_name if conflict.author else "?", "number": conflict.number},
            )
        except GroupRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The new version is saved."))
            return redirect(need)
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render(
        request,
        "groups/need_form.html",
        {"group": group, "access": access, "form": form, "formset": formset, "need": need, "conflict": conflict},
        status=status,
    )


def need_move(request, slug, pk):
    """POST moves the need. Publishing and closing cannot be undone: a GET with ?state= shows
    what will happen and who will be told, and its confirmation POSTs."""
    group, access = get_group_for_workspace(request.user, slug)
    need = get_object_or_404(group.needs, pk=pk)
    to_state = request.POST.get("state") if request.method == "POST" else request.GET.get("state")
    if to_state not in NeedStatement.State.values:
        raise Http404
    if to_state == NeedStatement.State.IN_REVIEW and not access.can_edit:
        raise PermissionDenied(_("Observers can follow the group but not change its content."))
    if to_state != NeedStatement.State.IN_REVIEW and not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators can publish or close a need statement."))
    if request.method != "POST":
        return _need_move_confirmation(request, group, access, need, to_state)
    try:
        move_need(need=need, user=request.user, to_state=to_state)
    except GroupRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The need statement is now: %(state)s.") % {"state": NeedStatement.State(to_state).label}
        )
    return redirect(need)


def _need_move_confirmation(request, group, access, need, to_state):
    confirmable = {
        NeedStatement.State.PUBLISHED: need.state != NeedStatement.State.CLOSED
        and need.published_version_id != need.current_version_id,
        NeedStatement.State.CLOSED: need.state == NeedStatement.State.PUBLISHED,
    }
    if not confirmable.get(to_state):
        messages.error(
            request,
            _("The need statement cannot go to %(state)s now.") % {"state": NeedStatement.State(to_state).label},
        )
        return redirect(need)
    context = {"group": group, "access": access, "need": need, "to_state": to_state}
    if to_state == NeedStatement.State.PUBLISHED:
        context["told_count"] = need_publication_recipients(need).exclude(pk=request.user.pk).count()
        context["open_dialogue_count"] = need.dialogues.filter(state="open").count()  # dialogues build on groups
    return render(request, "groups/need_move_confirm.html", context)


def need_history(request, slug, pk):
    group, access = get_group_for_workspace(request.user, slug)
    need = get_object_or_404(group.needs.select_related("current_version"), pk=pk)
    versions = need.versions.select_related("author").only(
        "number", "created_at", "change_note", "title", "author__name", "author__email", "author__deleted_at", "need_id"
    )
    page = Paginator(versions, 50).get_page(request.GET.get("page"))
    diff = None
    try:
        first, second = int(request.GET.get("from", 0)), int(request.GET.get("to", 0))
    except ValueError:
        first = second = 0
    if first and second:
        old, new = (need.versions.filter(number=n).first() for n in (first, second))
        if old is None or new is None:
            messages.error(request, _("Choose two versions that exist."))
        else:
            diff = version_diff(old, new)
    return render(
        request,
        "groups/need_history.html",
        {
            "group": group,
            "access": access,
            "need": need,
            "page": page,
            "diff": diff,
            "from": first or None,
            "to": second or None,
        },
    )


@require_POST
def need_comment(request, slug, pk):
    group, access = get_group_for_workspace(request.user, slug)
    need = get_object_or_404(group.needs.select_related("current_version"), pk=pk)
    form = CommentForm(request.POST, requirements=need.current_version.requirements)
    if form.is_valid():
        add_comment(
            need=need,
            user=request.user,
            body=form.cleaned_data["body"],
            requirement_number=form.cleaned_data["requirement_number"],
        )
        messages.success(request, _("Your comment is posted."))
        return redirect(f"{need.get_absolute_url()}#comments")
    messages.error(request, _("Write a comment before posting."))
    return redirect(f"{need.get_absolute_url()}#comments")


def endorsement_edit(request, slug, pk, organisation_pk):
    group, access = get_group_for_workspace(request.user, slug)
    need = get_object_or_404(group.needs.select_related("current_version"), pk=pk)
    organisation = next((o for o in access.member_organisations if o.pk == organisation_pk), None)
    if organisation is None or not access.can_endorse_for(organisation):
        raise PermissionDenied(_("Only the people of a member authority can state its commitment."))
    endorsement = Endorsement.objects.filter(need=need, organisation=organisation).first()
    form = EndorsementForm(request.POST or None, instance=endorsement)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in EndorsementForm.Meta.fields}
        save_endorsement(need=need, organisation=organisation, user=request.user, **fields)
        messages.success(request, _("The commitment of %(organisation)s is saved.") % {"organisation": organisation})
        return redirect(f"{need.get_absolute_url()}#endorsements")
    history = endorsement.changes.select_related("changed_by")[:20] if endorsement else []
    return render(
        request,
        "groups/endorsement_form.html",
        {"group": group, "need": need, "organisation": organisation, "form": form, "history": history},
        status=400 if request.method == "POST" else 200,
    )


def theme_follow_section(*, user, data):
    """The notification settings page's section for suppliers: the themes they follow
    (registered in GroupsConfig.ready(); notifications renders and saves it with the page)."""
    if not any(affiliation.organisation.is_supplier for affiliation in user.active_affiliations):
        return None
    followed = list(ThemeFollow.objects.filter(user=user).values_list("theme", flat=True))
    return ThemeFollowForm(data, user=user, initial={"themes": followed})
