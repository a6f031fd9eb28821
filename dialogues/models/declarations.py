"""Conflict-of-interest declarations: an append-only history per person and dialogue."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues.models.dialogue import Dialogue


class ConflictDeclarationQuerySet(models.QuerySet):
    def current(self):
        """Each person's current entry per dialogue: the latest one (the rule used everywhere
        the state of a person's conflict of interest is asked for)."""
        latest = (
            ConflictDeclaration.objects.filter(dialogue=models.OuterRef("dialogue"), user=models.OuterRef("user"))
            .order_by("-declared_at", "-pk")
            .values("pk")[:1]
        )
        return self.filter(pk=models.Subquery(latest))


class ConflictDeclaration(models.Model):
    """One entry in a group user's conflict-of-interest (jäv) history for one dialogue.
    Append-only: the latest entry is the person's state; earlier ones stay for the record.
    An entry with `cleared_by` is a clearance: someone other than the person (another
    coordinator, or a facilitator) lifted a declared conflict, with a reason."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="conflict_declarations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField(_("I have a conflict of interest"))
    description = models.TextField(_("describe the conflict"), max_length=3000, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=3000, blank=True)

    objects = ConflictDeclarationQuerySet.as_manager()

    class State(models.TextChoices):
        NO_CONFLICT = "no_conflict", _("No conflict of interest")
        CONFLICT = "conflict", _("Conflict of interest declared")
        CLEARED = "cleared", _("Conflict cleared")

    class Meta:
        verbose_name = _("declaration of a conflict of interest")
        verbose_name_plural = _("declarations of conflicts of interest")
        ordering = ["-declared_at", "-pk"]

    def __str__(self):
        return f"{self.user}: {'conflict' if self.has_conflict else 'no conflict'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("declarations are append-only; declare again instead")
        super().save(*args, **kwargs)

    @property
    def state(self) -> "ConflictDeclaration.State":
        """What this entry says when it is the person's current one."""
        if self.has_conflict:
            return self.State.CONFLICT
        return self.State.CLEARED if self.cleared_by_id else self.State.NO_CONFLICT

    @property
    def blocks_proposals(self) -> bool:
        """A declared conflict keeps proposals closed until someone else clears it."""
        return self.has_conflict
