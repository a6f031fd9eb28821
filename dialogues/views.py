from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import OrganisationMember, User
from accounts.standing import code_of_conduct_refusal, keep_draft_for_code_of_conduct, take_draft
from core.inputs import posted_pk
from core.moderated import require_not_removed
from core.rate_limits import refusal, within_limit
from core.streaming import file_download
from dialogues.access import (
    conflict_clearers_text,
    get_answer_to_withdraw,
    get_conflict_to_clear,
    get_dialogue,
    get_dialogue_for_answers,
    get_dialogue_for_group,
    get_question,
    get_submission,
    require_declaration_to_open,
    require_supplier_can_act,
)
from dialogues.deidentify import identifying_matches
from dialogues.forms import (
    AmendmentForm,
    AnswerForm,
    ClearanceForm,
    DeclarationForm,
    DialogueForm,
    MeetingSlotsForm,
    MinutesForm,
    OrganisationChoiceForm,
    PublishForm,
    QuestionForm,
    SubmissionForm,
    WithdrawalForm,
)
from dialogues.models import (
    Answer,
    Dialogue,
    MeetingSlot,
    Participation,
    SubmissionAccess,
    SubmissionAttachment,
    unanswered_condition,
)
from dialogues.record import attachments_for_export, build_record, record_zip_file
from dialogues.services import (
    AmendmentRefused,
    DialogueRuleError,
    IdentifyingText,
    add_meeting_slots,
    amend_dialogue,
    ask_question,
    book_meeting_slot,
    cancel_meeting_booking,
    clear_conflict,
    close_dialogue,
    create_dialogue,
    declare_conflict,
    delete_answer_draft,
    dialogue_opening_recipients,
    log_record_export,
    log_submission_access,
    minutes_refusal,
    open_dialogue,
    publish_answer,
    publish_public_record,
    record_texts,
    register_participation,
    remove_meeting_slot,
    save_answer_draft,
    save_meeting_minutes,
    start_amendment,
    submit_proposal,
    update_dialogue,
    withdraw_answer,
    withdraw_participation,
    withdrawal_refusal,
)
from groups.access import get_group_for_workspace
from groups.diff import version_diff
from groups.services import demand_aggregate

PER_PAGE = 25


def _with_participant_counts(queryset):
    return queryset.annotate(
        participant_count=Count("participations", filter=Q(participations__withdrawn_at__isnull=True), distinct=True)
    )


# --- Listing, creating, the dialogue page ------------------------------------------------


@login_not_required
def dialogue_list(request):
    """Open dialogues for everyone, with a "take part" action for verified suppliers."""
    show_closed = request.GET.get("state") == "closed"
    dialogues = _with_participant_counts(
        Dialogue.objects.filter(state=Dialogue.State.CLOSED if show_closed else Dialogue.State.OPEN).select_related(
            "group", "need__published_version"
        )
    ).order_by("submission_deadline" if not show_closed else "-closed_at", "pk")
    page = Paginator(dialogues, PER_PAGE).get_page(request.GET.get("page"))
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
            "page": page,
            "show_closed": show_closed,
            "query_string": "state=closed" if show_closed else "",
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
    can_create = access.can_manage and group.needs.filter(state="published").exists()
    return render(
        request,
        "dialogues/group_dialogues.html",
        {"group": group, "access": access, "dialogues": dialogues, "can_create": can_create},
    )


