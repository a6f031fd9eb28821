"""What every group service shares: the error they raise and the group's history (GroupEvent)."""

from django.utils import timezone

from groups.models import BuyerGroup, GroupEvent


class GroupRuleError(Exception):
    """A rule of the group was broken; the message is for people."""


def record(group, actor, action, *, organisation=None, subject_user=None, reason="", detail=""):
    GroupEvent.objects.create(
        group=group,
        actor=actor,
        action=action,
        organisation=organisation,
        subject_user=subject_user,
        reason=reason,
        detail=detail[:200],
    )
    BuyerGroup.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())
