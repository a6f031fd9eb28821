"""The group history becomes the group's part of the audit log: every GroupEvent is copied into
audit.AuditEntry (time, actor, action, target, group, reason; unless the log already holds it, see
audit/backfill.py), then GroupEvent goes. The history page reads the audit log from now on.

GroupEvent knew the organisation or the person an event concerned, and for the dialogue events
only the dialogue's title; the audit log names a target. So the target is found: the
organisation's membership in the group at the time, the person, the group, or the group's
dialogue of that title (which is why this migration depends on dialogues' state; it reads a
table, it imports nothing). A "declined" is a declined join request, or a declined invitation
when the organisation's last request or invitation before it was an invitation.

Going back recreates an empty GroupEvent table: the copies stay in the audit log, which no
one deletes from (tests/audit/test_event_log_migration.py runs this one way on a database
holding events).
"""

from django.conf import settings
from django.db import migrations

from audit.backfill import SAME_MOMENT, ExistingEntries, person_label

ACTIONS = {
    "created": "group.created",
    "requested": "membership.requested",
    "invited": "invitation.sent",
    "approved": "membership.approved",
    "accepted": "invitation.accepted",
    "left": "membership.left",
    "removed": "membership.removed",
    "coordinator_appointed": "coordinator.appointed",
    "coordinator_removed": "coordinator.removed",
    "stage_changed": "group.stage",
    "dialogue_opened": "dialogue.state",
    "dialogue_closed": "dialogue.state",
    "dialogue_summary_published": "record.published",
}
DECLINED_REQUEST, DECLINED_INVITATION = "membership.declined", "invitation.declined"
MEMBERSHIP_EVENTS = {"created", "requested", "invited", "approved", "declined", "accepted", "left", "removed"}
COORDINATOR_EVENTS = {"coordinator_appointed", "coordinator_removed"}
DIALOGUE_EVENTS = {
    "dialogue_opened": "draft → open",
    "dialogue_closed": "open → closed",
    "dialogue_summary_published": "",
}


def membership_at(memberships, event):
    """The organisation's membership that the event is about: the latest one begun by then."""
    if not memberships:
        return None
    begun = [m for m in memberships if m.created_at <= event.created_at + SAME_MOMENT]
    return begun[-1] if begun else memberships[0]


def copy_events(apps, schema_editor):
    GroupEvent = apps.get_model("groups", "GroupEvent")
    Membership = apps.get_model("groups", "Membership")
    Dialogue = apps.get_model("dialogues", "Dialogue")
    AuditEntry = apps.get_model("audit", "AuditEntry")

    existing = ExistingEntries(AuditEntry, {*ACTIONS.values(), DECLINED_REQUEST, DECLINED_INVITATION})
    memberships = {}
    for membership in Membership.objects.select_related("organisation").order_by("created_at", "pk"):
        memberships.setdefault((membership.group_id, membership.organisation_id), []).append(membership)
    dialogues = {}
    for dialogue in Dialogue.objects.order_by("pk"):
        dialogues.setdefault((dialogue.group_id, dialogue.title), []).append(dialogue)
    people = {}  # one label per person, however many events

    def label_of(user):
        if user is None:
            return ""
        if user.pk not in people:
            people[user.pk] = person_label(user)
        return people[user.pk]

    last_opening = {}  # (group, organisation) → "requested" or "invited", in time order
    copies = []
    events = GroupEvent.objects.select_related("group", "actor", "organisation", "subject_user")
    for event in events.order_by("created_at", "pk"):
        group = event.group
        # An action GroupEvent never had keeps its code, so that nothing is lost.
        action = ACTIONS.get(event.action, event.action)
        detail = event.detail
        target_types, target_id, target_label = ("groups.buyergroup",), str(group.pk), group.name
        if event.action in MEMBERSHIP_EVENTS:
            target_types, target_id, target_label = ("groups.membership",), "", ""
            key = (group.pk, event.organisation_id)
            if event.action in ("requested", "invited"):
                last_opening[key] = event.action
            if event.action == "declined":
                action = DECLINED_INVITATION if last_opening.get(key) == "invited" else DECLINED_REQUEST
            membership = membership_at(memberships.get(key, []), event)
            if membership is not None:
                target_id = str(membership.pk)
                target_label = f"{membership.organisation.name} in {group.name}"
            elif event.organisation is not None:
                target_label = f"{event.organisation.name} in {group.name}"
        elif event.action in COORDINATOR_EVENTS:
            target_types = ("accounts.user",)
            target_id = str(event.subject_user_id or "")
            target_label = label_of(event.subject_user)
        elif event.action in DIALOGUE_EVENTS:  # they kept the dialogue's title in their detail
            target_types, target_label = ("dialogues.dialogue",), event.detail
            same_title = dialogues.get((group.pk, event.detail), [])
            target_id = str(same_title[0].pk) if len(same_title) == 1 else ""
            detail = DIALOGUE_EVENTS[event.action]
        if existing.take(
            action=action,
            actor_id=event.actor_id,
            target_types=target_types,
            target_id=target_id,
            target_label=target_label,
            at=event.created_at,
        ):
            continue
        copies.append(
            AuditEntry(
                at=event.created_at,
                actor_id=event.actor_id,
                actor_label=label_of(event.actor),
                action=action,
                target_type=target_types[0],
                target_id=target_id,
                target_label=target_label[:300],
                group_id=group.pk,
                group_label=group.name[:300],
                reason=event.reason,
                detail=detail[:200],
            )
        )
    AuditEntry.objects.bulk_create(copies, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0004_themefollow_from_notifications"),
        ("audit", "0005_group_history_actions"),
        ("dialogues", "0005_discussions_move_out"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="GroupEvent"),
    ]
