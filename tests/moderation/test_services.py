"""Reports, hiding and restoring, for each kind of content (moderation/services.py)."""

import pytest

from audit.models import Action, AuditEntry
from moderation.models import Report
from moderation.services import ModerationError, dismiss_report, hide_content, report_content, restore_content
from notifications.models import Notification

KINDS = ["message", "document", "question", "submission"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_report_is_stored_recorded_and_sent_to_the_moderators(mc, kind, django_capture_on_commit_callbacks):
    reporter = mc.observer if kind in ("message", "document") else mc.member  # someone who can see it
    report = report_content(reporter=reporter, target=mc.items[kind], reason="Kränkande")
    assert (report.kind, report.state, report.group) == (kind, Report.State.OPEN, mc.group)
    assert report.target == mc.items[kind]
    entry = AuditEntry.objects.get(action=Action.REPORT_FILED)
    assert (entry.actor_id, entry.group_id, entry.reason) == (reporter.pk, mc.group.pk, "Kränkande")
    told = set(Notification.objects.filter(kind="content_reported").values_list("recipient_id", flat=True))
    assert told == {mc.coordinator.pk, mc.facilitator.pk}


@pytest.mark.parametrize("kind", KINDS)
def test_reporting_the_same_item_twice_is_refused(mc, kind):
    report_content(reporter=mc.observer, target=mc.items[kind], reason="Fel")
    with pytest.raises(ModerationError, match="already reported"):
        report_content(reporter=mc.observer, target=mc.items[kind], reason="Fel igen")
    assert Report.objects.count() == 1


def test_someone_else_may_report_the_same_item(mc):
    report_content(reporter=mc.observer, target=mc.message, reason="Fel")
    report_content(reporter=mc.coordinator, target=mc.message, reason="Fel")
    assert Report.objects.open().about(mc.message).count() == 2


def test_after_a_decision_the_same_person_may_report_again(mc):
    report = report_content(reporter=mc.observer, target=mc.message, reason="Fel")
    dismiss_report(report=report, moderator=mc.facilitator)
    report_content(reporter=mc.observer, target=mc.message, reason="Fortfarande fel")
    assert Report.objects.about(mc.message).count() == 2


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_an_empty_reason_is_refused(mc, reason):
    with pytest.raises(ModerationError, match="need a reason"):
        report_content(reporter=mc.observer, target=mc.message, reason=reason)
    assert not Report.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_hiding_keeps_the_original_resolves_reports_and_tells_the_author(mc, kind):
    target = mc.items[kind]
    report = report_content(reporter=mc.observer, target=target, reason="Kränkande")
    hidden = hide_content(target=target, moderator=mc.facilitator, reason="Bryter mot uppförandekoden", report=report)
    hidden.refresh_from_db()
    assert hidden.is_hidden and hidden.hidden_by == mc.facilitator
    assert hidden.hidden_reason == "Bryter mot uppförandekoden"
    original = {"message": "body", "document": "title", "question": "text", "submission": "latest_version_id"}[kind]
    assert getattr(hidden, original) == getattr(target, original)  # the original stays
    report.refresh_from_db()
    assert (report.state, report.decided_by) == (Report.State.RESOLVED, mc.facilitator)
    assert AuditEntry.objects.filter(action=Action.CONTENT_HIDDEN, target_id=str(target.pk)).count() == 1
    notice = Notification.objects.get(kind="moderation_action", recipient=mc.authors[kind])
    assert notice.params["variant"] == "hidden"


@pytest.mark.parametrize("kind", KINDS)
def test_restoring_shows_the_item_again_and_is_recorded(mc, kind):
    target = mc.items[kind]
    hide_content(target=target, moderator=mc.coordinator, reason="Fel")
    restored = restore_content(target=target, moderator=mc.facilitator, reason="Rätt ändå")
    restored.refresh_from_db()
    assert not restored.is_hidden and restored.hidden_reason == ""
    assert AuditEntry.objects.filter(action=Action.CONTENT_RESTORED, target_id=str(target.pk)).count() == 1
    variants = [
        n.params["variant"]
        for n in Notification.objects.filter(recipient=mc.authors[kind])
        if n.kind == "moderation_action"
    ]
    assert sorted(variants) == ["hidden", "restored"]


@pytest.mark.parametrize("kind", KINDS)
def test_hiding_twice_and_restoring_what_is_shown_are_refused(mc, kind):
    target = mc.items[kind]
    with pytest.raises(ModerationError):
        restore_content(target=target, moderator=mc.facilitator)
    hide_content(target=target, moderator=mc.facilitator, reason="Fel")
    target.refresh_from_db()
    with pytest.raises(ModerationError):
        hide_content(target=target, moderator=mc.facilitator, reason="Fel igen")


def test_hiding_needs_a_reason(mc):
    with pytest.raises(ModerationError, match="reason"):
        hide_content(target=mc.document, moderator=mc.facilitator, reason=" ")
    mc.document.refresh_from_db()
    assert not mc.document.is_hidden


def test_a_moderator_cannot_decide_on_their_own_report(mc):
    report = report_content(reporter=mc.coordinator, target=mc.message, reason="Fel")
    with pytest.raises(ModerationError, match="yourself"):
        dismiss_report(report=report, moderator=mc.coordinator)
    with pytest.raises(ModerationError, match="yourself"):
        hide_content(target=mc.message, moderator=mc.coordinator, reason="Fel", report=report)
    report.refresh_from_db()
    assert report.is_open


def test_dismissing_is_recorded_and_only_once(mc):
    report = report_content(reporter=mc.observer, target=mc.question, reason="Fel")
    dismiss_report(report=report, moderator=mc.facilitator, note="Inget fel")
    report.refresh_from_db()
    assert (report.state, report.decision_note) == (Report.State.DISMISSED, "Inget fel")
    assert AuditEntry.objects.filter(action=Action.REPORT_DISMISSED).count() == 1
    with pytest.raises(ModerationError, match="already been decided"):
        dismiss_report(report=report, moderator=mc.coordinator)


def test_a_hidden_item_cannot_be_reported(mc):
    hide_content(target=mc.document, moderator=mc.facilitator, reason="Fel")
    mc.document.refresh_from_db()
    with pytest.raises(ModerationError, match="already removed"):
        report_content(reporter=mc.observer, target=mc.document, reason="Fel")


# --- The reports follow a restore --------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_restoring_turns_the_reports_that_removed_the_item_into_restored(mc, kind):
    """The reports no longer say "content removed" once it is shown again; they stay decided (the
    restoring moderator decided), out of the queue of open reports."""
    target = mc.items[kind]
    report = report_content(reporter=mc.observer, target=target, reason="Kränkande")
    hide_content(target=target, moderator=mc.coordinator, reason="Bryter mot koden", report=report)
    report.refresh_from_db()
    assert report.state == Report.State.RESOLVED
    restore_content(target=target, moderator=mc.facilitator, reason="Rätt ändå")
    report.refresh_from_db()
    assert (report.state, report.decided_by, report.decision_note) == (
        Report.State.RESTORED,
        mc.facilitator,
        "Rätt ändå",
    )
    assert not Report.objects.open().about(target).exists()


def test_a_restore_leaves_dismissed_reports_and_other_items_alone(mc):
    dismissed = report_content(reporter=mc.observer, target=mc.message, reason="Fel")
    dismiss_report(report=dismissed, moderator=mc.facilitator, note="Inget fel")
    resolved = report_content(reporter=mc.coordinator, target=mc.message, reason="Kränkande")
    elsewhere = report_content(reporter=mc.observer, target=mc.document, reason="Kränkande")
    hide_content(target=mc.message, moderator=mc.facilitator, reason="Bort", report=resolved)
    hide_content(target=mc.document, moderator=mc.facilitator, reason="Bort", report=elsewhere)
    restore_content(target=mc.message, moderator=mc.facilitator)
    states = {r.pk: r.state for r in Report.objects.all()}
    assert states == {
        dismissed.pk: Report.State.DISMISSED,
        resolved.pk: Report.State.RESTORED,
        elsewhere.pk: Report.State.RESOLVED,
    }


def test_once_restored_the_item_can_be_reported_again(mc):
    report = report_content(reporter=mc.observer, target=mc.question, reason="Fel")
    hide_content(target=mc.question, moderator=mc.facilitator, reason="Bort", report=report)
    restore_content(target=mc.question, moderator=mc.facilitator)
    mc.question.refresh_from_db()
    again = report_content(reporter=mc.observer, target=mc.question, reason="Fortfarande fel")
    assert again.is_open and Report.objects.about(mc.question).count() == 2
