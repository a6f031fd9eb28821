"""Who may find what in search (PRODUCT.md §2.8), as queryset filters in one place.

The rules are those of groups/access.py, dialogues/access.py and discussions/access.py,
written as filters so that one query per kind finds only what the user may open;
tests/search/test_access.py checks each filter against those per-object checks for every role.
Submissions (and their attachments) are never searched, whoever asks.
"""

import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, CharField, Expression, F, Q, Value

from accounts.models import Organisation
from dialogues.models import Dialogue, Participation
from discussions.models import Thread
from discussions.pseudonyms import mentions_another_supplier
from groups.models import Coordinator, Membership, NeedStatement

# Always true on any model. (An empty Q() is not: Q(a) | Q() is just Q(a).)
EVERYONE = Q(pk__isnull=False)
# Up to this many ids go into a query as IN (%s, %s, …); more as one array (ids_in).
FEW_IDS = 20


@functools.lru_cache(maxsize=32)
def _array_literal(ids: frozenset) -> str:
    """The ids as a PostgreSQL array literal: the driver quotes one string instead of adapting
    each id. A search uses the same few sets in every kind's query: each is written once."""
    return "{" + ",".join(str(int(pk)) for pk in sorted(ids)) + "}"


class _AnyOf(Expression):
    """field = ANY(%s), the ids as one array parameter: what PostgreSQL makes of IN (…) anyway."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str, ids):
        super().__init__()
        self.key, self.ids = F(field), _array_literal(frozenset(ids))

    def get_source_expressions(self):
        return [self.key]

    def set_source_expressions(self, expressions):
        (self.key,) = expressions

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.key)
        return f"{sql} = ANY(%s::bigint[])", [*params, self.ids]


def ids_in(field: str, ids) -> Q:
    """Q(field__in=ids) for a not-null key. A person in a thousand groups would make each condition
    a thousand query parameters, several per kind searched, and building and sending them cost more
    than the search itself (issue 22); on PostgreSQL a long list goes as one array parameter."""
    if len(ids) > FEW_IDS and connection.vendor == "postgresql":
        return Q(_AnyOf(field, ids))
    return Q(**{f"{field}__in": ids})


@dataclass(frozen=True)
class SearchScope:
    """The user's standing, as primary keys, worked out with three small queries per search."""

    is_facilitator: bool = False
    own_organisation_ids: frozenset = frozenset()  # every organisation the user works for
    workspace_group_ids: frozenset = frozenset()  # active member or observer (verified organisation)
    member_group_ids: frozenset = frozenset()  # … as a member authority
    coordinated_group_ids: frozenset = frozenset()
    participant_dialogue_ids: frozenset = frozenset()  # a verified supplier organisation takes part

    def workspace(self, group_field: str) -> Q:
        """The group's workspace users: members, observers, facilitators (GroupAccess.can_see_workspace)."""
        if self.is_facilitator:
            return EVERYONE
        return ids_in(group_field, self.workspace_group_ids)

    def group_users(self, group_field: str) -> Q:
        """Users of the group's member authorities (DialogueAccess.is_group_user)."""
        return ids_in(group_field, self.member_group_ids)

    def managers(self, group_field: str) -> Q:
        """Coordinators and facilitators (GroupAccess.can_manage)."""
        if self.is_facilitator:
            return EVERYONE
        return ids_in(group_field, self.coordinated_group_ids)


def search_scope(user) -> SearchScope:
    """The user's standing: their organisations (usually already read for the request) and one
    query for their groups' memberships, the groups they coordinate and the dialogues their
    supplier organisations take part in."""
    if not user.is_authenticated:
        return SearchScope()
    organisations = [a.organisation for a in user.active_affiliations]
    verified = [o.pk for o in organisations if o.is_verified]
    suppliers = [o.pk for o in organisations if o.is_verified and o.kind == Organisation.Kind.SUPPLIER]
    rows = (
        _standing(Membership.objects.filter(organisation_id__in=verified, status=Membership.Status.ACTIVE), "group_id")
        .union(
            _standing(Coordinator.objects.filter(user=user), "group_id", role="coordinator"),
            _standing(
                Participation.objects.active().filter(organisation_id__in=suppliers), "dialogue_id", role="supplier"
            ),
            all=True,
        )
        .order_by()
    )
    memberships, coordinated, taking_part = [], set(), set()
    for pk, role in rows:
        if role == "coordinator":
            coordinated.add(pk)
        elif role == "supplier":
            taking_part.add(pk)
        else:
            memberships.append((pk, role))
    return SearchScope(
        is_facilitator=user.is_facilitator,
        own_organisation_ids=frozenset(o.pk for o in organisations),
        workspace_group_ids=frozenset(group_id for group_id, _role in memberships),
        member_group_ids=frozenset(group_id for group_id, role in memberships if role == Membership.Role.MEMBER),
        coordinated_group_ids=frozenset(coordinated),
        participant_dialogue_ids=frozenset(taking_part),
    )


