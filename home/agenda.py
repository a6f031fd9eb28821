"""Each person's agenda, "To do" (PRODUCT.md §2.9b): what waits for them across the platform,
each thing with its due date and a link straight to the page where it is done.

Who does what is the apps' own rules, read through their access querysets (groups.access,
dialogues.access, moderation.access), so the agenda never shows what the person may not see:
- coordinators decide the join requests of the groups they lead and answer suppliers' questions;
- the people of an invited organisation answer its invitation to a group, a person invited by
  e-mail answers the invitation to an organisation, and an organisation's administrators decide
  who asks to join it by e-mail domain;
- a group's members and observers review a need sent for review, and the people of a member
  authority state its commitment to the need;
- the users of a group's member authorities declare their conflicts of interest before they can
  open proposals;
- suppliers see their own questions waiting for an answer;
- everyone sees the deadlines and booked meetings of the next two weeks in their dialogues, as
  their calendar feed has them (dialogues.ical.dialogues_of_calendar);
- facilitators see the organisations waiting for verification, and moderators the open reports.
Facilitators see every group, but their agenda holds only the groups they coordinate or work in:
the facilitator console is where the whole platform's waiting things are.

Each source costs at most one query however many groups there are, and only a source that can
concern the person runs (a supplier has no join requests to decide), so the page and the count
in the header (home.context_processors.agenda) cost the same whatever the person's reach.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, Count, Exists, F, Min, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import DomainJoinRequest, Invitation, Organisation, OrganisationMember
from dialogues.access import dialogues_taken_part_in_by
from dialogues.ical import dialogues_of_calendar
from dialogues.models import ConflictDeclaration, Dialogue, MeetingSlot, Participation, Question, Submission
from dialogues.models.dialogue import unanswered_condition
from groups.access import groups_of_member_user, groups_with_workspace_for
from groups.models import BuyerGroup, Coordinator, Endorsement, Membership, NeedStatement
from moderation.access import reports_for_moderator

logger = logging.getLogger(__name__)

# Deadlines, meetings and supplier questions come onto the agenda this many days before they are due.
HORIZON = timedelta(days=14)
WEEK = timedelta(days=7)
# No source brings more than this many rows (a page of a thousand things to do helps nobody).
SOURCE_LIMIT = 100

OVERDUE, THIS_WEEK, LATER, UNDATED = "overdue", "this-week", "later", "undated"
URGENCY_ORDER = {OVERDUE: 0, THIS_WEEK: 1, LATER: 2, UNDATED: 3}
SECTION_HEADINGS = {
    OVERDUE: gettext_lazy("Overdue"),
    THIS_WEEK: gettext_lazy("Within a week"),
    LATER: gettext_lazy("Later"),
    UNDATED: gettext_lazy("Without a date"),
}


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # which source it comes from ("join-request", "meeting"…)
    title: str  # what to do, in the platform's words
    place: object | None  # the group, dialogue or organisation it concerns: its name is user content
    due: datetime | None
    url: str  # the page where it is done
    urgency: str  # OVERDUE, THIS_WEEK, LATER or UNDATED
    due_label: str = ""  # what the date is ("Answer promised by", "Starts"…)
    detail: str = ""  # a user text that says which (a need's title, a question), in the place's language
    since: datetime | None = None  # when it began waiting, for what has no due date

    @property
    def is_overdue(self) -> bool:
        return self.urgency == OVERDUE


def _urgency(due, now, *, can_be_late=True) -> str:
    """A task past its due time is overdue; a meeting that has begun is simply today's."""
    if due is None:
        return UNDATED
    if due < now and can_be_late:
        return OVERDUE
    return THIS_WEEK if due <= now + WEEK else LATER


def sort_key(item: AgendaItem):
    """Overdue first, then by due date; things without a date last, the longest waiting first."""
    moment = item.due or item.since
    return (URGENCY_ORDER[item.urgency], moment is None, moment.timestamp() if moment else 0, item.title, item.url)


