"""When what the public sees of a group or a need statement last changed: `updated_at`.

The open data API filters on it ("updated since"), sends it as Last-Modified, and the Atom feeds
give it as an entry's <updated>. Every save of an object the public view is made of moves it, so
no service has to remember to: the group (its summary, stage, ending, contacts), its memberships
(the member authorities), an organisation (a member's name or county), the need statement (its
published version) and its endorsements (the aggregate demand). A save that changed nothing
public moves it too: a reader fetches the object again and finds it the same, which is harmless;
missing a change would not be.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import Organisation
from groups.models import BuyerGroup, Endorsement, Membership, NeedStatement


def touch_groups(**lookup) -> None:
    BuyerGroup.objects.filter(**lookup).update(updated_at=timezone.now())


def touch_needs(**lookup) -> None:
    NeedStatement.objects.filter(**lookup).update(updated_at=timezone.now())


@receiver(post_save, sender=BuyerGroup, dispatch_uid="groups.freshness.group")
def group_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_groups(pk=instance.pk)
        # A need's public view names its group and theme.
        touch_needs(group_id=instance.pk)


@receiver(m2m_changed, sender=BuyerGroup.contacts.through, dispatch_uid="groups.freshness.contacts")
def contacts_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        touch_groups(**({"contacts__pk": instance.pk} if reverse else {"pk": instance.pk}))


@receiver(post_save, sender=Membership, dispatch_uid="groups.freshness.membership")
@receiver(post_delete, sender=Membership, dispatch_uid="groups.freshness.membership-deleted")
def membership_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_groups(pk=instance.group_id)


@receiver(post_save, sender=Organisation, dispatch_uid="groups.freshness.organisation")
def organisation_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        touch_groups(memberships__organisation=instance.pk)


@receiver(post_save, sender=NeedStatement, dispatch_uid="groups.freshness.need")
def need_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_needs(pk=instance.pk)
        # The group's public page lists its published needs.
        touch_groups(pk=instance.group_id)


@receiver(post_save, sender=Endorsement, dispatch_uid="groups.freshness.endorsement")
@receiver(post_delete, sender=Endorsement, dispatch_uid="groups.freshness.endorsement-deleted")
def endorsement_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_needs(pk=instance.need_id)
