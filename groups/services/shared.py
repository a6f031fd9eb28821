"""What every group service shares: the error they raise and the group's history, which is the
group's part of the audit log (groups:group-history shows it)."""

from django.utils import timezone

from audit.services import record as record_audit
from groups.models import BuyerGroup


class GroupRuleError(Exception):
    """A rule of the group was broken; the message is for people."""


def record_history(*, group, actor, action, target, reason="", detail="", params=None) -> None:
    """Write a change of the group to the audit log, which is the group's history, and mark the
    group active. `detail` is a code and `params` its values (groups/audit_details.py words
    them). Call it inside the change's transaction."""
    record_audit(actor=actor, action=action, target=target, group=group, reason=reason, detail=detail, params=params)
    BuyerGroup.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())
