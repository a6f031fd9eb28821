"""Questions and answers: suppliers ask; the group drafts, publishes, corrects and withdraws its
numbered answers and clarifications."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.standing import code_of_conduct_refusal, keep_draft_for_code_of_conduct, take_draft
from core.rate_limits import refusal, within_limit
from dialogues.access import (
    get_answer,
    get_answer_for_publishing,
    get_answer_to_withdraw,
    get_dialogue,
    get_dialogue_for_answers,
    get_question,
    require_can_answer,
    require_can_ask,
)
from dialogues.deidentify import identifying_matches
from dialogues.forms import AnswerForm, PublishForm, QuestionForm, WithdrawalForm
from dialogues.models import Answer
from dialogues.services.amendments import withdraw_answer, withdrawal_refusal
from dialogues.services.answers import (
    ask_question,
    delete_answer_draft,
    publish_answer,
    save_answer_draft,
    start_amendment,
)
from dialogues.services.shared import DialogueRuleError, IdentifyingText


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
        require_can_ask(access)
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
    require_can_answer(access)
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


def answer_detail(request, pk, answer_pk):
    """A published entry for everyone who may see answers; a draft for the group to edit."""
    dialogue, access, answer = get_answer(request.user, pk, answer_pk)
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
    dialogue, access, answer = get_answer_for_publishing(request.user, pk, answer_pk)
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
    dialogue, access, answer = get_answer(request.user, pk, answer_pk)
    require_can_answer(access)
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
    dialogue, access, answer = get_answer(request.user, pk, answer_pk)
    try:
        delete_answer_draft(answer=answer)
    except DialogueRuleError as error:
        messages.error(request, str(error))
        return redirect(answer)
    messages.success(request, _("The draft is deleted."))
    return redirect("dialogues:question-list", pk=dialogue.pk)
