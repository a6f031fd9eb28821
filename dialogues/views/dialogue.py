"""The dialogue itself: the public list and the group's, creating and editing (an open dialogue
is amended), opening and closing, the dialogue page, and taking part."""

from itertools import pairwise

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.fragments import cached_fragments
from core.inputs import posted_pk
from core.kept_pages import kept_page
from dialogues.access import (
    can_start_dialogue,
    dialogues_visible_to,
    get_dialogue,
    get_dialogue_for_group,
    require_supplier_can_act,
)
from dialogues.forms import AmendmentForm, DialogueFilterForm, DialogueForm, OrganisationChoiceForm
from dialogues.models import Answer, Dialogue, Participation, unanswered_condition
from dialogues.services.amendments import AmendmentRefused, amend_dialogue
from dialogues.services.dialogue import (
    close_dialogue,
    create_dialogue,
    dialogue_opening_recipients,
    open_dialogue,
    register_participation,
    set_dialogue_language,
    update_dialogue,
    withdraw_participation,
)
from dialogues.services.listing import CLOSED, filter_public_dialogues
from dialogues.services.shared import DialogueRuleError, IdentifyingText
from groups import fragments
from groups.access import get_group_for_workspace

PER_PAGE = 25


def _with_participant_counts(queryset):
    return queryset.annotate(
        participant_count=Count("participations", filter=Q(participations__withdrawn_at__isnull=True), distinct=True)
    )


