"""The redesign's moves keep every row: discussions (threads, messages, edits, moderation)
leave dialogues, suspensions and code-of-conduct acceptances leave moderation for accounts, and
theme follows leave notifications for groups, each with SeparateDatabaseAndState (the tables
stay) and its content types renamed.

The database is taken back to just before the moves, filled through the historical models,
and migrated to the latest migrations (whatever they are by then); the current models must find
every row with its relations, and a notification pointing at a message must still reach it."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import CodeOfConductAcceptance, Suspension, User
from audit.models import Action, AuditEntry
from discussions.models import Message, MessageEdit, Thread
from groups.models import ThemeFollow
from moderation.models import Report
from notifications.models import Notification

BEFORE_THE_MOVES = [
    ("dialogues", "0004_fairness"),
    ("moderation", "0001_initial"),
    ("accounts", "0003_organisation_identifiers"),
    ("groups", "0003_document_hidden"),
    ("notifications", "0003_fairness_kinds"),
]
# Where each moved model's content type was, and where it is now.
MOVED = {
    Thread: "dialogues",
    Message: "dialogues",
    MessageEdit: "dialogues",
    Suspension: "moderation",
    CodeOfConductAcceptance: "moderation",
    ThemeFollow: "notifications",
}


def migrate_to_the_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def old_apps():
    """The apps as they were before the moves, with the database migrated back to them (and
    the discussions app unapplied); afterwards the database is at the latest migrations again,
    whatever the test did."""
    executor = MigrationExecutor(connection)
    executor.migrate([*BEFORE_THE_MOVES, ("discussions", None)])
    try:
        yield executor.loader.project_state(BEFORE_THE_MOVES).apps
    finally:
        migrate_to_the_latest()


def fill(apps):
    """One of everything that moved, through the historical models; returns the ids to look for."""
    get = apps.get_model
    now = timezone.now()
    user = get("accounts", "User")
    anna, erik, sara, olle = (
        user.objects.create(email=f"{name}@example.se", name=name.title(), password="!")
        for name in ("anna", "erik", "sara", "olle")
    )
    organisation = get("accounts", "Organisation")
    vaxjo = organisation.objects.create(
        name="Växjö kommun", kind="kommun", status="verified", organisation_number="212000-0688"
    )
    solvent = organisation.objects.create(
        name="Solvent AB", kind="supplier", status="verified", organisation_number="556123-4567"
    )
    group = get("groups", "BuyerGroup").objects.create(
        name="Fossilfria arbetsmaskiner", slug="fossilfria", theme="transport", summary="S", challenge="C"
    )
    need = get("groups", "NeedStatement").objects.create(group=group)
    dialogue = get("dialogues", "Dialogue").objects.create(
        group=group,
        need=need,
        title="Dialog",
        purpose="P",
        question_deadline=now + timedelta(days=14),
        submission_deadline=now + timedelta(days=30),
        state="open",
        opened_at=now,
        created_by=anna,
    )
    thread_model = get("dialogues", "Thread")
    group_thread = thread_model.objects.create(
        kind="group", group=group, title="Laddning", created_by=anna, message_count=2, revision=3
    )
    private_thread = thread_model.objects.create(kind="private", group=group, dialogue=dialogue, supplier=solvent)
    message_model = get("dialogues", "Message")
    question = message_model.objects.create(
        thread=group_thread, author=anna, organisation=vaxjo, body="Hej @Erik och @Olle", html="<p>Hej</p>"
    )
    question.mentions.set([erik, olle])
    answer = message_model.objects.create(
        thread=group_thread, author=erik, body="Rättat svar", html="<p>Rättat svar</p>", edited_at=now
    )
    private = message_model.objects.create(thread=private_thread, author=sara, organisation=solvent, body="I")
    edit = get("dialogues", "MessageEdit").objects.create(
        message=answer, body="Svar", html="<p>Svar</p>", written_at=now - timedelta(minutes=5), edited_by=erik
    )
    get("dialogues", "ThreadModeration").objects.create(
        thread=group_thread, message=answer, action="hidden", actor=anna, reason="Ton"
    )
    report = get("moderation", "Report").objects.create(
        kind="message", group=group, message=answer, reporter=olle, reason="Olämpligt"
    )
    content_type = get("contenttypes", "ContentType")
    message_type, _ = content_type.objects.get_or_create(app_label="dialogues", model="message")
    notification = get("notifications", "Notification").objects.create(
        recipient=erik, kind="mention", params={"person": "Anna"}, target_type=message_type, target_id=question.pk
    )
    suspension = get("moderation", "Suspension").objects.create(
        user=sara, group=group, reason="Spam", created_by=anna, ends_at=now + timedelta(days=7)
    )
    acceptance = get("moderation", "CodeOfConductAcceptance").objects.create(user=sara, version="2026-1")
    follow = get("notifications", "ThemeFollow").objects.create(user=olle, theme="transport")
    return {
        "users": {"anna": anna.pk, "erik": erik.pk, "sara": sara.pk, "olle": olle.pk},
        "group": group.pk,
        "dialogue": dialogue.pk,
        "solvent": solvent.pk,
        "vaxjo": vaxjo.pk,
        "group_thread": group_thread.pk,
        "private_thread": private_thread.pk,
        "question": question.pk,
        "answer": answer.pk,
        "private": private.pk,
        "edit": edit.pk,
        "report": report.pk,
        "notification": notification.pk,
        "suspension": suspension.pk,
        "acceptance": acceptance.pk,
        "follow": follow.pk,
        # Every moved model's content type before the move: the same rows must be renamed.
        "content_types": {
            model: content_type.objects.get_or_create(app_label=app, model=model._meta.model_name)[0].pk
            for model, app in MOVED.items()
        },
    }


@pytest.mark.django_db(transaction=True)
def test_the_moved_models_keep_every_row_and_relation(old_apps):
    ids = fill(old_apps)
    migrate_to_the_latest()
    ContentType.objects.clear_cache()  # as a new process would start: the labels changed under it
    users = {name: User.objects.get(pk=pk) for name, pk in ids["users"].items()}

    group_thread = Thread.objects.get(pk=ids["group_thread"])
    assert (group_thread.kind, group_thread.group_id, group_thread.title) == ("group", ids["group"], "Laddning")
    assert (group_thread.created_by, group_thread.message_count, group_thread.revision) == (users["anna"], 2, 3)
    private_thread = Thread.objects.get(pk=ids["private_thread"])
    assert (private_thread.dialogue_id, private_thread.supplier_id) == (ids["dialogue"], ids["solvent"])

    question, answer = Message.objects.get(pk=ids["question"]), Message.objects.get(pk=ids["answer"])
    assert list(group_thread.messages.values_list("pk", flat=True)) == [question.pk, answer.pk]
    assert list(private_thread.messages.values_list("pk", flat=True)) == [ids["private"]]
    assert (question.author, question.organisation_id, question.body) == (
        users["anna"],
        ids["vaxjo"],
        "Hej @Erik och @Olle",
    )
    assert set(question.mentions.all()) == {users["erik"], users["olle"]}
    assert list(users["olle"].thread_mentions.all()) == [question]

    edit = MessageEdit.objects.get(pk=ids["edit"])
    assert list(answer.edits.all()) == [edit]
    assert (edit.body, edit.edited_by) == ("Svar", users["erik"])
    # The moderation moved on once more, into the one event log (discussions 0002).
    hidden = AuditEntry.objects.get(action=Action.CONTENT_HIDDEN, target_id=str(answer.pk))
    assert (hidden.actor_id, hidden.reason, hidden.group_id) == (users["anna"].pk, "Ton", ids["group"])

    report = Report.objects.get(pk=ids["report"])
    assert (report.message, report.reporter, report.kind) == (answer, users["olle"], "message")
    assert list(answer.reports.all()) == [report]

    notification = Notification.objects.get(pk=ids["notification"])
    assert notification.target_type == ContentType.objects.get_for_model(Message)
    assert notification.target == question
    assert list(users["erik"].notifications.all()) == [notification]

    suspension = Suspension.objects.get(pk=ids["suspension"])
    assert list(users["sara"].suspensions.all()) == [suspension]
    assert (suspension.group_id, suspension.created_by, suspension.reason) == (ids["group"], users["anna"], "Spam")
    acceptance = CodeOfConductAcceptance.objects.get(pk=ids["acceptance"])
    assert list(users["sara"].code_of_conduct_acceptances.all()) == [acceptance]
    assert acceptance.version == "2026-1"
    follow = ThemeFollow.objects.get(pk=ids["follow"])
    assert list(users["olle"].theme_follows.all()) == [follow]
    assert follow.theme == "transport"

    for model, old_label in MOVED.items():
        name = model._meta.model_name
        assert ContentType.objects.get(app_label=model._meta.app_label, model=name).pk == ids["content_types"][model]
        assert not ContentType.objects.filter(app_label=old_label, model=name).exists()
