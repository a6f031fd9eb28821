"""groups 0005 and discussions 0002 fold the group history (GroupEvent) and the discussions'
moderation record (ThreadModeration) into the audit log, then drop them. This builds a database
as it was before them, with rows in both, runs them, and checks that every row arrived once:
time, actor, action, target, group and reason, and nothing doubled that the log already held."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from audit.models import Action, AuditEntry
from dialogues.models import Dialogue
from dialogues.record import build_record

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("audit", "0004_fairness_actions"),
    ("groups", "0004_themefollow_from_notifications"),
    ("discussions", "0001_initial"),
]


def migrate(targets):
    """Migrate to `targets` and return the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def migrate_to_the_latest():
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture
def old():
    """The models before the event log was one; the database goes back to the latest after."""
    try:
        yield migrate(BEFORE)
    finally:
        migrate_to_the_latest()


T0 = timezone.now().replace(microsecond=0) - timedelta(days=30)


def at(minutes, seconds=0.0):
    return T0 + timedelta(minutes=minutes, seconds=seconds)


def build_old_database(apps):
    """People, a group with its memberships and dialogue, discussions, and rows in both old logs
    and in the audit log. Returns what the checks need."""
    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("accounts", "Organisation")
    OrganisationMember = apps.get_model("accounts", "OrganisationMember")
    BuyerGroup = apps.get_model("groups", "BuyerGroup")
    Membership = apps.get_model("groups", "Membership")
    NeedStatement = apps.get_model("groups", "NeedStatement")
    GroupEvent = apps.get_model("groups", "GroupEvent")
    Dialogue = apps.get_model("dialogues", "Dialogue")
    Thread = apps.get_model("discussions", "Thread")
    Message = apps.get_model("discussions", "Message")
    ThreadModeration = apps.get_model("discussions", "ThreadModeration")
    OldAuditEntry = apps.get_model("audit", "AuditEntry")

    def organisation(name, number):
        return Organisation.objects.create(name=name, kind="kommun", organisation_number=number, status="verified")

    vaxjo, lund, trafikverket = (
        organisation("Växjö kommun", "212000-0689"),
        organisation("Lunds kommun", "212000-1124"),
        organisation("Trafikverket", "202100-6297"),
    )
    anna = User.objects.create(email="anna@vaxjo.se", name="Anna Samordnare", password="x")
    erik = User.objects.create(email="erik@lund.se", name="", password="x")  # no name: the address
    gone = User.objects.create(email="gone@lund.se", name="Borta", password="x", deleted_at=at(0))
    OrganisationMember.objects.create(organisation=lund, user=gone)
    group = BuyerGroup.objects.create(
        name="Fossilfria", slug="fossilfria", theme="transport", summary="s", challenge="c"
    )
    first = Membership.objects.create(group=group, organisation=vaxjo, role="member", status="active")
    lund_before = Membership.objects.create(group=group, organisation=lund, role="member", status="left")
    lund_again = Membership.objects.create(group=group, organisation=lund, role="member", status="active")
    declined_invitation = Membership.objects.create(
        group=group, organisation=trafikverket, role="observer", status="declined"
    )
    Membership.objects.filter(pk__in=[first.pk, lund_before.pk, declined_invitation.pk]).update(created_at=at(0))
    Membership.objects.filter(pk=lund_again.pk).update(created_at=at(60))
    need = NeedStatement.objects.create(group=group)
    dialogue = Dialogue.objects.create(
        group=group, need=need, title="Laddinfrastruktur", question_deadline=at(100), submission_deadline=at(200)
    )
    open_thread = Thread.objects.create(kind="dialogue", group=group, dialogue=dialogue)
    group_thread = Thread.objects.create(kind="group", group=group, title="Internt")
    message = Message.objects.create(thread=open_thread, author=erik, body="Köp våra laddare!", html="<p>x</p>")

    def event(minute, actor, action, **fields):
        return GroupEvent.objects.create(group=group, actor=actor, action=action, created_at=at(minute), **fields)

    events = [
        event(1, anna, "created", organisation=vaxjo),
        event(1, anna, "coordinator_appointed", subject_user=anna),
        event(2, erik, "requested", organisation=lund, reason="Vi vill", detail="Medlem"),
        event(3, anna, "approved", organisation=lund),
        event(4, gone, "left", organisation=lund, reason="Slut"),
        event(5, anna, "invited", organisation=trafikverket, detail="Observatör"),
        event(6, None, "declined", organisation=trafikverket),  # the actor's account is gone
        event(61, erik, "requested", organisation=lund),
        event(62, anna, "approved", organisation=lund, reason="Välkomna"),
        event(63, anna, "declined", organisation=lund, reason="Ångrat"),  # after a request: a request
        event(70, anna, "stage_changed", detail="Tidig dialog"),
        event(71, anna, "dialogue_opened", detail="Laddinfrastruktur"),
        event(72, anna, "dialogue_closed", detail="En dialog som bytt namn"),
        event(73, anna, "dialogue_summary_published", detail="Laddinfrastruktur"),
    ]

    def moderation(minute, actor, action, **fields):
        return ThreadModeration.objects.create(actor=actor, action=action, at=at(minute), **fields)

    moderations = [
        moderation(80, anna, "hidden", thread=open_thread, message=message, reason="Reklam"),
        moderation(81, anna, "restored", thread=open_thread, message=message, reason="Ändå ok"),
        moderation(82, anna, "locked", thread=group_thread, reason="Klart"),
        moderation(83, None, "unlocked", thread=group_thread),
    ]

    def existing(minute, actor, action, target_type, target_id, seconds=0.0, **fields):
        return OldAuditEntry.objects.create(
            at=at(minute, seconds),
            actor_id=actor.pk,
            actor_label=actor.name,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            group_id=group.pk,
            group_label=group.name,
            **fields,
        )

    # What the services wrote to the audit log too, while they wrote both logs: copied never.
    already = [
        existing(3, anna, "membership.approved", "groups.membership", lund_before.pk, seconds=0.4),
        existing(5, anna, "invitation.sent", "groups.membership", declined_invitation.pk, seconds=-0.3),
        existing(71, anna, "dialogue.state", "dialogues.dialogue", dialogue.pk, detail="draft → open"),
        # before discussions left the dialogues app, the log named a message so
        existing(80, anna, "content.hidden", "dialogues.message", message.pk, seconds=0.9, reason="Reklam"),
    ]
    # Not the same: the same action on the same target by the same person, but minutes apart.
    existing(82, anna, "thread.locked", "discussions.thread", group_thread.pk, seconds=5, reason="Klart")
    return {
        "users": (anna, erik, gone),
        "group": group,
        "memberships": (first, lund_before, lund_again, declined_invitation),
        "dialogue": dialogue,
        "threads": (open_thread, group_thread),
        "message": message,
        "events": events,
        "moderations": moderations,
        "already": already,
    }