@dataclass
class Person:
    """What the sources need to know of the person, read from their affiliations (which the request
    has already loaded) and one query for whether they coordinate a group."""

    user: object
    now: datetime

    @cached_property
    def organisations(self) -> list[Organisation]:
        return [a.organisation for a in self.user.active_affiliations]

    @cached_property
    def by_id(self) -> dict:
        return {o.pk: o for o in self.organisations}

    @cached_property
    def group_organisation_ids(self) -> list[int]:
        """Verified organisations that can be in a group (authorities, the facilitating agency)."""
        return [o.pk for o in self.organisations if o.is_verified and not o.is_supplier]

    @cached_property
    def authority_ids(self) -> list[int]:
        return [o.pk for o in self.organisations if o.is_verified and o.is_authority]

    @cached_property
    def supplier_ids(self) -> list[int]:
        return [o.pk for o in self.organisations if o.is_verified and o.is_supplier]

    @cached_property
    def admin_ids(self) -> list[int]:
        return [a.organisation_id for a in self.user.active_affiliations if a.role == OrganisationMember.Role.ADMIN]

    @cached_property
    def coordinates(self) -> bool:
        """Whether the person leads any group. Only a verified authority's people (or a facilitator)
        see a workspace, so nobody else needs the query."""
        if not self.group_organisation_ids:
            return False
        return Coordinator.objects.filter(user=self.user).exists()

    @cached_property
    def end(self) -> datetime:
        """The end of the last day of the horizon: "the next 14 days" holds the whole 14th day."""
        last_day = timezone.localtime(self.now) + HORIZON
        return last_day.replace(hour=23, minute=59, second=59, microsecond=999999)

    def item(self, kind, title, place, due, url, *, can_be_late=True, **extra) -> AgendaItem:
        return AgendaItem(
            kind=kind,
            title=title,
            place=place,
            due=due,
            url=url,
            urgency=_urgency(due, self.now, can_be_late=can_be_late),
            **extra,
        )


def _coordinated_groups(person: Person):
    """The groups the person leads and whose workspace they see (get_group_for_workspace with
    manage=True lets a coordinator in; a facilitator's agenda holds only the groups they lead)."""
    # A subquery, not the ids: a coordinator of a thousand groups would send a thousand parameters.
    led = Coordinator.objects.filter(user=person.user).values("group_id")
    return groups_with_workspace_for(person.user).filter(pk__in=led)


def _own_groups(person: Person):
    """The groups the person works in: their workspace groups, and for facilitators (who see every
    workspace) the groups they coordinate or work in, as in their calendar feed."""
    user = person.user
    if user.is_facilitator:
        return BuyerGroup.objects.filter(
            Q(pk__in=groups_of_member_user(user).values("pk")) | Q(coordinators__user=user)
        )
    return groups_with_workspace_for(user)


# --- The sources: one query each, at most -------------------------------------------------


def join_requests_to_decide(person: Person) -> list[AgendaItem]:
    if not person.coordinates:
        return []
    memberships = (
        Membership.objects.filter(status=Membership.Status.REQUESTED, group__in=_coordinated_groups(person).ongoing())
        .select_related("group", "organisation")
        .order_by("created_at", "pk")[:SOURCE_LIMIT]
    )
    return [
        person.item(
            "join-request",
            _("Decide on the request to join from %(organisation)s") % {"organisation": m.organisation.name},
            m.group,
            None,
            reverse("groups:membership-decide", args=[m.group.slug, m.pk]),
            since=m.created_at,
        )
        for m in memberships
    ]


