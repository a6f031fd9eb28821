"""Moderation: everything that writes (PRODUCT.md §2.7). Views check permissions first
(moderation/access.py); these functions check the rules of the action itself. Every action is
written to the audit log in its own transaction, and the people concerned are notified through
the outbox. Messages go through discussions/services.py, which also broadcasts the change
to open browsers after commit."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CODE_OF_CONDUCT_VERSION, CodeOfConductAcceptance, Suspension
from audit.models import Action
from audit.services import record
from core.sockets import revoke_socket_access
from discussions.models import Message
from discussions.services import (
    ThreadRuleError,
    hide_message,
    restore_message,
)
from moderation.access import group_of, moderator_users
from moderation.models import Report
from notifications.services import notify


class ModerationError(Exception):
    """A rule of moderation was broken; the message is for people."""


def _clean_reason(reason: str, *, required=True) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ModerationError(_("Give a reason: it is kept for the record."))
    if len(reason) > Report.REASON_MAX_LENGTH:
        raise ModerationError(
            _("A reason can be at most %(limit)d characters; this one has %(length)d.")
            % {"limit": Report.REASON_MAX_LENGTH, "length": len(reason)}
        )
    return reason


def author_of(target):
    """Who wrote the item and hears what moderators do to it (None when unknown or deleted)."""
    if isinstance(target, Message):
        return target.author
    if hasattr(target, "created_by"):  # a document
        return target.created_by
    if hasattr(target, "asked_by"):  # a question
        return target.asked_by
    version = target.latest_version  # a proposal: whoever sent its current version
    return version.submitted_by if version else None


def place_of(target) -> str:
    if isinstance(target, Message):
        return str(target.thread)
    if hasattr(target, "dialogue"):
        return target.dialogue.title
    return target.group.name


# --- Reports -----------------------------------------------------------------------------


@transaction.atomic
def report_content(*, reporter, target, reason: str) -> Report:
    """Anyone who can see an item (the caller checked) reports it with a reason; one open report
    per person and item. The group's moderators are notified (e-mail at once by default)."""
    if not reason or not reason.strip():
        raise ModerationError(_("Say what is wrong: the moderators need a reason to act on a report."))
    reason = _clean_reason(reason)
    if target.is_hidden:
        raise ModerationError(_("A moderator has already removed this."))
    field = Report.field_for(target)
    if Report.objects.open().about(target).filter(reporter=reporter).exists():
        raise ModerationError(_("You have already reported this. A moderator will look at your report."))
    group = group_of(target)
    try:
        with transaction.atomic():
            report = Report.objects.create(kind=field, group=group, reporter=reporter, reason=reason, **{field: target})
    except IntegrityError as error:  # two clicks at once: the constraint keeps one
        raise ModerationError(_("You have already reported this. A moderator will look at your report.")) from error
    record(actor=reporter, action=Action.REPORT_FILED, target=target, reason=reason, group=group)
    notify(
        kind="content_reported",
        recipients=moderator_users(group),
        params={"place": place_of(target), "reason": reason},
        url=reverse("moderation:report-detail", args=[report.pk]),
        place=group,
        target=report,
        actor=reporter,
    )
    return report


def _decide_reports(target, moderator, state, note: str) -> int:
    return (
        Report.objects.open()
        .about(target)
        .update(state=state, decided_at=timezone.now(), decided_by=moderator, decision_note=note)
    )


def _refuse_own_report(report, moderator) -> None:
    if report is not None and report.reporter_id == moderator.pk:
        raise ModerationError(_("You filed this report yourself, so another moderator must decide on it."))


@transaction.atomic
def dismiss_report(*, report: Report, moderator, note: str = "") -> Report:
    """A moderator decides that a report needs no action. Not on their own report."""
    _refuse_own_report(report, moderator)
    note = _clean_reason(note, required=False)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_open:
        raise ModerationError(_("This report has already been decided."))
    report.state, report.decided_at, report.decided_by, report.decision_note = (
        Report.State.DISMISSED,
        timezone.now(),
        moderator,
        note,
    )
    report.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
    record(actor=moderator, action=Action.REPORT_DISMISSED, target=report, reason=note, group=report.group)
    return report


# --- Hiding and restoring content ----------------------------------------------------------


def _notify_author(target, moderator, *, variant: str, reason: str = "") -> None:
    author = author_of(target)
    if author is None:
        return
    notify(
        kind="moderation_action",
        recipients=[author],
        params={"variant": variant, "place": place_of(target), "reason": reason},
        target=target,
        actor=moderator,
    )