def test_every_old_row_arrives_in_the_audit_log_once(old):
    made = build_old_database(old)
    audit_rows_before = AuditEntry.objects.count()
    with translation.override("en"):
        migrate_to_the_latest()

    tables = connection.introspection.table_names()
    assert "groups_groupevent" not in tables and "dialogues_threadmoderation" not in tables

    anna, erik, gone = made["users"]
    first, lund_before, lund_again, declined_invitation = made["memberships"]
    group, dialogue, message = made["group"], made["dialogue"], made["message"]
    group_thread = made["threads"][1]
    anna_label, erik_label, gone_label = "Anna Samordnare", "erik@lund.se", "deleted user, Lunds kommun"
    in_group = "{} in Fossilfria".format
    people = {anna.pk: anna_label, erik.pk: erik_label, gone.pk: gone_label, None: ""}
    member, user, buyer_group = "groups.membership", "accounts.user", "groups.buyergroup"
    a_dialogue, a_message, a_thread = "dialogues.dialogue", "discussions.message", "discussions.thread"
    # (minute, actor, action, target type, target id, target label, reason, detail)
    lines = [
        (1, anna, Action.GROUP_CREATED, member, first.pk, in_group("Växjö kommun"), "", ""),
        (1, anna, Action.COORDINATOR_APPOINTED, user, anna.pk, anna_label, "", ""),
        (2, erik, Action.MEMBERSHIP_REQUESTED, member, lund_before.pk, in_group("Lunds kommun"), "Vi vill", "Medlem"),
        (4, gone, Action.MEMBERSHIP_LEFT, member, lund_before.pk, in_group("Lunds kommun"), "Slut", ""),
        (6, None, Action.INVITATION_DECLINED, member, declined_invitation.pk, in_group("Trafikverket"), "", ""),
        (61, erik, Action.MEMBERSHIP_REQUESTED, member, lund_again.pk, in_group("Lunds kommun"), "", ""),
        (62, anna, Action.MEMBERSHIP_APPROVED, member, lund_again.pk, in_group("Lunds kommun"), "Välkomna", ""),
        (63, anna, Action.MEMBERSHIP_DECLINED, member, lund_again.pk, in_group("Lunds kommun"), "Ångrat", ""),
        (70, anna, Action.GROUP_STAGE_CHANGED, buyer_group, group.pk, "Fossilfria", "", "Tidig dialog"),
        (72, anna, Action.DIALOGUE_STATE, a_dialogue, "", "En dialog som bytt namn", "", "open → closed"),
        (73, anna, Action.RECORD_PUBLISHED, a_dialogue, dialogue.pk, "Laddinfrastruktur", "", ""),
        (81, anna, Action.CONTENT_RESTORED, a_message, message.pk, "Köp våra laddare!", "Ändå ok", ""),
        (82, anna, Action.THREAD_LOCKED, a_thread, group_thread.pk, "Internt", "Klart", ""),
        (83, None, Action.THREAD_UNLOCKED, a_thread, group_thread.pk, "Internt", "", ""),
    ]

    def row(minute, actor, action, target_type, target_id, target_label, reason, detail):
        actor_id = actor.pk if actor is not None else None
        return (
            at(minute),
            actor_id,
            people[actor_id],
            str(action),
            target_type,
            str(target_id),
            target_label,
            reason,
            detail,
        )

    expected = sorted(row(*line) for line in lines)
    copies = AuditEntry.objects.exclude(pk__in=[entry.pk for entry in made["already"]]).filter(at__lte=at(83))
    fields = ("at", "actor_id", "actor_label", "action", "target_type", "target_id", "target_label", "reason", "detail")
    assert sorted(copies.exclude(at=at(82, 5)).values_list(*fields)) == expected
    assert all(group_id == group.pk for group_id in copies.values_list("group_id", flat=True))
    assert set(copies.values_list("group_label", flat=True)) == {"Fossilfria"}
    # Every old row is there once: the copies, and the rows the log already held.
    assert AuditEntry.objects.count() == audit_rows_before + len(expected)
    assert len(made["events"]) + len(made["moderations"]) == len(expected) + len(made["already"])


def test_the_records_moderation_actions_survive_the_migration(old):
    made = build_old_database(old)
    migrate_to_the_latest()
    dialogue = Dialogue.objects.get(pk=made["dialogue"].pk)
    actions = build_record(dialogue, public=False)["moderation_actions"]
    message = made["message"]
    assert [(m["action"], m["reason"], m["message_id"]) for m in actions] == [
        ("hidden", "Reklam", message.pk),
        ("restored", "Ändå ok", message.pk),
    ]