def dialogue_create(request, slug):
    group, access = get_group_for_workspace(request.user, slug, manage=True)
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
            is_facilitator=access.group.is_facilitator,
            offer_override=offer_override,
        )

    form = amendment_form(offer_override=bool(request.POST.get("override_reason")))
    identity_matches = []
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        if not form.amendments:
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
def dialogue_detail(request, pk):
    dialogue, access = get_dialogue(request.user, pk)
    need = dialogue.need
    entries = list(dialogue.need_versions.select_related("version"))
    changes = []
    for before, after in zip(entries, entries[1:], strict=False):
        changes.append({"entry": after, "previous": before, "diff": version_diff(before.version, after.version)})
    context = {
        "dialogue": dialogue,
        "group": dialogue.group,
        "access": access,
        "need": need,
        "version": entries[-1].version if entries else need.published_version,
        "need_changes": list(reversed(changes)),
        "aggregate": demand_aggregate(need),
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
        waiting = dialogue.questions.unanswered()
        context["waiting_count"] = waiting.count()
        context["overdue_count"] = waiting.filter(answer_due_at__lt=context["now"]).count()
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


# --- Questions and answers ---------------------------------------------------------------


def question_list(request, pk):
    """The numbered answers for participants and the group; the ask form (POST asks); the
    asking organisation's own questions; for the group, the questions waiting for an answer."""
    dialogue, access = get_dialogue_for_answers(request.user, pk)
    version = dialogue.need.published_version
    form = None
    # After the deadline the form is not offered; a question typed before it passed is still
    # shown back with the service's message, so nothing is lost.
    if access.participant_organisations and (dialogue.accepts_questions() or request.method == "POST"):
        form = QuestionForm(request.POST or None, organisations=access.participant_organisations, version=version)
    if form is not None and request.method == "GET":
        form.initial.update(take_draft(request, request.path) or {})  # back from the code of conduct
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Register your organisation to take part before asking a question."))
        if code_of_conduct_refusal(request.user):
            typed = {name: request.POST.get(name, "") for name in ("text", "requirement_number", "organisation")}
            return redirect(keep_draft_for_code_of_conduct(request, data=typed, return_to=request.path))
        if not within_limit(user=request.user, action="question"):
            form.full_clean()
            form.add_error(None, refusal("question"))
            status = 429
        elif form.is_valid():
            try:
                ask_question(
                    dialogue=dialogue,
                    organisation=form.cleaned_data["organisation"],
                    user=request.user,
                    text=form.cleaned_data["text"],
                    requirement_number=form.cleaned_data["requirement_number"],
                )
            except DialogueRuleError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Your question is sent to the group. The answer is published to every participant, "
                        "without your name."
                    ),
                )
                return redirect("dialogues:question-list", pk=dialogue.pk)
    context = _question_page_context(request, dialogue, access)
    context["form"] = form
    return render(request, "dialogues/question_list.html", context, status=status)


def _question_page_context(request, dialogue, access) -> dict:
    now = timezone.now()
    answers = dialogue.answers.for_listing()
    context = {
        "dialogue": dialogue,
        "group": dialogue.group,
        "access": access,
        "now": now,
        "answers": Paginator(answers, 50).get_page(request.GET.get("page")),
        "accepts_questions": dialogue.accepts_questions(now),
    }
    if access.own_organisation_ids:
        context["own_questions"] = (
            dialogue.questions.filter(organisation__in=access.own_organisation_ids)
            .select_related("answer")
            .order_by("-created_at")
        )
    if access.can_see_all_questions:
        waiting = dialogue.questions.unanswered().select_related("organisation", "answer").order_by("created_at")
        context["waiting"] = Paginator(waiting, 50).get_page(request.GET.get("waiting_page"))
        context["drafts"] = dialogue.answers.filter(published_at__isnull=True).annotate(
            question_count=Count("questions")
        )
    return context


def question_detail(request, pk, question_pk):
    question, access = get_question(request.user, pk, question_pk)
    if not access.can_see_original_question(question):
        # Another participant: the question exists for them only as the published answer.
        return redirect(question.answer)
    return render(
        request,
        "dialogues/question_detail.html",
        {"dialogue": question.dialogue, "group": question.dialogue.group, "access": access, "question": question},
    )


def _answer_form_context(dialogue, access, form, answer=None, **extra) -> dict:
    return {"dialogue": dialogue, "group": dialogue.group, "access": access, "form": form, "answer": answer, **extra}