@login_not_required
def dialogue_list(request):
    """Open dialogues for everyone, with a "take part" action for verified suppliers. Filters
    that do not validate are shown in the error summary, and the list is then unfiltered
    (open or closed as asked, when that part is valid)."""
    form = DialogueFilterForm(request.GET or None)
    if form.is_valid():
        filters = form.cleaned_data
    else:
        filters = {"state": form.cleaned_data.get("state")} if form.is_bound else {}
    show_closed = filters.get("state") == CLOSED
    is_filtered = any(filters.get(name) for name in ("theme", "county", "within"))
    dialogues = filter_public_dialogues(
        _with_participant_counts(dialogues_visible_to(request.user).select_related("group", "need__published_version")),
        filters,
    )
    page = Paginator(dialogues, PER_PAGE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    supplier_organisations, taking_part = [], set()
    if request.user.is_authenticated:
        supplier_organisations = [o for o in request.user.verified_organisations if o.is_supplier]
        taking_part = set(
            Participation.objects.active()
            .filter(organisation__in=supplier_organisations, dialogue__in=[d.pk for d in page])
            .values_list("dialogue_id", flat=True)
        )
    return render(
        request,
        "dialogues/dialogue_list.html",
        {
            "form": form,
            "page": page,
            "show_closed": show_closed,
            "is_filtered": is_filtered,
            "query_string": query_string.urlencode(),
            "supplier_organisations": supplier_organisations,
            "taking_part": taking_part,
        },
    )


def group_dialogues(request, slug):
    group, access = get_group_for_workspace(request.user, slug)
    dialogues = _with_participant_counts(group.dialogues.select_related("need__published_version")).annotate(
        waiting_count=Count(
            "questions",
            filter=unanswered_condition("questions__"),
            distinct=True,
        )
    )
    return render(
        request,
        "dialogues/group_dialogues.html",
        {
            "group": group,
            "access": access,
            "dialogues": dialogues,
            "can_create": can_start_dialogue(access, group),
        },
    )


def dialogue_create(request, slug):
    group, access = get_group_for_workspace(request.user, slug, manage=True)
    if group.is_ended:
        messages.error(
            request, _("The group has ended: it opens no new market dialogues. A facilitator can reopen it.")
        )
        return redirect("dialogues:group-dialogues", slug=group.slug)
    form = DialogueForm(request.POST or None, group=group)
    if not form.fields["need"].queryset.exists():
        messages.error(request, _("Publish a need statement first: a dialogue is opened on a published need."))
        return redirect("dialogues:group-dialogues", slug=group.slug)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        need = data.pop("need")
        try:
            dialogue = create_dialogue(group=group, need=need, user=request.user, **data)
        except DialogueRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The dialogue is saved as a draft. Open it when you are ready."))
            return redirect(dialogue)
    return render(
        request,
        "dialogues/dialogue_form.html",
        {"group": group, "access": access, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def dialogue_edit(request, pk):
    dialogue, access = get_dialogue_for_group(request.user, pk, manage=True)
    if dialogue.state == Dialogue.State.OPEN:
        return _dialogue_amend(request, dialogue, access)
    form = DialogueForm(request.POST or None, instance=dialogue, group=dialogue.group)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name in form.changed_data}
        if dialogue.state != Dialogue.State.DRAFT:
            data.pop("need", None)  # the need is fixed once suppliers have seen the dialogue
        try:
            update_dialogue(dialogue=dialogue, user=request.user, **data)
        except DialogueRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The dialogue is saved."))
            return redirect(dialogue)
    return render(
        request,
        "dialogues/dialogue_form.html",
        {"group": dialogue.group, "access": access, "form": form, "dialogue": dialogue},
        status=400 if request.method == "POST" else 200,
    )


def _dialogue_amend(request, dialogue, access):
    """An open dialogue: saving publishes what changed as one numbered amendment, with the
    reason, to every participant."""
    participant_count = dialogue.participations.active().count()

    def amendment_form(offer_override):
        # A fresh instance: a validated ModelForm has already written the new values into its own.
        return AmendmentForm(
            request.POST or None,
            instance=Dialogue.objects.get(pk=dialogue.pk),
            group=dialogue.group,
            is_facilitator=access.can_approve_short_notice,
            offer_override=offer_override,
        )

    form = amendment_form(offer_override=bool(request.POST.get("override_reason")))
    identity_matches = []
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["content_language"]
        if not form.amendments:
            if language != dialogue.content_language:
                set_dialogue_language(dialogue=dialogue, language=language)
                messages.success(request, _("The dialogue is saved."))
            else:
                messages.info(request, _("Nothing was changed, so no amendment was published."))
            return redirect(dialogue)
        try:
            notice = amend_dialogue(
                dialogue=dialogue,
                user=request.user,
                reason=form.cleaned_data["reason"],
                approve_short_notice=form.cleaned_data.get("approve_short_notice", False),
                override_reason=form.cleaned_data.get("override_reason", ""),
                **form.amendments,
            )
        except IdentifyingText as held:
            identity_matches = held.matches
            form = amendment_form(offer_override=True)
            form.is_valid()
            status = 409
        except AmendmentRefused as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        except DialogueRuleError as error:
            form.add_error(None, str(error))
        else:
            if language != dialogue.content_language:
                set_dialogue_language(dialogue=dialogue, language=language)
            if notice is None:
                messages.info(request, _("Nothing was changed, so no amendment was published."))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Amendment no. %(number)s is published to %(count)s participant.",
                        "Amendment no. %(number)s is published to %(count)s participants.",
                        participant_count,
                    )
                    % {"number": notice.number, "count": participant_count},
                )
            return redirect(dialogue)
    return render(
        request,
        "dialogues/dialogue_form.html",
        {
            "group": dialogue.group,
            "access": access,
            "form": form,
            "dialogue": dialogue,
            "participant_count": participant_count,
            "identity_matches": identity_matches,
            "minimum_notice_days": settings.DIALOGUE_MIN_NOTICE_WORKING_DAYS,
        },
        status=status,
    )


def dialogue_state(request, pk):
    """Opening and closing cannot be undone: GET shows what will happen and who will be told,
    the confirmation POSTs."""
    dialogue, access = get_dialogue_for_group(request.user, pk, manage=True)
    if request.method != "POST":
        return _dialogue_state_confirmation(request, dialogue, access)
    action = request.POST.get("action")
    try:
        if action == "open":
            open_dialogue(dialogue=dialogue, user=request.user)
            messages.success(request, _("The dialogue is open. Every verified supplier can now take part."))
        elif action == "close":
            close_dialogue(dialogue=dialogue, user=request.user)
            messages.success(request, _("The dialogue is closed. It takes no new questions, proposals or bookings."))
        else:
            messages.error(request, _("Choose whether to open or close the dialogue."))
    except DialogueRuleError as error:
        messages.error(request, str(error))
    return redirect(dialogue)


