"""When what the public sees of a market dialogue last changed: `updated_at` (see
groups/freshness.py for why every save moves it). A dialogue's public view is made of the
dialogue itself, the need versions published to it, the number of suppliers taking part, and
its answers (the amendments and, through the public record, the answers and clarifications)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from dialogues.models import Answer, Dialogue, DialogueNeedVersion, Participation
from groups.freshness import touch_groups
from groups.models import BuyerGroup, Endorsement, NeedStatement


def touch_dialogues(**lookup) -> None:
    Dialogue.objects.filter(**lookup).update(updated_at=timezone.now())


@receiver(post_save, sender=Dialogue, dispatch_uid="dialogues.freshness.dialogue")
def dialogue_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_dialogues(pk=instance.pk)
        # The group's public view lists its open dialogues.
        touch_groups(pk=instance.group_id)


@receiver(post_save, sender=BuyerGroup, dispatch_uid="dialogues.freshness.group")
def group_saved(sender, instance, raw=False, **kwargs):
    # A dialogue's public view names its group and theme.
    if not raw:
        touch_dialogues(group_id=instance.pk)


@receiver(post_save, sender=Answer, dispatch_uid="dialogues.freshness.answer")
@receiver(post_delete, sender=Answer, dispatch_uid="dialogues.freshness.answer-deleted")
@receiver(post_save, sender=Participation, dispatch_uid="dialogues.freshness.participation")
@receiver(post_save, sender=DialogueNeedVersion, dispatch_uid="dialogues.freshness.need-version")
def part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_dialogues(pk=instance.dialogue_id)


@receiver(post_save, sender=NeedStatement, dispatch_uid="dialogues.freshness.need")
@receiver(post_save, sender=Endorsement, dispatch_uid="dialogues.freshness.endorsement")
def need_changed(sender, instance, raw=False, **kwargs):
    # A dialogue's page shows its need's aggregate demand and the need's current title.
    if not raw:
        touch_dialogues(need_id=instance.need_id if sender is Endorsement else instance.pk)