def answer_create(request, pk):
    """Draft an answer to a question (the group rewords the question), or a clarification on
    the group's own initiative (?kind=clarification)."""
    dialogue, access = get_dialogue(request.user, pk)
    if not access.can_answer:
        raise PermissionDenied(_("Only the group answers questions in the dialogue."))
    kind = Answer.Kind.CLARIFICATION if request.GET.get("kind") == "clarification" else Answer.Kind.ANSWER
    initial = {}
    if kind == Answer.Kind.ANSWER and (question_pk := request.GET.get("question", "")).isdigit():
        question = dialogue.questions.unanswered().filter(pk=question_pk).first()
        if question is not None:
            initial = {
                "questions": [question.pk],
                "question_text": question.text,
                "requirement_number": question.requirement_number,
            }
    form = AnswerForm(
        request.POST or None,
        initial=initial,
        dialogue=dialogue,
        version=dialogue.need.published_version,
        answer_kind=kind,
    )
    if request.method == "POST" and form.is_valid():
        try:
            answer = save_answer_draft(
                dialogue=dialogue,
                user=request.user,
                body=form.cleaned_data["body"],
                question_text=form.cleaned_data["question_text"],
                requirement_number=form.cleaned_data["requirement_number"],
                questions=form.cleaned_data.get("questions", ()),
                kind=kind,
            )
        except DialogueRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft is saved. Check it and publish it to every participant."))
            return redirect(answer)
    return render(
        request,
        "dialogues/answer_form.html",
        _answer_form_context(dialogue, access, form, kind=kind),
        status=400 if request.method == "POST" else 200,
    )


def _get_answer(user, pk, answer_pk):
    dialogue, access = get_dialogue(user, pk)
    corrections = Prefetch("amendments", queryset=Answer.objects.published().order_by("number"))
    answer = get_object_or_404(dialogue.answers.select_related("amends").prefetch_related(corrections), pk=answer_pk)
    if answer.is_published and not access.can_see_answers:
        raise PermissionDenied(_("The questions and answers are for the suppliers taking part and the group."))
    if not answer.is_published and not access.can_answer:
        raise Http404
    return dialogue, access, answer


def answer_detail(request, pk, answer_pk):
    """A published entry for everyone who may see answers; a draft for the group to edit."""
    dialogue, access, answer = _get_answer(request.user, pk, answer_pk)
    if answer.is_published:
        return render(
            request,
            "dialogues/answer_detail.html",
            {"dialogue": dialogue, "group": dialogue.group, "access": access, "answer": answer},
        )
    form = AnswerForm(
        request.POST or None,
        instance=answer,
        initial={"questions": list(answer.questions.values_list("pk", flat=True))},
        dialogue=dialogue,
        version=dialogue.need.published_version,
        answer_kind=answer.kind,
    )
    if request.method == "POST" and form.is_valid():
        save_answer_draft(
            dialogue=dialogue,
            user=request.user,
            body=form.cleaned_data["body"],
            question_text=form.cleaned_data["question_text"],
            requirement_number=form.cleaned_data["requirement_number"],
            questions=form.cleaned_data.get("questions", ()),
            answer=answer,
        )
        messages.success(request, _("The draft is saved."))
        return redirect(answer)
    return render(
        request,
        "dialogues/answer_form.html",
        _answer_form_context(
            dialogue,
            access,
            form,
            answer=answer,
            kind=answer.kind,
            covered=answer.questions.select_related("organisation"),
            identity_matches=identifying_matches(dialogue, answer.question_text, answer.body),
        ),
        status=400 if request.method == "POST" else 200,
    )


