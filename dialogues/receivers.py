"""What dialogues do when the groups below them tell of a change (groups/signals.py)."""

from django.dispatch import receiver

from dialogues.services.dialogue import record_need_publication
from groups.signals import need_published


@receiver(need_published, dispatch_uid="dialogues.record_need_publication")
def need_was_published(sender, *, need, user, **kwargs):
    record_need_publication(need=need, user=user)