def group_invitations_to_answer(person: Person) -> list[AgendaItem]:
    """Invitations of the person's verified organisations to a group (groups.access.get_invitation_to_answer)."""
    if not person.group_organisation_ids:
        return []
    memberships = (
        Membership.objects.filter(
            status=Membership.Status.INVITED,
            organisation_id__in=person.group_organisation_ids,
            group__outcome="",
        )
        .select_related("group")
        .order_by("created_at", "pk")[:SOURCE_LIMIT]
    )
    return [
        person.item(
            "group-invitation",
            _("Answer the invitation for %(organisation)s to join the group")
            % {"organisation": person.by_id[m.organisation_id].name},
            m.group,
            None,
            m.group.get_absolute_url(),
            since=m.created_at,
        )
        for m in memberships
    ]


def organisation_invitations_to_answer(person: Person) -> list[AgendaItem]:
    """Invitations to join an organisation sent to one of the person's verified addresses (as on
    the dashboard), until they expire."""
    user = person.user
    invitations = (
        Invitation.objects.pending()
        .filter(email__in=user.emailaddress_set.filter(verified=True).values("email"))
        .exclude(organisation__staff__user=user)
        .select_related("organisation")
        .order_by("expires_at", "pk")[:SOURCE_LIMIT]
    )
    return [
        person.item(
            "organisation-invitation",
            _("Answer the invitation to join %(organisation)s") % {"organisation": i.organisation.name},
            i.organisation,
            i.expires_at,
            i.get_absolute_url(),
            due_label=_("Expires"),
        )
        for i in invitations
    ]


def domain_join_requests_to_decide(person: Person) -> list[AgendaItem]:
    """People asking to join an organisation the person administers (accounts.views.domain_join_decide)."""
    if not person.admin_ids:
        return []
    requests = (
        DomainJoinRequest.objects.filter(status=DomainJoinRequest.Status.PENDING, organisation_id__in=person.admin_ids)
        .select_related("user")
        .order_by("created_at", "pk")[:SOURCE_LIMIT]
    )
    return [
        person.item(
            "domain-join-request",
            _("Decide whether %(person)s may join") % {"person": r.user.display_name},
            person.by_id[r.organisation_id],
            None,
            reverse("accounts:organisation-detail", args=[r.organisation_id]) + "#requests-heading",
            since=r.created_at,
        )
        for r in requests
    ]


def needs_to_review(person: Person) -> list[AgendaItem]:
    """Need statements sent for review in the groups the person works in (members and observers
    are the ones told of it, groups.services.needs)."""
    if not person.group_organisation_ids and not person.coordinates:
        return []
    needs = (
        NeedStatement.objects.filter(state=NeedStatement.State.IN_REVIEW, group__in=_own_groups(person).ongoing())
        .select_related("group", "current_version")
        .order_by("created_at", "pk")[:SOURCE_LIMIT]
    )
    return [
        person.item(
            "need-review",
            _("Review the need statement"),
            need.group,
            None,
            need.get_absolute_url(),
            detail=str(need),
        )
        for need in needs
    ]


def commitments_to_state(person: Person) -> list[AgendaItem]:
    """Needs in review or published on which a member authority of the person has stated no
    commitment yet (groups.access.get_organisation_to_endorse_for: its people state it)."""
    if not person.authority_ids:
        return []
    membership = "group__memberships__"
    needs = (
        NeedStatement.objects.filter(
            state__in=[NeedStatement.State.IN_REVIEW, NeedStatement.State.PUBLISHED],
            group__outcome="",
            **{
                f"{membership}organisation_id__in": person.authority_ids,
                f"{membership}status": Membership.Status.ACTIVE,
                f"{membership}role": Membership.Role.MEMBER,
            },
        )
        # the same join as the filter above: one row per need and member authority of the person
        .annotate(authority_id=F(f"{membership}organisation_id"))
        .exclude(Exists(Endorsement.objects.filter(need=OuterRef("pk"), organisation=OuterRef("authority_id"))))
        .select_related("group", "current_version")
        .order_by("created_at", "pk")[:SOURCE_LIMIT]
    )
    return [
        person.item(
            "commitment",
            _("State the commitment of %(organisation)s") % {"organisation": person.by_id[need.authority_id].name},
            need.group,
            None,
            reverse("groups:endorsement-edit", args=[need.group.slug, need.pk, need.authority_id]),
            detail=str(need),
        )
        for need in needs
    ]