def answer_publish(request, pk, answer_pk):
    """Publishing cannot be undone: GET says what will happen and who will be told, and shows
    what the identity check holds back; POST publishes (with a reason, if held back)."""
    dialogue, access, answer = _get_answer(request.user, pk, answer_pk)
    if not access.can_manage:
        raise PermissionDenied(_("Only the group's coordinators publish answers."))
    if answer.is_published:
        messages.info(request, _("This answer is already published."))
        return redirect(answer)
    form = PublishForm(request.POST if request.method == "POST" else None)
    status, matches = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                answer = publish_answer(
                    answer=answer, user=request.user, override_reason=form.cleaned_data["override_reason"]
                )
            except IdentifyingText as held_back:
                status, matches = 409, held_back.matches
                form.add_error("override_reason", _("Reword the text, or say why it may be published anyway."))
            except DialogueRuleError as error:
                messages.error(request, str(error))
                return redirect(answer)
            else:
                messages.success(
                    request, _("Answer %(number)s is published to every participant.") % {"number": answer.number}
                )
                return redirect(answer)
    if matches is None:
        matches = identifying_matches(dialogue, answer.question_text, answer.body)
    participant_count = dialogue.participations.active().count()
    number = (dialogue.answers.aggregate(highest=Max("number"))["highest"] or 0) + 1
    if answer.amends_id:
        entry = _("Correction no. %(number)s")
    elif answer.kind == Answer.Kind.ANSWER:
        entry = _("Answer no. %(number)s")
    else:
        entry = _("Clarification no. %(number)s")
    return render(
        request,
        "dialogues/answer_publish.html",
        {
            "dialogue": dialogue,
            "group": dialogue.group,
            "access": access,
            "answer": answer,
            "form": form,
            "identity_matches": matches,
            "number": number,
            "entry": entry % {"number": number},
            "participant_count": participant_count,
            "asker_count": answer.questions.values("organisation_id").distinct().count(),
        },
        status=status,
    )


def answer_withdraw(request, pk, answer_pk):
    """The confirmation page (what happens, who is told) and the withdrawal with its reason."""
    answer, access = get_answer_to_withdraw(request.user, pk, answer_pk)
    dialogue = answer.dialogue
    if refusal := withdrawal_refusal(answer):
        messages.error(request, refusal)
        return redirect(answer)
    form = WithdrawalForm(request.POST or None, offer_override=bool(request.POST.get("override_reason")))
    identity_matches = []
    status = 400 if request.method == "POST" else 200
    participant_count = dialogue.participations.active().count()
    if request.method == "POST" and form.is_valid():
        try:
            notice = withdraw_answer(
                answer=answer,
                user=request.user,
                reason=form.cleaned_data["reason"],
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        except IdentifyingText as held:
            identity_matches = held.matches
            form = WithdrawalForm(request.POST, offer_override=True)
            form.is_valid()
            status = 409
        except DialogueRuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "Entry %(number)s is withdrawn. Notice no. %(notice)s is published to %(count)s participant.",
                    "Entry %(number)s is withdrawn. Notice no. %(notice)s is published to %(count)s participants.",
                    participant_count,
                )
                % {"number": answer.number, "notice": notice.number, "count": participant_count},
            )
            return redirect(notice)
    return render(
        request,
        "dialogues/answer_withdraw.html",
        {
            "dialogue": dialogue,
            "group": dialogue.group,
            "access": access,
            "answer": answer,
            "form": form,
            "participant_count": participant_count,
            "covered_count": answer.questions.count(),
            "identity_matches": identity_matches,
        },
        status=status,
    )


@require_POST
def answer_amend(request, pk, answer_pk):
    dialogue, access, answer = _get_answer(request.user, pk, answer_pk)
    if not access.can_answer:
        raise PermissionDenied(_("Only the group answers questions in the dialogue."))
    try:
        amendment = start_amendment(answer=answer, user=request.user)
    except DialogueRuleError as error:
        messages.error(request, str(error))
        return redirect(answer)
    messages.success(
        request,
        _("Write the correction. Once published it gets its own number and points at answer %(number)s.")
        % {"number": answer.number},
    )
    return redirect(amendment)


@require_POST
def answer_delete(request, pk, answer_pk):
    dialogue, access, answer = _get_answer(request.user, pk, answer_pk)
    try:
        delete_answer_draft(answer=answer)
    except DialogueRuleError as error:
        messages.error(request, str(error))
        return redirect(answer)
    messages.success(request, _("The draft is deleted."))
    return redirect("dialogues:question-list", pk=dialogue.pk)


# --- Submissions -------------------------------------------------------------------------


