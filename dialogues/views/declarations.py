"""Conflicts of interest: each member user declares; coordinators and facilitators see everyone's
history and clear a declared conflict."""

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import OrganisationMember, User
from dialogues.access import (
    conflict_clearers_text,
    get_conflict_to_clear,
    get_dialogue_for_declarations,
    require_can_declare,
)
from dialogues.forms import ClearanceForm, DeclarationForm
from dialogues.services.declarations import clear_conflict, declare_conflict
from dialogues.services.shared import DialogueRuleError


def declaration_list(request, pk):
    """Each group user declares; coordinators and facilitators see everyone's current state and
    full history, and clear a declared conflict from here (conflict_clear)."""
    dialogue, access = get_dialogue_for_declarations(request.user, pk)
    form = DeclarationForm(request.POST or None) if access.is_group_user else None
    if request.method == "POST":
        require_can_declare(access)
        if form.is_valid():
            if not form.cleaned_data["has_conflict"] and not access.can_declare_no_conflict:
                form.add_error(
                    "has_conflict",
                    _("You have declared a conflict of interest in this dialogue, and you cannot undo it yourself.")
                    + " "
                    + conflict_clearers_text(dialogue, request.user.pk),
                )
            else:
                try:
                    declare_conflict(
                        dialogue=dialogue,
                        user=request.user,
                        has_conflict=form.cleaned_data["has_conflict"],
                        description=form.cleaned_data["description"],
                    )
                except DialogueRuleError as error:
                    form.add_error("has_conflict", str(error))
                else:
                    messages.success(request, _("Your declaration is saved."))
                    return redirect("dialogues:declaration-list", pk=dialogue.pk)
    context = {
        "dialogue": dialogue,
        "group": dialogue.group,
        "access": access,
        "form": form,
        "own": dialogue.conflict_declarations.filter(user=request.user).select_related("user", "cleared_by")
        if access.is_group_user
        else [],
        "clearers": conflict_clearers_text(dialogue, request.user.pk) if access.has_open_conflict else "",
    }
    if access.can_see_declarations:
        context["people"] = _declaration_overview(dialogue, access)
    return render(request, "dialogues/declaration_list.html", context, status=400 if request.method == "POST" else 200)


def _declaration_overview(dialogue, access) -> list[dict]:
    """Every member user of the group (and anyone who declared here and has left since): their
    current entry, their whole history and whether the viewer may clear their conflict. A fixed
    number of queries, whatever the number of people and entries."""
    with_organisations = Prefetch("affiliations", queryset=OrganisationMember.objects.select_related("organisation"))
    member_organisations = dialogue.group.memberships.active().filter(role="member").values("organisation_id")
    people = (
        User.objects.filter(
            Q(affiliations__organisation__in=member_organisations, deleted_at__isnull=True)
            | Q(pk__in=dialogue.conflict_declarations.values("user_id"))
        )
        .distinct()
        .prefetch_related(with_organisations)
    )
    entries = dialogue.conflict_declarations.select_related("user", "cleared_by").prefetch_related(
        Prefetch("user__affiliations", queryset=OrganisationMember.objects.select_related("organisation")),
        Prefetch("cleared_by__affiliations", queryset=OrganisationMember.objects.select_related("organisation")),
    )
    current_ids = set(dialogue.conflict_declarations.current().values_list("pk", flat=True))
    history, current = {}, {}
    for entry in entries:  # newest first (the model's ordering)
        history.setdefault(entry.user_id, []).append(entry)
        if entry.pk in current_ids:
            current[entry.user_id] = entry
    overview = [
        {
            "person": person,
            "current": current.get(person.pk),
            "history": history.get(person.pk, []),
            "can_clear": person.pk in current
            and current[person.pk].blocks_proposals
            and access.can_clear_conflict_of(person.pk),
        }
        for person in people
    ]
    return sorted(overview, key=lambda row: row["person"].display_name.casefold())


def conflict_clear(request, pk, person_pk):
    """The confirmation page for clearing someone's declared conflict (GET), and the clearing (POST)."""
    dialogue, access, declaration = get_conflict_to_clear(request.user, pk, person_pk)
    person = declaration.user
    if not declaration.blocks_proposals:
        messages.info(
            request, _("%(person)s has no declared conflict of interest to clear.") % {"person": person.display_name}
        )
        return redirect("dialogues:declaration-list", pk=dialogue.pk)
    form = ClearanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clear_conflict(dialogue=dialogue, person=person, user=request.user, reason=form.cleaned_data["reason"])
        except DialogueRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The conflict of interest of %(person)s is cleared, and they have been told why.")
                % {"person": person.display_name},
            )
            return redirect("dialogues:declaration-list", pk=dialogue.pk)
    return render(
        request,
        "dialogues/conflict_clear.html",
        {
            "dialogue": dialogue,
            "group": dialogue.group,
            "access": access,
            "declaration": declaration,
            "person": person,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
