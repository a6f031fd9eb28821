"""Questions and answers: a participant asks; the group drafts, numbers and publishes answers
and clarifications to every participant at once, and corrects them with amendments."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import users_of_organisations
from accounts.standing import code_of_conduct_refusal, suspension_refusal
from audit.models import Action
from audit.services import record as record_audit
from dialogues.models import Answer, Dialogue, Question, add_working_days
from dialogues.services.shared import DialogueRuleError, _local, _touch, group_member_users, guard_identity
from notifications.services import notify


@transaction.atomic
def ask_question(*, dialogue, organisation, user, text, requirement_number=None) -> Question:
    """A participant's question, private to the asker and the group until answered. Refused
    after the last day for questions, and from someone who has not accepted the code of conduct
    or is suspended."""
    if refusal := code_of_conduct_refusal(user) or suspension_refusal(user, dialogue.group_id):
        raise DialogueRuleError(refusal)
    now = timezone.now()
    if not dialogue.is_open:
        raise DialogueRuleError(_("The dialogue is closed and takes no new questions."))
    if now > dialogue.question_deadline:
        raise DialogueRuleError(
            _("The last day for questions was %(deadline)s. The group can no longer take questions in this dialogue.")
            % {"deadline": _local(dialogue.question_deadline)}
        )
    if not dialogue.participations.active().filter(organisation=organisation).exists():
        raise DialogueRuleError(_("Register your organisation to take part before asking a question."))
    question = Question.objects.create(
        dialogue=dialogue,
        organisation=organisation,
        asked_by=user,
        text=text,
        requirement_number=requirement_number,
        created_at=now,
        answer_due_at=add_working_days(now, dialogue.answer_days),
    )
    _touch(dialogue.group_id)
    notify(
        kind="question_received",
        recipients=group_member_users(dialogue.group),
        params={"dialogue": dialogue.title},
        place=dialogue,
        target=question,
        actor=user,
    )
    return question


@transaction.atomic
def save_answer_draft(
    *,
    dialogue,
    user,
    body,
    question_text="",
    requirement_number=None,
    questions=(),
    kind=Answer.Kind.ANSWER,
    answer=None,
    amends=None,
) -> Answer:
    """Create or change an unpublished answer or clarification. `questions` are the
    questions it answers (several near-identical ones may share one answer)."""
    if answer is not None and answer.is_published:
        raise DialogueRuleError(_("A published answer cannot be changed. Publish an amendment instead."))
    if answer is None:
        answer = Answer(dialogue=dialogue, kind=kind, created_by=user, amends=amends)
    answer.question_text = question_text
    answer.body = body
    answer.requirement_number = requirement_number
    answer.save()
    chosen = [q.pk for q in questions]
    # Questions taken off this draft become unanswered again; the chosen ones join it.
    answer.questions.exclude(pk__in=chosen).update(answer=None)
    if chosen:
        # A question already covered by a published answer stays with it.
        Question.objects.filter(dialogue=dialogue, pk__in=chosen).unanswered().update(answer=answer)
    return answer


@transaction.atomic
def publish_answer(*, answer, user, override_reason="") -> Answer:
    """Number the answer and publish it, with its question as the group worded it, to every
    participant at once. Refuses with IdentifyingText when the text identifies a participating
    supplier (dialogues/deidentify.py), unless the group overrides with a reason (audited)."""
    dialogue = Dialogue.objects.select_for_update().get(pk=answer.dialogue_id)
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if answer.is_published:
        raise DialogueRuleError(_("This answer is already published."))
    if dialogue.state == Dialogue.State.DRAFT:
        raise DialogueRuleError(_("Open the dialogue before publishing answers."))
    if answer.kind == Answer.Kind.ANSWER and not answer.questions.exists() and answer.amends_id is None:
        raise DialogueRuleError(_("Choose the question this answers, or publish it as a clarification."))
    guard_identity(
        dialogue=dialogue,
        texts=[answer.question_text, answer.body],
        user=user,
        override_reason=override_reason,
        target=answer,
    )
    answer.number = (dialogue.answers.aggregate(highest=Max("number"))["highest"] or 0) + 1
    answer.published_at = timezone.now()
    answer.published_by = user
    answer.save(update_fields=["number", "published_at", "published_by"])
    _touch(dialogue.group_id)
    detail = answer.kind if answer.amends_id is None else f"{answer.kind}, amends #{answer.amends.number}"
    record_audit(actor=user, action=Action.ANSWER_PUBLISHED, target=answer, group=dialogue.group, detail=detail)
    _notify_answer_published(dialogue=dialogue, answer=answer, user=user)
    return answer


def _notify_answer_published(*, dialogue, answer, user) -> None:
    """Every participant is told in the same transaction (equal treatment); the people of the
    organisations that asked are told that their own question is answered instead. Neither
    message names an asker."""
    askers = set(answer.questions.values_list("organisation_id", flat=True))
    others = dialogue.participations.active().exclude(organisation_id__in=askers).values("organisation_id")
    if answer.amends_id:
        variant = "amendment"
    elif answer.kind != Answer.Kind.ANSWER:
        variant = "clarification"
    else:
        variant = ""
    common = {"place": dialogue, "target": answer, "actor": user}
    notify(
        kind="answer_published",
        recipients=users_of_organisations(others),
        params={"dialogue": dialogue.title, "number": answer.number, "variant": variant},
        **common,
    )
    if askers:
        notify(
            kind="own_question_answered",
            recipients=users_of_organisations(
                dialogue.participations.active().filter(organisation_id__in=askers).values("organisation_id")
            ),
            params={"dialogue": dialogue.title, "number": answer.number},
            **common,
        )


@transaction.atomic
def publish_clarification(
    *,
    dialogue,
    user,
    body,
    question_text="",
    requirement_number=None,
    kind=Answer.Kind.CLARIFICATION,
    override_reason="",
) -> Answer:
    """The group's own clarification, published at once to every participant. Allowed after
    the last day for questions too. Checked like an answer (IdentifyingText)."""
    answer = save_answer_draft(
        dialogue=dialogue,
        user=user,
        body=body,
        question_text=question_text,
        requirement_number=requirement_number,
        kind=kind,
    )
    return publish_answer(answer=answer, user=user, override_reason=override_reason)


@transaction.atomic
def start_amendment(*, answer, user) -> Answer:
    """A correction of a published answer: a new draft that, once published, gets its own
    number and points at the entry it corrects."""
    if not answer.is_published:
        raise DialogueRuleError(_("Only a published answer can be amended; edit the draft instead."))
    if answer.is_notice:
        raise DialogueRuleError(_("A notice of an amendment or a withdrawal cannot be corrected."))
    if answer.is_withdrawn:
        raise DialogueRuleError(_("A withdrawn entry cannot be corrected. Publish a new answer or clarification."))
    return save_answer_draft(
        dialogue=answer.dialogue,
        user=user,
        body=answer.body,
        question_text=answer.question_text,
        requirement_number=answer.requirement_number,
        kind=answer.kind,
        amends=answer,
    )


@transaction.atomic
def delete_answer_draft(*, answer) -> None:
    if answer.is_published:
        raise DialogueRuleError(_("A published answer cannot be deleted. Publish an amendment instead."))
    answer.questions.update(answer=None)
    answer.delete()