def submission_list(request, pk):
    """The group's member users see every proposal; a participating supplier sees its own and
    sends or replaces it here."""
    dialogue, access = get_dialogue(request.user, pk)
    if access.is_group_user:
        return _group_submission_list(request, dialogue, access)
    if not access.participant_organisations:
        if access.group.can_see_workspace:
            raise PermissionDenied(_("Proposals are seen only by the users of the group's member authorities."))
        require_supplier_can_act(access)
        raise PermissionDenied(_("Register your organisation to take part before sending a proposal."))
    organisations = access.participant_organisations
    own = {s.organisation_id: s for s in dialogue.submissions.filter(organisation__in=[o.pk for o in organisations])}
    chosen = _chosen_organisation(request, organisations)
    submission = own.get(chosen.pk)
    previous = submission.latest_version if submission else None
    previous_attachments = list(previous.attachments.all()) if previous else []
    form = None
    if dialogue.accepts_submissions() or request.method == "POST":
        form = SubmissionForm(
            request.POST or None,
            request.FILES or None,
            organisations=[chosen],
            previous_attachments=previous_attachments,
            initial=(
                {"text": previous.text, "secret_parts": previous.secret_parts, "secret_reason": previous.secret_reason}
                if previous
                else {}
            ),
        )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        if request.FILES and not within_limit(user=request.user, action="upload"):
            form.full_clean()
            form.add_error(None, refusal("upload"))
            status = 429
        elif form.is_valid():
            try:
                version = submit_proposal(
                    dialogue=dialogue,
                    organisation=form.cleaned_data["organisation"],
                    user=request.user,
                    text=form.cleaned_data["text"],
                    secret_parts=form.cleaned_data["secret_parts"],
                    secret_reason=form.cleaned_data["secret_reason"],
                    uploads=form.uploads,
                    keep_attachments=form.kept,
                )
            except DialogueRuleError as error:
                form.add_error(None, str(error))
            else:
                if version.number == 1:
                    messages.success(request, _("Your proposal is sent. Only your organisation and the group see it."))
                else:
                    messages.success(
                        request,
                        _("Your proposal is replaced by version %(number)s. Earlier versions are kept.")
                        % {"number": version.number},
                    )
                return redirect(version.submission)
    return render(
        request,
        "dialogues/submission_supplier.html",
        {
            "dialogue": dialogue,
            "group": dialogue.group,
            "access": access,
            "form": form,
            "submission": submission,
            "organisation": chosen,
            "organisations": organisations,
            "versions": submission.versions.select_related("submitted_by") if submission else [],
            "now": timezone.now(),
        },
        status=status,
    )


def _chosen_organisation(request, organisations):
    wanted = request.POST.get("organisation") or request.GET.get("organisation")
    return next((o for o in organisations if str(o.pk) == wanted), organisations[0])


def _group_submission_list(request, dialogue, access):
    submissions = dialogue.submissions.select_related("organisation", "latest_version").annotate(
        version_count=Count("versions")
    )
    page = Paginator(submissions.order_by("organisation__name", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogues/submission_list.html",
        {"dialogue": dialogue, "group": dialogue.group, "access": access, "page": page},
    )


def submission_detail(request, pk, submission_pk):
    submission, access = get_submission(request.user, pk, submission_pk)
    require_declaration_to_open(access, submission)
    versions = list(submission.versions.select_related("submitted_by").prefetch_related("attachments"))
    wanted = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == wanted), versions[0] if versions else None)
    if version is None:
        raise Http404
    log_submission_access(
        submission=submission, user=request.user, action=SubmissionAccess.Action.VIEW, version=version
    )
    return render(
        request,
        "dialogues/submission_detail.html",
        {
            "dialogue": submission.dialogue,
            "group": submission.dialogue.group,
            "access": access,
            "submission": submission,
            "version": version,
            "versions": versions,
        },
    )


