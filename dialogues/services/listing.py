"""The public list of market dialogues, filtered and sorted: one place for /dialogues/, its
Atom feeds and the public API, so that they all answer the same question the same way."""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from dialogues.models import Dialogue
from groups.models import Membership

OPEN, CLOSED = Dialogue.State.OPEN.value, Dialogue.State.CLOSED.value
SOONEST_DEADLINE, LATEST_DEADLINE, NEWEST = "deadline", "-deadline", "newest"
ORDERINGS = {
    SOONEST_DEADLINE: ("submission_deadline", "pk"),
    LATEST_DEADLINE: ("-submission_deadline", "-pk"),
    NEWEST: ("-opened_at", "-pk"),
}


def filter_public_dialogues(
    queryset: QuerySet, cleaned_data: dict, *, default_state: str | None = OPEN, now: datetime | None = None
) -> QuerySet:
    """Filter and order published dialogues by what a visitor asked for.

    `queryset` is the dialogues the reader may see (dialogues_visible_to(user)); drafts drop out
    here whatever it holds. `cleaned_data` holds DialogueFilterForm's fields, each optional
    (missing, blank or None means "any"), so `{}` gives the default list:

    - `state`: "open" or "closed"; blank means `default_state`: "open" (the page's default),
      or None for open and closed alike (a caller that lists both unless asked).
    - `theme`: a groups.models.Theme value; the dialogue's group has that theme.
    - `within`: a number of days, 1–365; the deadline for proposals falls between `now` and
      `now` + that many days.
    - `county`: an accounts.models.County code; a member authority of the dialogue's group, as
      the public sees them (Membership.objects.publicly_listed()), has its seat in that county.
    - `sort`: "deadline" (soonest deadline for proposals first), "-deadline" (latest first) or
      "newest" (most recently opened first). Blank: most recently closed first for closed
      dialogues, otherwise soonest deadline first.

    `now` (default: the present) is the start of the `within` window. Each dialogue appears
    once, whatever the number of matching members.
    """
    now = now or timezone.now()
    state = cleaned_data.get("state") or default_state
    closed = state == CLOSED
    dialogues = queryset.filter(state=state) if state in (OPEN, CLOSED) else queryset.published()
    if theme := cleaned_data.get("theme"):
        dialogues = dialogues.filter(group__theme=theme)
    if within := cleaned_data.get("within"):
        dialogues = dialogues.filter(submission_deadline__range=(now, now + timedelta(days=within)))
    if county := cleaned_data.get("county"):
        members_there = Membership.objects.publicly_listed().filter(organisation__county=county)
        dialogues = dialogues.filter(Exists(members_there.filter(group=OuterRef("group"))))
    sort = cleaned_data.get("sort")
    if sort in ORDERINGS:
        return dialogues.order_by(*ORDERINGS[sort])
    return dialogues.order_by(*(("-closed_at", "pk") if closed else ORDERINGS[SOONEST_DEADLINE]))