def _dialogue_state_confirmation(request, dialogue, access):
    action = request.GET.get("action")
    if (action, dialogue.state) not in {("open", Dialogue.State.DRAFT), ("close", Dialogue.State.OPEN)}:
        messages.error(request, _("Only a draft dialogue can be opened, and only an open one closed."))
        return redirect(dialogue)
    context = {"dialogue": dialogue, "group": dialogue.group, "access": access, "action": action}
    if action == "open":
        context["told_count"] = dialogue_opening_recipients(dialogue).exclude(pk=request.user.pk).count()
    else:
        context["participant_count"] = dialogue.participations.active().count()
        context["waiting_count"] = dialogue.questions.unanswered().count()
    return render(request, "dialogues/dialogue_state_confirm.html", context)


@login_not_required
@kept_page
def dialogue_detail(request, pk):
    dialogue, access = get_dialogue(request.user, pk)
    need = dialogue.need
    if need.group_id == dialogue.group_id:
        need.group = dialogue.group  # for its address, without reading the group again
    entries = list(dialogue.need_versions.select_related("version"))
    # The differences between versions and the joint demand are the same for every reader:
    # rendered once per language and read from the cache together (groups/fragments.py).
    parts = [
        fragments.version_changes(before.version, after.version, dialogue.group, say_none=True)
        for before, after in pairwise(entries)
    ]
    parts.append(fragments.joint_demand(need))
    *diffs, joint_demand = cached_fragments(parts, key=lambda part: part[0], render=lambda part: part[1]())
    changes = [
        {"entry": after, "previous": before, "diff": diff}
        for (before, after), diff in zip(pairwise(entries), diffs, strict=True)
    ]
    context = {
        "dialogue": dialogue,
        "group": dialogue.group,
        "access": access,
        "need": need,
        "version": entries[-1].version if entries else need.published_version,
        "need_changes": list(reversed(changes)),
        "joint_demand": joint_demand,
        "participant_count": dialogue.participations.active().count(),
        "now": timezone.now(),
    }
    if access.can_see_answers:
        context["latest_answers"] = dialogue.answers.for_listing().order_by("-number")[:5]
        context["answer_count"] = dialogue.answers.published().count()
        context["amendments"] = dialogue.answers.published().filter(kind=Answer.Kind.CHANGE).order_by("number")
    if access.registrable_organisations and dialogue.is_open:
        context["register_form"] = OrganisationChoiceForm(organisations=access.registrable_organisations)
    if access.participant_organisations:
        context["own_participations"] = (
            dialogue.participations.active()
            .filter(organisation__in=[o.pk for o in access.participant_organisations])
            .select_related("organisation")
        )
    if access.can_see_all_questions:
        context |= dialogue.questions.unanswered().aggregate(
            waiting_count=Count("pk"), overdue_count=Count("pk", filter=Q(answer_due_at__lt=context["now"]))
        )
    return render(request, "dialogues/dialogue_detail.html", context)


# --- Participation -----------------------------------------------------------------------


@require_POST
def participation_register(request, pk):
    dialogue, access = get_dialogue(request.user, pk)
    require_supplier_can_act(access)
    if not access.registrable_organisations:
        messages.error(request, _("Your organisation already takes part in this dialogue."))
        return redirect(dialogue)
    form = OrganisationChoiceForm(request.POST, organisations=access.registrable_organisations)
    if not form.is_valid():
        messages.error(request, _("Choose the organisation that takes part."))
        return redirect(dialogue)
    try:
        register_participation(dialogue=dialogue, organisation=form.cleaned_data["organisation"], user=request.user)
    except DialogueRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(organisation)s takes part. You get every answer the group publishes, at the same time as the others.")
            % {"organisation": form.cleaned_data["organisation"].name},
        )
    return redirect(dialogue)


@require_POST
def participation_withdraw(request, pk):
    dialogue, access = get_dialogue(request.user, pk)
    participation = get_object_or_404(
        dialogue.participations.active().select_related("organisation"),
        pk=posted_pk(request, "participation"),
        organisation__in=[o.pk for o in access.participant_organisations],
    )
    withdraw_participation(participation=participation, user=request.user)
    messages.success(
        request,
        _("%(organisation)s no longer takes part in the dialogue.") % {"organisation": participation.organisation.name},
    )
    return redirect(dialogue)


def participant_list(request, pk):
    dialogue, access = get_dialogue_for_group(request.user, pk)
    participations = dialogue.participations.select_related("organisation", "registered_by", "withdrawn_by")
    page = Paginator(participations.order_by("withdrawn_at", "registered_at", "pk"), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dialogues/participant_list.html",
        {"dialogue": dialogue, "group": dialogue.group, "access": access, "page": page},
    )
