"""Discussions (PRODUCT.md §2.5): a group's internal threads, each dialogue's open discussion
and the private discussion of a dialogue with one supplier, their messages and the messages'
edit history.

The tables keep the names they had when discussions lived in the dialogues app (the models
moved here with SeparateDatabaseAndState, discussions/migrations/0001_initial.py).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from dialogues.models import Dialogue
from groups.models import BuyerGroup


class ThreadQuerySet(models.QuerySet):
    def group_discussions(self, group):
        return self.filter(group=group, kind=Thread.Kind.GROUP)

    def in_dialogues_of(self, group):
        return self.filter(group=group, kind__in=[Thread.Kind.DIALOGUE, Thread.Kind.PRIVATE])


class Thread(models.Model):
    """A discussion (PRODUCT.md §2.5). Three kinds, each with its own readers (discussions/access.py):
    a group's internal discussions; one open discussion per dialogue for every participant and
    the group; one private discussion per dialogue and supplier, for that supplier and the group."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group discussion")
        DIALOGUE = "dialogue", _("Open dialogue discussion")
        PRIVATE = "private", _("Private discussion with a supplier")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    group = models.ForeignKey(BuyerGroup, on_delete=models.PROTECT, related_name="threads")
    dialogue = models.ForeignKey(Dialogue, null=True, blank=True, on_delete=models.PROTECT, related_name="threads")
    supplier = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True)
    message_count = models.PositiveIntegerField(default=0)
    # Goes up by one with every message posted, edited, hidden or restored (under a row lock), so
    # a reconnecting browser can ask for exactly what changed since the revision it has.
    revision = models.PositiveBigIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lock_reason = models.TextField(_("reason"), blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        db_table = "dialogues_thread"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="group", dialogue__isnull=True, supplier__isnull=True)
                    | Q(kind="dialogue", dialogue__isnull=False, supplier__isnull=True)
                    | Q(kind="private", dialogue__isnull=False, supplier__isnull=False)
                ),
                name="thread_kind_matches_its_place",
            ),
            models.CheckConstraint(condition=~Q(kind="group") | ~Q(title=""), name="group_thread_has_title"),
            models.UniqueConstraint(
                fields=["dialogue"], condition=Q(kind="dialogue"), name="one_open_thread_per_dialogue"
            ),
            models.UniqueConstraint(
                fields=["dialogue", "supplier"], condition=Q(kind="private"), name="one_private_thread_per_supplier"
            ),
        ]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("threads:thread-detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        if self.kind == self.Kind.DIALOGUE:
            return _("Open discussion: %(dialogue)s") % {"dialogue": self.dialogue.title}
        if self.kind == self.Kind.PRIVATE:
            return _("%(supplier)s and the group: %(dialogue)s") % {
                "supplier": self.supplier.name,
                "dialogue": self.dialogue.title,
            }
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class MessageQuerySet(models.QuerySet):
    def changed_since(self, *, last_id: int, revision: int | None):
        """What a browser that holds every message up to id `last_id`, as of thread revision
        `revision`, lacks: the newer messages, and the older ones edited, hidden or restored
        since. Without a revision, only the newer ones."""
        if revision is None:
            return self.filter(pk__gt=last_id)
        return self.filter(Q(pk__gt=last_id) | Q(revision__gt=revision))


class Message(models.Model):
    """One message. The Markdown source is kept as written; `html` is rendered and sanitized
    once, when it is written (discussions/markdown.py), and shown as it is."""

    MAX_LENGTH = 5000
    EDIT_WINDOW = timedelta(minutes=15)

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # whom the author wrote for
    body = models.TextField(_("message"), max_length=MAX_LENGTH)
    html = models.TextField()
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="thread_mentions", db_table="dialogues_message_mentions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveBigIntegerField(default=0)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(_("reason"), blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        db_table = "dialogues_message"
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["thread", "id"], name="message_thread_order"),
            models.Index(fields=["thread", "revision"], name="message_thread_revision"),
        ]

    def __str__(self):
        return self.body[:60]

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#message-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def editable_until(self):
        return self.created_at + self.EDIT_WINDOW

    def is_editable_by(self, user, now=None) -> bool:
        """The author may change a message for 15 minutes, unless a moderator has hidden it."""
        return (
            user.is_authenticated
            and self.author_id == user.pk
            and not self.is_hidden
            and (now or timezone.now()) <= self.editable_until
        )


class MessageEdit(models.Model):
    """The text a message had before one edit: append-only, so every version stays on record."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="edits")
    body = models.TextField()
    html = models.TextField()
    written_at = models.DateTimeField()  # when this replaced text had been written
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "dialogues_messageedit"
        ordering = ["-edited_at", "-pk"]

    def __str__(self):
        return f"edit of message {self.message_id} at {self.edited_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("message edits are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("message edits are append-only")
