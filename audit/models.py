"""The audit log (PRODUCT.md §2.7): who did what to which object, why, when and from where.

Append-only. The model refuses updates and deletes, the queryset refuses bulk updates and
deletes, and on PostgreSQL a trigger refuses both as well (migration 0002), so neither a code
path nor a hand-written query in a shell can rewrite history. Rows hold plain ids and
snapshots of names instead of foreign keys: deleting an account or a group must not cascade
into (or null out) the log.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit row."""


class Action(models.TextChoices):
    # Groups, membership and roles
    GROUP_CREATED = "group.created", _("created a group")
    GROUP_STAGE_CHANGED = "group.stage", _("changed a group's current stage")
    GROUP_ENDED = "group.ended", _("ended a group")
    GROUP_REOPENED = "group.reopened", _("reopened an ended group")
    GROUP_CONTACTS_CHANGED = "group.contacts", _("changed a group's contact persons at Upphandlingsmyndigheten")
    MEMBERSHIP_REQUESTED = "membership.requested", _("asked to join a group")
    MEMBERSHIP_APPROVED = "membership.approved", _("approved a join request")
    MEMBERSHIP_DECLINED = "membership.declined", _("declined a join request")
    MEMBERSHIP_REMOVED = "membership.removed", _("removed a member")
    MEMBERSHIP_LEFT = "membership.left", _("left a group")
    ROLE_CHANGED = "role.changed", _("changed a role")
    COORDINATOR_APPOINTED = "coordinator.appointed", _("appointed a coordinator")
    COORDINATOR_REMOVED = "coordinator.removed", _("removed a coordinator")
    INVITATION_SENT = "invitation.sent", _("invited someone")
    INVITATION_ACCEPTED = "invitation.accepted", _("accepted an invitation")
    INVITATION_DECLINED = "invitation.declined", _("declined an invitation")
    # Organisations
    ORG_VERIFIED = "organisation.verified", _("verified an organisation")
    ORG_REJECTED = "organisation.rejected", _("rejected an organisation")
    ORG_RESUBMITTED = "organisation.resubmitted", _("corrected a rejected organisation and sent it again")
    DOMAIN_REGISTERED = "domain.registered", _("registered an e-mail domain")
    DOMAIN_REMOVED = "domain.removed", _("removed an e-mail domain")
    # Accounts
    ACCOUNT_DELETED = "account.deleted", _("deleted their account")
    # Publication
    NEED_PUBLISHED = "need.published", _("published a need statement")
    NEED_STATE = "need.state", _("changed a need statement's state")
    ANSWER_PUBLISHED = "answer.published", _("published an answer")
    ANSWER_WITHDRAWN = "answer.withdrawn", _("withdrew a published answer")
    IDENTITY_CHECK_OVERRIDDEN = "identity.overridden", _("published a text despite the identity check")
    # Dialogues
    DIALOGUE_STATE = "dialogue.state", _("changed a dialogue's state")
    DIALOGUE_AMENDED = "dialogue.amended", _("amended an open dialogue")
    CONFLICT_DECLARED = "conflict.declared", _("declared a conflict of interest")
    CONFLICT_CLEARED = "conflict.cleared", _("cleared a declared conflict of interest")
    RECORD_EXPORTED = "record.exported", _("exported a record")
    RECORD_PUBLISHED = "record.published", _("published a dialogue's public record")
    SUBMISSION_ACCESSED = "submission.accessed", _("opened a confidential proposal")
    # Moderation
    REPORT_FILED = "report.filed", _("reported content")
    REPORT_DISMISSED = "report.dismissed", _("dismissed a report")
    CONTENT_HIDDEN = "content.hidden", _("hid content")
    CONTENT_RESTORED = "content.restored", _("restored content")
    THREAD_LOCKED = "thread.locked", _("locked a discussion")
    THREAD_UNLOCKED = "thread.unlocked", _("unlocked a discussion")
    USER_SUSPENDED = "user.suspended", _("suspended a user")
    SUSPENSION_LIFTED = "suspension.lifted", _("lifted a suspension")
    AUDIT_EXPORTED = "audit.exported", _("exported the audit log")
    INDICATOR_EXPORTED = "indicator.exported", _("exported indicator figures")
    # Experience reports
    EXPERIENCE_SAVED = "experience.saved", _("saved an experience report")
    EXPERIENCE_SUBMITTED = "experience.submitted", _("sent an experience report for review")
    EXPERIENCE_PUBLISHED = "experience.published", _("published an experience report")
    EXPERIENCE_RETURNED = "experience.returned", _("returned an experience report for changes")
    # Guidance
    GUIDANCE_EDITED = "guidance.edited", _("edited a guidance text")
    OUTREACH_SENT = "outreach.sent", _("wrote to many people through the outbox")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the audit log is append-only")

    def delete(self):
        raise AppendOnlyError("the audit log is append-only")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("the audit log is append-only")

    # bulk_create is allowed: it only adds rows.


class AuditEntry(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    target_type = models.CharField(_("target type"), max_length=60)
    target_id = models.CharField(_("target id"), max_length=60, blank=True)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    group_id = models.BigIntegerField(_("group id"), null=True, blank=True, db_index=True)
    group_label = models.CharField(_("group"), max_length=300, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # What changed, as a code or a few words that need no lookup ("pre_study", "draft → open");
    # audit/details.py words it in the reader's language.
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    # The values that go with the detail (a date, a version number), never prose.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # What only some readers of the log may see (the name of a proposal's attachment): shown
    # only to those a rule registered in audit/details.py lets read the group's confidential details.
    confidential = models.JSONField(_("confidential details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["group_id", "-at"]), models.Index(fields=["actor_id", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the audit log is append-only")
