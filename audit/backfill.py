"""Folding an older log into the audit log, for the data migrations that did it once: groups 0005
(the group history, GroupEvent) and discussions 0002 (the discussions' moderation record,
ThreadModeration). Everything here works on a migration's historical models, which have no
methods or properties of today's code, so it reads fields only.

For a while the services wrote both the older log and the audit log, so many rows are already
there: a row is copied only when the audit log holds no entry with the same action, target and
actor within a second of it."""

from collections import defaultdict
from datetime import timedelta

from django.utils.translation import gettext

SAME_MOMENT = timedelta(seconds=1)


def person_label(user) -> str:
    """What accounts.User.__str__ (display_name) gives, on a historical user; "" for nobody."""
    if user is None:
        return ""
    if user.deleted_at is not None:
        affiliation = user.affiliations.select_related("organisation").order_by("organisation__name").first()
        if affiliation is None:
            return gettext("deleted user")
        return gettext("deleted user, %(organisation)s") % {"organisation": affiliation.organisation.name}
    return user.name or user.email


class ExistingEntries:
    """The audit entries already in the log for some actions, to tell whether a row of an older
    log is among them. Each entry stands for one row only, so two equal rows in the older log
    a moment apart are not both taken for the one entry."""

    def __init__(self, audit_entry_model, actions):
        self._entries = defaultdict(list)
        rows = audit_entry_model.objects.filter(action__in=list(actions)).values_list(
            "action", "actor_id", "target_type", "target_id", "target_label", "at"
        )
        for action, actor_id, target_type, target_id, target_label, at in rows:
            self._entries[action, actor_id].append([target_type, target_id, target_label, at])

    def take(self, *, action, actor_id, target_types, target_id, target_label, at) -> bool:
        """Whether the log holds this row already (and if so, that entry is now spoken for). The
        target is the same when type and id are; an older row whose target's id could not be
        found is compared by the target's name instead."""
        candidates = self._entries.get((action, actor_id), [])
        for index, (target_type, existing_id, existing_label, moment) in enumerate(candidates):
            same_target = target_type in target_types and (
                existing_id == target_id if target_id else existing_label == target_label
            )
            if same_target and abs(moment - at) <= SAME_MOMENT:
                del candidates[index]
                return True
        return False