def declarations_to_make(person: Person) -> list[AgendaItem]:
    """Dialogues of the groups where the person works for a member authority, in which they have
    not declared whether they have a conflict of interest: open ones, and closed ones whose
    proposals wait to be read (DialogueAccess.needs_declaration)."""
    if not person.authority_ids:
        return []
    user = person.user
    has_proposals = Exists(Submission.objects.filter(dialogue=OuterRef("pk")))
    dialogues = (
        Dialogue.objects.published()
        .filter(group__in=groups_of_member_user(user))
        .filter(Q(state=Dialogue.State.OPEN) | (Q(group__outcome="") & has_proposals))
        .exclude(Exists(ConflictDeclaration.objects.filter(dialogue=OuterRef("pk"), user=user)))
        .select_related("group")
        .order_by("submission_deadline", "pk")[:SOURCE_LIMIT]
    )
    return [
        person.item(
            "declaration",
            _("Declare whether you have a conflict of interest, before you open proposals"),
            dialogue,
            dialogue.submission_deadline,
            reverse("dialogues:declaration-list", args=[dialogue.pk]),
            due_label=_("Deadline for proposals"),
        )
        for dialogue in dialogues
    ]


def questions_to_answer(person: Person) -> list[AgendaItem]:
    """Suppliers' questions that wait for the group's answer and are near or past the promised
    answer time, in the dialogues of the groups the person coordinates: one line per dialogue."""
    if not person.coordinates:
        return []
    waiting = unanswered_condition("questions__") & Q(questions__hidden_at__isnull=True)
    dialogues = (
        Dialogue.objects.published()
        .filter(group__in=_coordinated_groups(person))
        .annotate(
            waiting_count=Count("questions", filter=waiting, distinct=True),
            first_due=Min("questions__answer_due_at", filter=waiting),
        )
        .filter(waiting_count__gt=0, first_due__lte=person.end)
        .select_related("group")
        .order_by("first_due", "pk")[:SOURCE_LIMIT]
    )
    return [
        person.item(
            "questions",
            ngettext(
                "Answer %(count)s supplier question",
                "Answer %(count)s supplier questions",
                dialogue.waiting_count,
            )
            % {"count": dialogue.waiting_count},
            dialogue,
            dialogue.first_due,
            reverse("dialogues:question-list", args=[dialogue.pk]) + "#waiting-heading",
            due_label=_("Answer promised by"),
        )
        for dialogue in dialogues
    ]


def own_questions_waiting(person: Person) -> list[AgendaItem]:
    """A supplier's own questions that have no published answer yet (their organisation asked
    them: DialogueAccess.is_own), with the answer time the group promised."""
    if not person.supplier_ids:
        return []
    questions = (
        Question.objects.unanswered()
        .filter(
            organisation_id__in=person.supplier_ids,
            hidden_at__isnull=True,
            dialogue__state__in=[Dialogue.State.OPEN, Dialogue.State.CLOSED],
        )
        .select_related("dialogue__group")
        .order_by("answer_due_at", "pk")[:SOURCE_LIMIT]
    )
    return [
        person.item(
            "own-question",
            _("Your question is waiting for the group's answer"),
            question.dialogue,
            question.answer_due_at,
            question.get_absolute_url(),
            due_label=_("Answer promised by"),
            detail=Truncator(question.text).chars(120),
        )
        for question in questions
    ]


