"""Need statements: writing them version by version, publishing and closing, the history with
diffs, comments, and each member authority's commitment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import OrganisationMember
from core.fragments import cached_fragments, fragment_key
from core.kept_pages import kept_page
from groups import fragments
from groups.access import (
    get_group_for_workspace,
    get_need_for_user,
    get_organisation_to_endorse_for,
    require_can_move_need,
)
from groups.diff import version_diff
from groups.forms import CommentForm, EndorsementForm, NeedForm, RequirementFormSet, requirements_from
from groups.models import Endorsement, NeedStatement
from groups.services.needs import (
    StaleEdit,
    add_comment,
    create_need,
    move_need,
    need_publication_recipients,
    save_endorsement,
    save_need_version,
)
from groups.services.shared import GroupRuleError


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
@kept_page
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
    }
    # Versions never change: a version's text and the differences between two versions are
    # rendered once per language (and the group's) and read from the cache together.
    parts = {"version_html": fragments.version_text(version, group) if version else None}
    if need.previously_published_version_id and version == need.published_version:
        parts["changes_since_previous"] = fragments.version_changes(
            need.previously_published_version, need.published_version, group
        )
    if access.can_see_workspace and need.has_unpublished_changes:
        parts["unpublished_diff"] = fragments.version_changes(need.published_version, need.current_version, group)
    if access.can_see_workspace:
        # The empty comment form offers the version's requirements: the same for every reader.
        form = CommentForm(requirements=version.requirements if version else ())
        if version:
            parts["comment_form_html"] = (fragment_key("need-comment-form", *fragments.identity(version)), form.as_div)
        else:
            context["comment_form_html"] = form.as_div()
    parts["joint_demand"] = fragments.joint_demand(need)
    wanted = {name: part for name, part in parts.items() if part}
    html = cached_fragments(list(wanted.values()), key=lambda part: part[0], render=lambda part: part[1]())
    context.update(dict(zip(wanted, html, strict=True)))
    if access.can_see_workspace:
        comments = need.comments.select_related("author").prefetch_related(
            Prefetch("author__affiliations", queryset=OrganisationMember.objects.select_related("organisation"))
        )
        endorsements = need.endorsements.select_related("organisation", "updated_by")
        context.update(
            {
                "comments": comments,
                "endorsements": endorsements,
                "endorsable": [o for o in access.member_organisations if o.is_authority],
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
    require_can_move_need(access, to_state)
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
    organisation = get_organisation_to_endorse_for(access, organisation_pk)
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
