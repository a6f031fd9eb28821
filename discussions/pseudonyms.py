"""How one person sees the suppliers of a market dialogue's open discussion (issue 16).

The rule, in one place: in a dialogue's open discussion (Thread.Kind.DIALOGUE) and in
everything shown from it (author lines, @mentions, live frames, who is here, notifications,
e-mails, search), a supplier sees every *other* supplier that takes or took part only by its
stable label (Participation.label: "Supplier A", in Swedish "Leverantör A"). The group's
workspace users and facilitators see every name, and a supplier's people see their own.
Private discussions (one supplier and the group) and the group's own discussions show names:
no competitor reads them.

Pages ask `pseudonyms_for(access)` once (two queries at most, whatever the number of
messages) and pass the answer to `disguise_message`. The live side renders each message once
in every form a reader may need (`message_variants`) and each connection picks its own
(`pick_variant`), so no connection ever receives names it may not see.
"""

import copy
import re
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.functional import lazy
from django.utils.html import format_html

from accounts.models import OrganisationMember
from dialogues.models import Participation, supplier_label
from discussions.access import thread_readers
from discussions.models import Message, Thread

# A mention as discussions/markdown.py writes it (the stored HTML is our own, sanitized).
MENTION = re.compile(r'<a\b[^>]*\bhref="#person-(\d+)"[^>]*>.*?</a>', re.DOTALL)

# Translated when shown, so one disguised message renders in every language of a broadcast.
lazy_label = lazy(supplier_label, str)


@dataclass(frozen=True)
class Pseudonyms:
    """The suppliers one viewer sees by label. Empty (NAMES): the viewer sees every name."""

    label_numbers: dict = field(default_factory=dict)  # organisation pk → label number
    people: dict = field(default_factory=dict)  # user pk → organisation pk, for those organisations' people
    own_label_number: int | None = None  # the viewer's own organisation's label, for the banner

    @property
    def hides_anyone(self) -> bool:
        return bool(self.label_numbers)

    def organisation_label(self, organisation_id):
        """The label to show instead of the organisation, or "" when its name may be shown."""
        number = self.label_numbers.get(organisation_id)
        return lazy_label(number) if number else ""

    def person_label(self, user_pk):
        """The label to show instead of the person, or "" when their name may be shown."""
        return self.organisation_label(self.people.get(user_pk))

    def seen_by(self, organisation_id) -> "Pseudonyms":
        """The same suppliers as one of them sees them: its own organisation and people by name."""
        return Pseudonyms(
            label_numbers={o: n for o, n in self.label_numbers.items() if o != organisation_id},
            people={u: o for u, o in self.people.items() if o != organisation_id},
            own_label_number=self.label_numbers.get(organisation_id),
        )


NAMES = Pseudonyms()


def label_numbers(dialogue_id) -> dict[int, int]:
    """Every supplier that takes or took part in the dialogue: organisation pk → label number."""
    return dict(
        Participation.objects.filter(dialogue_id=dialogue_id)
        .exclude(label_number=None)
        .values_list("organisation_id", "label_number")
    )


def dialogue_suppliers(dialogue_id) -> Pseudonyms:
    """Every supplier of the dialogue by label, as someone from none of them sees them (two queries)."""
    numbers = label_numbers(dialogue_id)
    people = dict(
        OrganisationMember.objects.filter(organisation_id__in=list(numbers)).values_list("user_id", "organisation_id")
    )
    return Pseudonyms(label_numbers=numbers, people=people)


def sees_names(thread: Thread, *, group_side: bool) -> bool:
    """Whether a reader of the discussion sees every supplier's people and organisation by name."""
    return thread.kind != Thread.Kind.DIALOGUE or group_side


def pseudonyms_for_viewer(thread: Thread, *, group_side: bool, organisation_id) -> Pseudonyms:
    """How a reader sees the suppliers here: by name (group side, or not an open discussion),
    or, for a supplier's person, every other supplier by label (`organisation_id`: whom they read for)."""
    if sees_names(thread, group_side=group_side):
        return NAMES
    return dialogue_suppliers(thread.dialogue_id).seen_by(organisation_id)


def pseudonyms_for(access) -> Pseudonyms:
    """pseudonyms_for_viewer for a discussions.access.ThreadAccess."""
    organisation = access.organisation
    return pseudonyms_for_viewer(
        access.thread, group_side=access.is_group_side, organisation_id=organisation.pk if organisation else None
    )


def author_label(message, pseudonyms: Pseudonyms):
    """The label shown instead of the message's author and organisation, or ""."""
    if message.organisation_id is not None:
        return pseudonyms.organisation_label(message.organisation_id)
    return pseudonyms.person_label(message.author_id)  # written before organisations were kept


