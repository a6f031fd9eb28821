"""Every kind of notification: its label on the preferences page, its message and its default
delivery (PRODUCT.md §2.6).

Messages are translatable text with %(name)s placeholders that `notify` fills from `params` in
the recipient's language when the item is shown or e-mailed, never when it is stored. A kind
with several outcomes has one message per `variant` (params["variant"]). The params each kind
expects are listed beside it: callers pass exactly those (missing ones show as "…").
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    JOIN_REQUEST = "join_request", _("Requests to join a group you coordinate")
    ORGANISATION_JOIN_REQUEST = "organisation_join_request", _("Requests to join an organisation you administer")
    MEMBERSHIP_DECIDED = "membership_decided", _("Decisions on your organisation's requests to join groups")
    GROUP_INVITATION = "group_invitation", _("Invitations for your organisation to join a group")
    ORGANISATION_INVITATION = (
        "organisation_invitation",
        _("Invitations to join an organisation (the invitation itself always comes by e-mail)"),
    )
    ORGANISATION_REVIEWED = "organisation_reviewed", _("Verification of your organisation")
    NEED_REVIEW = "need_review", _("Need statements sent for review")
    NEED_PUBLISHED = "need_published", _("Need statements published or republished")
    DIALOGUE_OPENED = "dialogue_opened", _("Market dialogues opened")
    QUESTION_RECEIVED = "question_received", _("New questions from suppliers to your group")
    ANSWER_PUBLISHED = "answer_published", _("Answers published in dialogues you take part in")
    OWN_QUESTION_ANSWERED = "own_question_answered", _("Answers to your own questions")
    DIALOGUE_AMENDED = "dialogue_amended", _("Amendments and withdrawn answers in dialogues you take part in")
    CONFLICT_CLEARED = "conflict_cleared", _("Clearance of a conflict of interest you declared")
    SUBMISSION_RECEIVED = "submission_received", _("Proposals sent to your group")
    MEETING_BOOKED = "meeting_booked", _("Dialogue meetings booked")
    MEETING_CANCELLED = "meeting_cancelled", _("Dialogue meetings cancelled")
    MENTION = "mention", _("Someone mentions you")
    THREAD_MESSAGE = "thread_message", _("New messages in threads you follow")
    MODERATION_ACTION = "moderation_action", _("Moderation of what you wrote")
    DEADLINE_REMINDER = "deadline_reminder", _("Reminders of question and proposal deadlines")
    MEETING_REMINDER = "meeting_reminder", _("Reminders of dialogue meetings")
    QUESTION_OVERDUE = "question_overdue", _("Supplier questions waiting past the promised answer time")
    CONTENT_REPORTED = "content_reported", _("Reports of content in places you moderate")


class Delivery(models.TextChoices):
    """How a person wants e-mail about a kind; the notification centre always shows everything."""

    IMMEDIATELY = "immediately", _("E-mail at once")
    DIGEST = "digest", _("In the daily digest")
    OFF = "off", _("No e-mail")


@dataclass(frozen=True)
class KindInfo:
    default: str
    messages: dict[str, Promise] = field(default_factory=dict)  # variant → message; "" is the default


KINDS: dict[str, KindInfo] = {
    # params: organisation, group
    Kind.JOIN_REQUEST: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("%(organisation)s asks to join %(group)s.")},
    ),
    # params: person, organisation
    Kind.ORGANISATION_JOIN_REQUEST: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("%(person)s asks to join %(organisation)s.")},
    ),
    # params: variant ("approved" | "declined"), organisation, group, reason
    Kind.MEMBERSHIP_DECIDED: KindInfo(
        Delivery.IMMEDIATELY,
        {
            "approved": _("%(organisation)s is now a member of %(group)s."),
            "declined": _("%(group)s declined the request from %(organisation)s. Reason: %(reason)s"),
        },
    ),
    # params: organisation, group
    Kind.GROUP_INVITATION: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("%(organisation)s is invited to join %(group)s.")},
    ),
    # params: person (who invites), organisation
    Kind.ORGANISATION_INVITATION: KindInfo(
        Delivery.OFF,
        {"": _("%(person)s invites you to join %(organisation)s.")},
    ),
    # params: variant ("verified" | "rejected"), organisation, reason
    Kind.ORGANISATION_REVIEWED: KindInfo(
        Delivery.IMMEDIATELY,
        {
            "verified": _("Upphandlingsmyndigheten has verified %(organisation)s."),
            "rejected": _("Upphandlingsmyndigheten could not verify %(organisation)s. Reason: %(reason)s"),
        },
    ),
    # params: need, group
    Kind.NEED_REVIEW: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("The need statement %(need)s in %(group)s is ready for review.")},
    ),
    # params: variant ("published" | "republished"), need, group
    Kind.NEED_PUBLISHED: KindInfo(
        Delivery.IMMEDIATELY,
        {
            "published": _("%(group)s published the need statement %(need)s."),
            "republished": _("%(group)s published a new version of the need statement %(need)s."),
        },
    ),
    # params: group, dialogue
    Kind.DIALOGUE_OPENED: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("%(group)s opened the market dialogue %(dialogue)s.")},
    ),
    # params: dialogue (never the asking supplier: the group sees that on the page)
    Kind.QUESTION_RECEIVED: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("A supplier asked a new question in %(dialogue)s.")},
    ),
    # params: dialogue, number; variant "" (an answer) | "clarification" | "amendment"
    Kind.ANSWER_PUBLISHED: KindInfo(
        Delivery.IMMEDIATELY,
        {
            "": _("The group published a new answer in %(dialogue)s."),
            "clarification": _("The group published a clarification in %(dialogue)s."),
            "amendment": _("The group published a correction of an earlier answer in %(dialogue)s."),
        },
    ),
    # params: dialogue
    Kind.OWN_QUESTION_ANSWERED: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("Your question in %(dialogue)s has been answered.")},
    ),
    # params: dialogue, number; variant "change" (dates, terms, meeting plan or need version) | "withdrawal"
    Kind.DIALOGUE_AMENDED: KindInfo(
        Delivery.IMMEDIATELY,
        {
            "change": _("The group published amendment no. %(number)s to %(dialogue)s."),
            "withdrawal": _("The group withdrew an earlier answer in %(dialogue)s (notice no. %(number)s)."),
        },
    ),
    # params: dialogue, person (who cleared it), reason
    Kind.CONFLICT_CLEARED: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("%(person)s cleared the conflict of interest you declared in %(dialogue)s. Reason: %(reason)s")},
    ),
    # params: variant ("new" | "replaced"), organisation, dialogue
    Kind.SUBMISSION_RECEIVED: KindInfo(
        Delivery.IMMEDIATELY,
        {
            "new": _("%(organisation)s sent a proposal in %(dialogue)s."),
            "replaced": _("%(organisation)s replaced its proposal in %(dialogue)s."),
        },
    ),
    # params: organisation (the supplier), dialogue, starts_at (a datetime)
    Kind.MEETING_BOOKED: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("%(organisation)s booked a meeting in %(dialogue)s on %(starts_at)s.")},
    ),
    # params: organisation (the supplier), dialogue, starts_at (a datetime)
    Kind.MEETING_CANCELLED: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("The meeting with %(organisation)s in %(dialogue)s on %(starts_at)s is cancelled.")},
    ),
    # params: person, thread; variant "supplier" (another supplier in a dialogue's open discussion,
    # known to the recipient only by its label): letter ("B" for "Supplier B") instead of person
    Kind.MENTION: KindInfo(
        Delivery.IMMEDIATELY,
        {
            "": _("%(person)s mentioned you in %(thread)s."),
            "supplier": _("Supplier %(letter)s mentioned you in %(thread)s."),
        },
    ),
    # params: person, thread; variant "supplier": letter instead of person (as for MENTION)
    Kind.THREAD_MESSAGE: KindInfo(
        Delivery.DIGEST,
        {
            "": _("%(person)s wrote in %(thread)s."),
            "supplier": _("Supplier %(letter)s wrote in %(thread)s."),
        },
    ),
    # params: variant ("hidden" | "restored" | "suspended" | "suspended_until" | "lifted"), place, reason,
    # until (a datetime, for "suspended_until")
    Kind.MODERATION_ACTION: KindInfo(
        Delivery.IMMEDIATELY,
        {
            "hidden": _("A moderator hid what you wrote in %(place)s. Reason: %(reason)s"),
            "restored": _("A moderator restored what you wrote in %(place)s."),
            "suspended": _("A moderator suspended you from %(place)s. Reason: %(reason)s"),
            "suspended_until": _("A moderator suspended you from %(place)s until %(until)s. Reason: %(reason)s"),
            "lifted": _("Your suspension from %(place)s is lifted."),
        },
    ),
    # params: variant ("question" | "submission"), dialogue, deadline (a datetime)
    Kind.DEADLINE_REMINDER: KindInfo(
        Delivery.IMMEDIATELY,
        {
            "question": _("Questions in %(dialogue)s can be asked until %(deadline)s."),
            "submission": _("Proposals in %(dialogue)s can be sent until %(deadline)s."),
        },
    ),
    # params: dialogue, starts_at (a datetime)
    Kind.MEETING_REMINDER: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("Your meeting in %(dialogue)s starts %(starts_at)s.")},
    ),
    # params: dialogue, asked_at (a datetime)
    Kind.QUESTION_OVERDUE: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("A supplier question in %(dialogue)s has waited for an answer since %(asked_at)s.")},
    ),
    # params: place, reason
    Kind.CONTENT_REPORTED: KindInfo(
        Delivery.IMMEDIATELY,
        {"": _("Someone reported content in %(place)s. Reason: %(reason)s")},
    ),
}


def default_delivery(kind: str) -> str:
    return KINDS[kind].default


def message_for(kind: str, variant: str = "") -> Promise:
    messages = KINDS[kind].messages
    return messages.get(variant) or messages.get("") or next(iter(messages.values()))