def attachment_download(request, pk, submission_pk, attachment_pk):
    submission, access = get_submission(request.user, pk, submission_pk)
    require_declaration_to_open(access, submission)
    require_not_removed(submission, can_moderate=access.can_manage)
    attachment = get_object_or_404(
        SubmissionAttachment.objects.select_related("version"), pk=attachment_pk, version__submission=submission
    )
    log_submission_access(
        submission=submission,
        user=request.user,
        action=SubmissionAccess.Action.DOWNLOAD,
        version=attachment.version,
        attachment=attachment,
    )
    file = attachment.file.open("rb")
    response = file_download(request, file, filename=attachment.original_name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def submission_log(request, pk):
    dialogue, access = get_dialogue_for_group(request.user, pk)
    if not (access.is_group_user or access.can_manage):
        raise PermissionDenied(_("Proposals are seen only by the users of the group's member authorities."))
    entries = SubmissionAccess.objects.filter(submission__dialogue=dialogue).select_related(
        "user", "submission__organisation", "version", "attachment"
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogues/submission_log.html",
        {"dialogue": dialogue, "group": dialogue.group, "access": access, "page": page},
    )


# --- Meetings ----------------------------------------------------------------------------


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


# --- Conflicts of interest ---------------------------------------------------------------


def declaration_list(request, pk):
    """Each group user declares; coordinators and facilitators see everyone's current state and
    full history, and clear a declared conflict from here (conflict_clear)."""
    dialogue, access = get_dialogue_for_group(request.user, pk)
    if not (access.is_group_user or access.can_see_declarations):
        raise PermissionDenied(_("Conflicts of interest are declared by the users of the group's member authorities."))
    form = DeclarationForm(request.POST or None) if access.is_group_user else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(
                _("Conflicts of interest are declared by the users of the group's member authorities.")
            )
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


# --- The record --------------------------------------------------------------------------


def _export_context(request, pk):
    dialogue, access = get_dialogue_for_group(request.user, pk, manage=True)
    with_content = access.can_open_submissions
    record = build_record(dialogue, public=False, with_submission_content=with_content, user=request.user)
    log_record_export(dialogue=dialogue, user=request.user, with_submission_content=with_content)
    return dialogue, access, record


def record_page(request, pk):
    """The printable record for coordinators and facilitators."""
    dialogue, access, record = _export_context(request, pk)
    return render(
        request,
        "dialogues/record.html",
        {"dialogue": dialogue, "group": dialogue.group, "access": access, "record": record},
    )


def record_download(request, pk):
    dialogue, access, record = _export_context(request, pk)
    attachments = attachments_for_export(dialogue) if record["proposal_content_included"] else []
    printable = render_to_string("dialogues/record_print.html", {"dialogue": dialogue, "record": record}, request)
    archive = record_zip_file(record, attachments=attachments, printable=printable)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"dialogue-{dialogue.pk}-record-{stamp}.zip"
    return file_download(request, archive, filename=filename, content_type="application/zip")


@login_not_required
def public_record(request, pk):
    """The public version: everyone sees it once published; coordinators and facilitators see
    a preview and publish (or update) it."""
    dialogue, access = get_dialogue(request.user, pk)
    form, status, matches = None, 200, []
    if request.method == "POST":
        if not access.can_manage:
            raise PermissionDenied(_("Only the group's coordinators and facilitators can do this."))
        form, status = PublishForm(request.POST), 400
        if form.is_valid():
            try:
                publish_public_record(
                    dialogue=dialogue,
                    user=request.user,
                    public_record=build_record(dialogue, public=True),
                    override_reason=form.cleaned_data["override_reason"],
                )
            except IdentifyingText as held_back:
                status, matches = 409, held_back.matches
                form.add_error("override_reason", _("Reword the entries, or say why it may be published anyway."))
            else:
                messages.success(request, _("The public record is published as the dialogue's summary."))
                return redirect("dialogues:public-record", pk=dialogue.pk)
    preview = build_record(dialogue, public=True) if access.can_manage else None
    if dialogue.public_record is None and preview is None:
        raise Http404
    if preview is not None and form is None:
        form = PublishForm()
        matches = identifying_matches(dialogue, *record_texts(preview))
    return render(
        request,
        "dialogues/public_record.html",
        {
            "dialogue": dialogue,
            "group": dialogue.group,
            "access": access,
            "published": dialogue.public_record,
            "preview": preview,
            "form": form,
            "identity_matches": matches,
        },
        status=status,
    )