def mentioned_pks(html: str) -> set[int]:
    return {int(pk) for pk in MENTION.findall(html)}


def disguise_html(html: str, pseudonyms: Pseudonyms) -> str:
    """The message HTML with each mention of a supplier's person the viewer may not know
    replaced by that supplier's label (and no link to the person)."""
    if not pseudonyms.people:
        return html

    def replace(match):
        label = pseudonyms.person_label(int(match.group(1)))
        return format_html('<span class="mention">@{}</span>', label) if label else match.group(0)

    return MENTION.sub(replace, html)


lazy_disguise_html = lazy(disguise_html, str)


def disguise_message(message, pseudonyms: Pseudonyms):
    """Mark the message for `thread_detail.html#message` as this viewer sees it: `author_label`
    ("" or the supplier's label, shown instead of the person and organisation) and `shown_html`.
    Both are translated when rendered. Returns the message."""
    message.author_label = author_label(message, pseudonyms)
    message.shown_html = lazy_disguise_html(message.html, pseudonyms) if pseudonyms.people else message.html
    return message


def disguise_edit(edit, pseudonyms: Pseudonyms):
    """An earlier version of a message (MessageEdit), with `shown_html` as for disguise_message."""
    edit.shown_html = lazy_disguise_html(edit.html, pseudonyms) if pseudonyms.people else edit.html
    return edit


# --- The live side -------------------------------------------------------------------------


def message_variants(message) -> dict[str, object]:
    """Every form of one message a reader of an open discussion may need, as
    {"pseudonymous": message as a supplier outside the message sees it, "<organisation pk>": …
    as that supplier sees it} (copies, each marked by disguise_message), for the suppliers the
    message names (its author's and those of the people it mentions). Empty outside an open
    discussion: everyone there sees the names."""
    if message.thread.kind != Thread.Kind.DIALOGUE:
        return {}
    suppliers = dialogue_suppliers(message.thread.dialogue_id)
    named = {message.organisation_id} | {suppliers.people.get(pk) for pk in mentioned_pks(message.html)}
    variants = {"pseudonymous": disguise_message(copy.copy(message), suppliers)}
    for organisation_id in sorted(pk for pk in named if pk in suppliers.label_numbers):
        variants[str(organisation_id)] = disguise_message(copy.copy(message), suppliers.seen_by(organisation_id))
    return variants


def pick_variant(event: dict, *, sees_names: bool, organisation_id) -> dict:
    """Of a broadcast message event, the HTML (per language) this connection's reader may see."""
    variants = event.get("variants")
    if sees_names or not variants:
        return event["html"]
    return variants.get(str(organisation_id)) or variants["pseudonymous"]


def presence_names(people, *, sees_names: bool, organisation_id, user_pk) -> tuple[list[str], int]:
    """Who is here, as one reader may see it: the names they may know, then the labels of the
    other suppliers present (each once), and how many others are here without either."""
    named, labels, others = [], set(), 0
    for person in people:
        own = person.get("organisation") is not None and person.get("organisation") == organisation_id
        if sees_names or person["group_side"] or own or person["pk"] == user_pk:
            named.append(person["name"])
        elif person.get("label_number"):
            labels.add(person["label_number"])
        else:
            others += 1
    return named + [supplier_label(number) for number in sorted(labels)], others


# --- Notifications ------------------------------------------------------------------------


def author_label_number(message) -> int | None:
    """The label number by which other suppliers know the message's author, or None when
    every reader sees the name (not an open discussion, or the author writes for the group)."""
    if message.thread.kind != Thread.Kind.DIALOGUE or message.organisation_id is None:
        return None
    return label_numbers(message.thread.dialogue_id).get(message.organisation_id)


def readers_seeing_label(readers, thread: Thread, organisation_id):
    """Of some readers of the discussion (a User queryset), those who know the supplier
    `organisation_id` only by its label: in an open discussion, everyone but the group's side
    and the supplier's own people."""
    if thread.kind != Thread.Kind.DIALOGUE:
        return readers.none()
    group_side = thread_readers(thread, group_side_only=True)
    return readers.exclude(pk__in=group_side.values("pk")).exclude(affiliations__organisation_id=organisation_id)


# --- Search -------------------------------------------------------------------------------


def mentions_another_supplier(own_organisation_ids):
    """A condition on Message: it mentions a person of a supplier that takes or took part in its
    dialogue, other than the reader's own organisations. A supplier does not find such messages
    by search: a hit for a competitor's person's name would tell them who takes part."""
    mentions = Message.mentions.through.objects.filter(
        message_id=OuterRef("pk"),
        user__affiliations__organisation__dialogue_participations__dialogue_id=OuterRef("thread__dialogue_id"),
    ).exclude(user__affiliations__organisation_id__in=list(own_organisation_ids))
    return Exists(mentions)