def deadlines_coming(person: Person) -> list[AgendaItem]:
    """The last day for questions and the deadline for proposals of the person's open dialogues,
    in the next two weeks: for suppliers, linking to where they ask and send; for the group, to
    the dialogue."""
    if not person.group_organisation_ids and not person.supplier_ids:
        return []
    user = person.user
    taking_part = (
        Exists(Participation.objects.active().filter(dialogue=OuterRef("pk"), organisation_id__in=person.supplier_ids))
        if person.supplier_ids
        else Value(False, output_field=BooleanField())
    )
    window = (person.now, person.end)
    dialogues = (
        Dialogue.objects.open()
        .filter(pk__in=dialogues_of_calendar(user).values("pk"))
        .filter(Q(question_deadline__range=window) | Q(submission_deadline__range=window))
        .annotate(taking_part=taking_part)
        .select_related("group")
        .order_by("question_deadline", "pk")[:SOURCE_LIMIT]
    )
    items = []
    for dialogue in dialogues:
        dialogue_url = dialogue.get_absolute_url()
        deadlines = (
            (
                "question-deadline",
                _("Last day for questions"),
                dialogue.question_deadline,
                reverse("dialogues:question-list", args=[dialogue.pk]) if dialogue.taking_part else dialogue_url,
            ),
            (
                "proposal-deadline",
                _("Deadline for proposals"),
                dialogue.submission_deadline,
                reverse("dialogues:submission-list", args=[dialogue.pk]) if dialogue.taking_part else dialogue_url,
            ),
        )
        items += [
            person.item(kind, title, dialogue, due, url, can_be_late=False, due_label=_("Deadline"))
            for kind, title, due, url in deadlines
            if window[0] <= due <= window[1]
        ]
    return items


def meetings_coming(person: Person) -> list[AgendaItem]:
    """Booked one-to-one meetings of the next two weeks: a supplier's own, and every booked one in
    the dialogues of the groups the person works in (as in their calendar feed, dialogues.ical)."""
    if not person.group_organisation_ids and not person.supplier_ids:
        return []
    user = person.user
    theirs = Q(dialogue__group__in=_own_groups(person))
    if person.supplier_ids:
        theirs |= Q(organisation_id__in=person.supplier_ids, dialogue__in=dialogues_taken_part_in_by(user))
    slots = (
        MeetingSlot.objects.filter(organisation__isnull=False, ends_at__gte=person.now, starts_at__lte=person.end)
        .filter(dialogue__state__in=[Dialogue.State.OPEN, Dialogue.State.CLOSED])
        .filter(theirs)
        .select_related("dialogue__group", "organisation")
        .order_by("starts_at", "pk")[:SOURCE_LIMIT]
    )
    return [
        person.item(
            "meeting",
            _("Meeting with %(party)s")
            % {
                "party": slot.dialogue.group.name
                if slot.organisation_id in person.supplier_ids
                else slot.organisation.name
            },
            slot.dialogue,
            slot.starts_at,
            reverse("dialogues:meeting-list", args=[slot.dialogue_id]),
            can_be_late=False,
            due_label=_("Starts"),
        )
        for slot in slots
    ]


def organisations_to_verify(person: Person) -> list[AgendaItem]:
    if not person.user.is_facilitator:
        return []
    waiting = Organisation.objects.awaiting_review().aggregate(count=Count("pk"), oldest=Min("created_at"))
    if not waiting["count"]:
        return []
    return [
        person.item(
            "organisations",
            ngettext("Verify %(count)s organisation", "Verify %(count)s organisations", waiting["count"])
            % {"count": waiting["count"]},
            None,
            None,
            reverse("accounts:organisation-review-list"),
            since=waiting["oldest"],
        )
    ]