@transaction.atomic
def hide_content(*, target, moderator, reason: str, report: Report | None = None):
    """A moderator of the item's group (the caller checked) hides it with a reason: everyone else
    sees "removed by a moderator" and the reason; the original stays for the record and for
    moderators. The author is notified, and every open report about the item is resolved."""
    _refuse_own_report(report, moderator)
    reason = _clean_reason(reason)
    if isinstance(target, Message):
        try:
            target = hide_message(message=target, moderator=moderator, reason=reason)
        except ThreadRuleError as error:
            raise ModerationError(str(error)) from error
    else:
        target = type(target).objects.select_for_update(of=("self",)).get(pk=target.pk)
        if target.is_hidden:
            raise ModerationError(_("A moderator has already removed this."))
        target.hidden_at, target.hidden_by, target.hidden_reason = timezone.now(), moderator, reason
        target.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        record(actor=moderator, action=Action.CONTENT_HIDDEN, target=target, reason=reason, group=group_of(target))
        _notify_author(target, moderator, variant="hidden", reason=reason)
    _decide_reports(target, moderator, Report.State.RESOLVED, reason)
    return target


def _restore_reports(target, moderator, note: str) -> int:
    """The reports that removed the item now say it is shown again (Report.State.RESTORED),
    decided by the moderator who restored it. They stay decided: restoring is a moderator's
    decision about the same complaint, so it does not go back to the queue (a new report can be
    filed once the item is shown). Who removed it and why stays in the audit log."""
    return (
        Report.objects.about(target)
        .filter(state=Report.State.RESOLVED)
        .update(state=Report.State.RESTORED, decided_at=timezone.now(), decided_by=moderator, decision_note=note)
    )


@transaction.atomic
def restore_content(*, target, moderator, reason: str = ""):
    """A moderator shows a hidden item again; the author is told, and the reports that had it
    removed follow (_restore_reports)."""
    reason = _clean_reason(reason, required=False)
    if isinstance(target, Message):
        try:
            target = restore_message(message=target, moderator=moderator, reason=reason)
        except ThreadRuleError as error:
            raise ModerationError(str(error)) from error
        _restore_reports(target, moderator, reason)
        return target
    target = type(target).objects.select_for_update(of=("self",)).get(pk=target.pk)
    if not target.is_hidden:
        raise ModerationError(_("This is not hidden."))
    target.hidden_at, target.hidden_by, target.hidden_reason = None, None, ""
    target.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    record(actor=moderator, action=Action.CONTENT_RESTORED, target=target, reason=reason, group=group_of(target))
    _notify_author(target, moderator, variant="restored")
    _restore_reports(target, moderator, reason)
    return target


# --- Suspensions -------------------------------------------------------------------------


@transaction.atomic
def suspend_user(*, user, moderator, reason: str, group=None, ends_at=None) -> Suspension:
    """Suspend a user from a group (or, group=None, the whole site) until `ends_at` or, without
    one, until lifted (the caller checked the moderator may: access.require_can_suspend). The
    user cannot post or join there, is told why and until when, and every live discussion
    connection of theirs re-checks access after commit (and closes)."""
    reason = _clean_reason(reason)
    now = timezone.now()
    if ends_at is not None and ends_at <= now:
        raise ModerationError(_("The end of a suspension must be in the future."))
    suspension = Suspension.objects.create(
        user=user, group=group, reason=reason, starts_at=now, ends_at=ends_at, created_by=moderator
    )
    record(
        actor=moderator,
        action=Action.USER_SUSPENDED,
        target=user,
        reason=reason,
        group=group,
        params={"suspension": suspension.pk, "ends_at": ends_at.isoformat() if ends_at else None},
    )
    place = group.name if group is not None else _("the site")
    notify(
        kind="moderation_action",
        recipients=[user],
        params={
            "variant": "suspended_until" if ends_at else "suspended",
            "place": place,
            "reason": reason,
            **({"until": ends_at} if ends_at else {}),
        },
        url=reverse("moderation:code-of-conduct"),
        place=group,
        actor=moderator,
    )
    revoke_socket_access([user.pk])
    return suspension


@transaction.atomic
def lift_suspension(*, suspension: Suspension, moderator, reason: str = "") -> Suspension:
    reason = _clean_reason(reason, required=False)
    suspension = (
        Suspension.objects.select_for_update(of=("self",)).select_related("user", "group").get(pk=suspension.pk)
    )
    if not suspension.is_in_force():
        raise ModerationError(_("This suspension is no longer in force."))
    suspension.lifted_at, suspension.lifted_by, suspension.lift_reason = timezone.now(), moderator, reason
    suspension.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    record(
        actor=moderator,
        action=Action.SUSPENSION_LIFTED,
        target=suspension.user,
        reason=reason,
        group=suspension.group,
        params={
            "suspension": suspension.pk,
            "ends_at": suspension.ends_at.isoformat() if suspension.ends_at else None,
        },
    )
    notify(
        kind="moderation_action",
        recipients=[suspension.user],
        params={"variant": "lifted", "place": suspension.group.name if suspension.group else _("the site")},
        place=suspension.group,
        actor=moderator,
    )
    return suspension


# --- Code of conduct ---------------------------------------------------------------------


def accept_code_of_conduct(*, user) -> CodeOfConductAcceptance:
    """Record (once per version) that the user accepted the code of conduct, with the time."""
    acceptance, _created = CodeOfConductAcceptance.objects.get_or_create(user=user, version=CODE_OF_CONDUCT_VERSION)
    return acceptance
