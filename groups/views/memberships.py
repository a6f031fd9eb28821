"""Who is in the group: the member list, invitations and requests decided, leaving and removal,
and the coordinators."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import OrganisationMember, User
from core.inputs import posted_pk
from groups.access import get_group_for_workspace, get_invitation_to_answer, get_membership_to_end, is_removal
from groups.forms import DecisionForm, InviteOrganisationForm, ReasonForm
from groups.models import Coordinator, Membership
from groups.services.memberships import (
    answer_invitation,
    appoint_coordinator,
    decide_membership,
    end_membership,
    invite_organisation,
    remove_coordinator,
)
from groups.services.shared import GroupRuleError

MEMBERS_PER_PAGE = 100


def member_list(request, slug):
    group, access = get_group_for_workspace(request.user, slug)
    memberships = group.memberships.select_related("organisation", "organisation__size_class").order_by(
        "organisation__name", "pk"
    )
    # The members a page at a time, each with its contact persons; the requests and invitations
    # (few, and only coordinators act on them) all at once.
    page = Paginator(memberships.filter(status=Membership.Status.ACTIVE), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    prefetch_related_objects(
        page.object_list,
        Prefetch(
            "organisation__staff",
            queryset=OrganisationMember.objects.filter(user__deleted_at__isnull=True).select_related("user"),
        ),
    )
    pending = list(memberships.filter(status__in=[Membership.Status.REQUESTED, Membership.Status.INVITED]))
    coordinators = group.coordinators.select_related("user").order_by("user__name")
    context = {
        "group": group,
        "access": access,
        "page": page,
        "active": page.object_list,
        "requested": [m for m in pending if m.status == Membership.Status.REQUESTED],
        "invited": [m for m in pending if m.status == Membership.Status.INVITED],
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
    group, membership = get_invitation_to_answer(request.user, slug, membership_pk)
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
    group, access, membership = get_membership_to_end(request.user, slug, membership_pk)
    removing = is_removal(request.user, membership)
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
