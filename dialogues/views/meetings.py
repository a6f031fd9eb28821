"""Meetings: the group offers times, suppliers book and cancel, the group writes the minutes."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.ical import build_calendar, calendar_response
from dialogues.access import (
    get_dialogue_for_answers,
    get_meeting_slot,
    get_meeting_slot_for_minutes,
    require_can_cancel_booking,
    require_can_offer_meetings,
    require_can_write_minutes,
    require_supplier_can_act,
)
from dialogues.forms import MeetingSlotsForm, MinutesForm, OrganisationChoiceForm
from dialogues.ical import meeting_event
from dialogues.services.meetings import (
    add_meeting_slots,
    book_meeting_slot,
    cancel_meeting_booking,
    minutes_refusal,
    remove_meeting_slot,
    save_meeting_minutes,
)
from dialogues.services.shared import DialogueRuleError, IdentifyingText


def meeting_list(request, pk):
    dialogue, access = get_dialogue_for_answers(request.user, pk)
    form = MeetingSlotsForm(request.POST or None) if access.can_manage else None
    if request.method == "POST":
        require_can_offer_meetings(access)
        if form.is_valid():
            try:
                slots = add_meeting_slots(dialogue=dialogue, user=request.user, **form.cleaned_data)
            except DialogueRuleError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(count)s meeting times are offered.") % {"count": len(slots)})
                return redirect("dialogues:meeting-list", pk=dialogue.pk)
    slots = list(dialogue.meeting_slots.select_related("organisation", "booked_by", "cancelled_organisation"))
    for slot in slots:
        slot.in_calendar = meeting_event(access, slot) is not None  # the download link is shown
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


@require_POST
def meeting_book(request, pk, slot_pk):
    dialogue, access, slot = get_meeting_slot(request.user, pk, slot_pk)
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
    dialogue, access, slot = get_meeting_slot(request.user, pk, slot_pk)
    require_can_cancel_booking(access, slot)
    try:
        cancel_meeting_booking(slot=slot, user=request.user, by_group=not access.is_own_booking(slot))
    except DialogueRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The booking is cancelled and the time is free again."))
    return redirect("dialogues:meeting-list", pk=dialogue.pk)


@require_POST
def meeting_remove(request, pk, slot_pk):
    dialogue, access, slot = get_meeting_slot(request.user, pk, slot_pk)
    require_can_offer_meetings(access)
    try:
        remove_meeting_slot(slot=slot, user=request.user)
    except DialogueRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The meeting time is removed."))
    return redirect("dialogues:meeting-list", pk=dialogue.pk)


def meeting_minutes(request, pk, slot_pk):
    dialogue, access, slot = get_meeting_slot_for_minutes(request.user, pk, slot_pk)
    form = None
    if access.can_write_minutes(slot):
        form = MinutesForm(request.POST or None, initial={"minutes": slot.minutes})
    if request.method == "POST":
        require_can_write_minutes(access, slot)
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


@require_GET
def meeting_calendar(request, pk, slot_pk):
    """One meeting as an .ics file, for those whose calendar it belongs in (404 for the others)."""
    dialogue, access, slot = get_meeting_slot(request.user, pk, slot_pk)
    event = meeting_event(access, slot)
    if event is None:
        raise Http404
    return calendar_response(build_calendar(name=event.summary, events=[event]), filename=f"meeting-{slot.pk}.ics")