def _standing(queryset, id_field, role=None):
    """(id, role) rows of one source, to be read together with the others in one query."""
    return (
        queryset.order_by()
        .annotate(
            standing_id=F(id_field),
            standing_role=F("role") if role is None else Value(role, output_field=CharField()),
        )
        .values_list("standing_id", "standing_role")
    )


NEED_IS_PUBLIC = Q(
    need__published_version__isnull=False,
    need__state__in=[NeedStatement.State.PUBLISHED, NeedStatement.State.CLOSED],
)
PUBLISHED_DIALOGUE = [Dialogue.State.OPEN, Dialogue.State.CLOSED]


def groups_filter(scope: SearchScope) -> Q:
    """Every group's public summary (name, summary, challenge) is public."""
    return EVERYONE


def need_versions_filter(scope: SearchScope) -> Q:
    """On NeedVersion: workspace users search a need's current version, everyone else the
    published version of a published or closed need; so each need matches through one version."""
    in_workspace = scope.workspace("need__group")
    current = in_workspace & Q(need__current_version=F("pk"))
    if scope.is_facilitator:
        return current
    published = ~in_workspace & NEED_IS_PUBLIC & Q(need__published_version=F("pk"))
    return current | published


def dialogues_filter(scope: SearchScope) -> Q:
    """Open and closed dialogues are public in summary; drafts are the group's own."""
    if scope.is_facilitator:
        return EVERYONE
    return Q(state__in=PUBLISHED_DIALOGUE) | scope.workspace("group")


def _dialogue_visible(scope: SearchScope, prefix: str) -> Q:
    return Q(**{f"{prefix}state__in": PUBLISHED_DIALOGUE}) | scope.workspace(f"{prefix}group")


def answers_filter(scope: SearchScope) -> Q:
    """On Answer: published entries, for the dialogue's participants and the group's workspace users."""
    if scope.is_facilitator:
        return Q(published_at__isnull=False)
    readers = ids_in("dialogue", scope.participant_dialogue_ids) | scope.workspace("dialogue__group")
    # A withdrawn entry's text only for those who see every question as asked (DialogueAccess).
    not_withdrawn = Q(withdrawn_at__isnull=True) | scope.group_users("dialogue__group")
    return Q(published_at__isnull=False) & _dialogue_visible(scope, "dialogue__") & readers & not_withdrawn


def questions_filter(scope: SearchScope) -> Q:
    """On Question, in the asker's own words: the asking organisation, the group's member users
    and facilitators (DialogueAccess.can_see_original_question). Everyone else finds the
    question only as the group published it, through answers_filter."""
    if scope.is_facilitator:
        return EVERYONE
    readers = Q(organisation_id__in=scope.own_organisation_ids) | scope.group_users("dialogue__group")
    not_hidden = Q(hidden_at__isnull=True) | scope.managers("dialogue__group")  # removed: moderators only
    return _dialogue_visible(scope, "dialogue__") & readers & not_hidden


def threads_filter(scope: SearchScope, prefix: str = "") -> Q:
    """On Thread (or, with a prefix, what points at one): discussions.access.thread_access."""
    group = f"{prefix}group"
    kind = f"{prefix}kind"
    internal = Q(**{kind: Thread.Kind.GROUP}) & scope.workspace(group)
    open_discussion = Q(**{kind: Thread.Kind.DIALOGUE}) & (
        scope.workspace(group) | ids_in(f"{prefix}dialogue", scope.participant_dialogue_ids)
    )
    private = Q(**{kind: Thread.Kind.PRIVATE}) & (
        scope.group_users(group) | scope.managers(group) | Q(**{f"{prefix}supplier_id__in": scope.own_organisation_ids})
    )
    return internal | open_discussion | private


def messages_filter(scope: SearchScope) -> Q:
    """On Message: the thread's readers; a hidden message only for the thread's moderators,
    who see the original for the record. The readable threads are listed first (one small
    query), so that PostgreSQL can combine the message's thread index with the text index
    instead of reading every matching message to check its thread."""
    if scope.is_facilitator:  # reads and moderates every discussion
        return EVERYONE
    readable = list(Thread.objects.filter(threads_filter(scope)).values_list("pk", "group_id", "kind"))
    moderated = [pk for pk, group_id, _kind in readable if group_id in scope.coordinated_group_ids]
    visible = ids_in("thread", [pk for pk, _group_id, _kind in readable]) & (
        Q(hidden_at__isnull=True) | ids_in("thread", moderated)
    )
    # Open discussions read as a supplier: other suppliers are known there only by their labels.
    as_supplier = [
        pk
        for pk, group_id, kind in readable
        if kind == Thread.Kind.DIALOGUE and group_id not in scope.workspace_group_ids
    ]
    if as_supplier:
        visible &= ~(Q(thread_id__in=as_supplier) & mentions_another_supplier(scope.own_organisation_ids))
    return visible


def documents_filter(scope: SearchScope) -> Q:
    """On Document: the group's workspace users (the document library); a document a moderator
    removed only for the group's moderators, as on the library page."""
    not_hidden = Q(hidden_at__isnull=True) | scope.managers("group")
    return scope.workspace("group") & not_hidden