def reports_to_decide(person: Person) -> list[AgendaItem]:
    """Open reports in the groups the person moderates, but for their own (nobody decides on a
    report they filed)."""
    user = person.user
    if not (user.is_facilitator or person.coordinates):
        return []
    waiting = (
        reports_for_moderator(user).open().exclude(reporter=user).aggregate(count=Count("pk"), oldest=Min("created_at"))
    )
    if not waiting["count"]:
        return []
    return [
        person.item(
            "reports",
            ngettext("Decide on %(count)s report", "Decide on %(count)s reports", waiting["count"])
            % {"count": waiting["count"]},
            None,
            None,
            reverse("moderation:report-queue"),
            since=waiting["oldest"],
        )
    ]


SOURCES = (
    join_requests_to_decide,
    group_invitations_to_answer,
    organisation_invitations_to_answer,
    domain_join_requests_to_decide,
    needs_to_review,
    commitments_to_state,
    declarations_to_make,
    questions_to_answer,
    own_questions_waiting,
    deadlines_coming,
    meetings_coming,
    organisations_to_verify,
    reports_to_decide,
)


def agenda_for(user, now=None) -> list[AgendaItem]:
    """Everything on the person's agenda, the most urgent first; nothing for anonymous visitors."""
    if not user.is_authenticated:
        return []
    person = Person(user=user, now=now or timezone.now())
    return sorted((item for source in SOURCES for item in source(person)), key=sort_key)


def sections(items: list[AgendaItem]) -> list[tuple[str, str, list[AgendaItem]]]:
    """The sorted items as (key, heading, items) for the page, leaving out the empty groups."""
    grouped = {key: [] for key in URGENCY_ORDER}
    for item in items:
        grouped[item.urgency].append(item)
    return [(key, SECTION_HEADINGS[key], grouped[key]) for key in URGENCY_ORDER if grouped[key]]


# The header's count is the agenda's length, which costs a dozen queries to work out. Every
# signed-in page shows it, so it is kept for a minute per person: the person's own actions (any
# POST, home.middleware.AgendaCountMiddleware) and a visit to the agenda make it fresh at once;
# what others do reaches the header within settings.AGENDA_COUNT_SECONDS (the agenda page itself
# is always fresh). 0 turns the cache off (the test suite does, so that query counts do not depend
# on which request came first).


def count_key(user_pk: int) -> str:
    return f"agenda-count:{user_pk}"


def forget_count(user_pk: int) -> None:
    try:
        cache.delete(count_key(user_pk))
    except Exception:  # the cache is an optimisation: Redis away must not fail the request
        logger.warning("agenda count: the cache could not be cleared", exc_info=True)


class AgendaCount:
    """The header's count and whether anything is overdue, worked out once per request and only
    if a template asks, from the cache when it has them; a page that already has the items (the
    agenda itself) passes them in and refreshes the cache."""

    def __init__(self, user, items=None, cached=None):
        self.user = user
        if items is not None:
            self.__dict__["figures"] = self._remember(items)
        elif cached is not None and settings.AGENDA_COUNT_SECONDS:  # read with a kept page
            self.__dict__["figures"] = tuple(cached)

    def _remember(self, items) -> tuple[int, int]:
        figures = (len(items), sum(item.is_overdue for item in items))
        if not settings.AGENDA_COUNT_SECONDS:
            return figures
        try:
            cache.set(count_key(self.user.pk), figures, timeout=settings.AGENDA_COUNT_SECONDS)
        except Exception:  # see forget_count
            logger.warning("agenda count: the cache could not be written", exc_info=True)
        return figures

    @cached_property
    def figures(self) -> tuple[int, int]:
        if self.user is None:
            return (0, 0)
        if not settings.AGENDA_COUNT_SECONDS:
            return self._remember(agenda_for(self.user))
        try:
            cached = cache.get(count_key(self.user.pk))
        except Exception:  # see forget_count
            logger.warning("agenda count: the cache could not be read", exc_info=True)
            cached = None
        if cached is not None:
            return tuple(cached)
        return self._remember(agenda_for(self.user))

    @property
    def count(self) -> int:
        return self.figures[0]

    @property
    def overdue(self) -> int:
        return self.figures[1]
