"""The discussions' moderation record becomes part of the audit log: every ThreadModeration is
copied into audit.AuditEntry (time, moderator, action, the message or the discussion, the group,
the reason; unless the log already holds it, see audit/backfill.py), then ThreadModeration goes
and its table (dialogues_threadmoderation) with it. The dialogue's record reads the moderation
actions from the audit log from now on (dialogues/record.py).

Going back recreates an empty table: the copies stay in the audit log, which no one deletes
from (tests/audit/test_event_log_migration.py runs this one way on a database holding rows).
"""

from django.conf import settings
from django.db import migrations
from django.utils.translation import gettext

from audit.backfill import ExistingEntries, person_label

ACTIONS = {
    "hidden": "content.hidden",
    "restored": "content.restored",
    "locked": "thread.locked",
    "unlocked": "thread.unlocked",
}
# Audit entries written before discussions left the dialogues app name their targets so.
MESSAGE_TYPES = ("discussions.message", "dialogues.message")
THREAD_TYPES = ("discussions.thread", "dialogues.thread")


def thread_label(thread) -> str:
    """What discussions.Thread.__str__ (display_title) gives, on a historical thread."""
    if thread.kind == "dialogue":
        return gettext("Open discussion: %(dialogue)s") % {"dialogue": thread.dialogue.title}
    if thread.kind == "private":
        return gettext("%(supplier)s and the group: %(dialogue)s") % {
            "supplier": thread.supplier.name,
            "dialogue": thread.dialogue.title,
        }
    return thread.title


def copy_moderations(apps, schema_editor):
    ThreadModeration = apps.get_model("discussions", "ThreadModeration")
    AuditEntry = apps.get_model("audit", "AuditEntry")

    existing = ExistingEntries(AuditEntry, ACTIONS.values())
    people = {}
    copies = []
    moderations = ThreadModeration.objects.select_related(
        "thread__group", "thread__dialogue", "thread__supplier", "message", "actor"
    )
    for moderation in moderations.order_by("at", "pk"):
        thread, message = moderation.thread, moderation.message
        action = ACTIONS.get(moderation.action, moderation.action)  # an unknown one keeps its code
        if message is not None:
            target_types, target_id, target_label = MESSAGE_TYPES, str(message.pk), message.body[:60]
        else:
            target_types, target_id, target_label = THREAD_TYPES, str(thread.pk), thread_label(thread)
        if existing.take(
            action=action,
            actor_id=moderation.actor_id,
            target_types=target_types,
            target_id=target_id,
            target_label=target_label,
            at=moderation.at,
        ):
            continue
        if moderation.actor_id is not None and moderation.actor_id not in people:
            people[moderation.actor_id] = person_label(moderation.actor)
        copies.append(
            AuditEntry(
                at=moderation.at,
                actor_id=moderation.actor_id,
                actor_label=people.get(moderation.actor_id, ""),
                action=action,
                target_type=target_types[0],
                target_id=target_id,
                target_label=target_label[:300],
                group_id=thread.group_id,
                group_label=thread.group.name[:300],
                reason=moderation.reason,
            )
        )
    AuditEntry.objects.bulk_create(copies, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0001_initial"),
        ("audit", "0005_group_history_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(copy_moderations, migrations.RunPython.noop),
        migrations.DeleteModel(name="ThreadModeration"),
    ]
