"""Meetings: the group offers times, suppliers book and cancel, the group writes the minutes."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogues.access import get_dialogue_for_answers, require_supplier_can_act
from dialogues.forms import MeetingSlotsForm, MinutesForm, OrganisationChoiceForm
from dialogues.models import MeetingSlot
from dialogues.services import (
    DialogueRuleError,
    IdentifyingText,
    add_meeting_slots,
    book_meeting_slot,
    cancel_meeting_booking,
    minutes_refusal,
    remove_meeting_slot,
    save_meeting_minutes,
)


def meeting_list(request, pk):
    dialogue, access = get_dialogue_for_answers(request.user, pk)
    form = MeetingSlotsForm(request.POST or None) if access.can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the group's coordinators offer meeting times."))
        if form.is_valid():
            try:
                slots = add_meeting_slots(dialogue=dialogue, user=request.user, **form.cleaned_data)
            except DialogueRuleError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(count)s meeting times are offered.") % {"count": len(slots)})
                return redirect("dialogues:meeting-list", pk=dialogue.pk)
    slots = list(dialogue.meeting_slots.select_related("organisation", "booked_by"))
    own_ids = {o.pk for o in access.participant_organisations}
    return render(
        request,
        "dialogues/meeting_list.html",
        {
            "dialogue": dialogue,
            "group": dialogue.group,
            "access": access,
            "form": form,
            "slots": slots,
            "own_booking": next((s for s in slots if s.organisation_id in own_ids), None),
            "now": timezone.now(),
            "cancel_hours": settings.MEETING_CANCEL_HOURS,
            "booking_form": OrganisationChoiceForm(organisations=access.participant_organisations)
            if access.participant_organisations
            else None,
        },
        status=400 if request.method == "POST" else 200,
    )


def _get_slot(user, pk, slot_pk):
    dialogue, access = get_dialogue_for_answers(user, pk)
    slot = get_object_or_404(
        MeetingSlot.objects.select_related("dialogue", "organisation"), pk=slot_pk, dialogue=dialogue
    )
    return dialogue, access, slot


@require_POST
def meeting_book(request, pk, slot_pk):
    dialogue, access, slot = _get_slot(request.user, pk, slot_pk)
    require_supplier_can_act(access)
    form = OrganisationChoiceForm(request.POST, organisations=access.participant_organisations)
    if not access.participant_organisations or not form.is_valid():
        messages.error(request, _("Register your organisation to take part before booking a meeting."))
        return redirect("dialogues:meeting-list", pk=dialogue.pk)
    try:
        book_meeting_slot(slot=slot, organisation=form.cleaned_data["organisation"], user=request.user)
    except DialogueRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The meeting is booked."))
    return redirect("dialogues:meeting-list", pk=dialogue.pk)


@require_POST
def meeting_cancel(request, pk, slot_pk):
    dialogue, access, slot = _get_slot(request.user, pk, slot_pk)
    own = slot.organisation_id is not None and access.is_own(slot.organisation_id)
    if not own and not access.can_manage:
        raise PermissionDenied(_("Only the supplier that booked the meeting, or a coordinator, can cancel it."))
    try:
        cancel_meeting_booking(slot=slot, user=request.user, by_group=not own)
    except DialogueRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The booking is cancelled and the time is free again."))
    return redirect("dialogues:meeting-list", pk=dialogue.pk)


@require_POST
def meeting_remove(request, pk, slot_pk):
    dialogue, access, slot = _get_slot(request.user, pk, slot_pk)
    if not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators offer meeting times."))
    try:
        remove_meeting_slot(slot=slot, user=request.user)
    except DialogueRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The meeting time is removed."))
    return redirect("dialogues:meeting-list", pk=dialogue.pk)


def meeting_minutes(request, pk, slot_pk):
    dialogue, access, slot = _get_slot(request.user, pk, slot_pk)
    if not access.can_see_minutes(slot):
        raise Http404
    can_write = access.is_group_user and slot.is_booked and slot.clarification_id is None
    form = None
    if can_write:
        form = MinutesForm(request.POST or None, initial={"minutes": slot.minutes})
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the group's member users write the minutes of a meeting."))
        if form.is_bound and (refusal := minutes_refusal(slot)):
            form.add_error(None, refusal)  # before the meeting's start; what was typed stays
        if form.is_valid():
            try:
                published = save_meeting_minutes(
                    slot=slot,
                    user=request.user,
                    minutes=form.cleaned_data["minutes"],
                    clarification=form.cleaned_data["clarification"],
                    override_reason=form.cleaned_data["override_reason"],
                )
            except IdentifyingText as held_back:
                form.add_error("override_reason", _("Reword the clarification, or say why it may be published anyway."))
                return render(
                    request,
                    "dialogues/meeting_minutes.html",
                    {
                        "dialogue": dialogue,
                        "group": dialogue.group,
                        "access": access,
                        "slot": slot,
                        "form": form,
                        "identity_matches": held_back.matches,
                    },
                    status=409,
                )
            if published:
                messages.success(
                    request,
                    _("The minutes are saved, and clarification %(number)s is published to every participant.")
                    % {"number": published.number},
                )
            else:
                messages.success(request, _("The minutes are saved."))
            return redirect("dialogues:meeting-list", pk=dialogue.pk)
    return render(
        request,
        "dialogues/meeting_minutes.html",
        {"dialogue": dialogue, "group": dialogue.group, "access": access, "slot": slot, "form": form},
        status=400 if request.method == "POST" else 200,
    )
