"""Discussions move out of the dialogues app without touching a row.

The tables keep their names (each model's Meta.db_table), so this migration only tells Django's
state where the models live now, and renames their content types so that notifications pointing
at a message or a thread keep pointing at it. dialogues 0005 then drops the models from the
dialogues app's state. tests/test_move_migrations.py runs it on a database holding
threads and messages.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ["thread", "message", "messageedit", "threadmoderation"]


def rename_content_types(apps, schema_editor, old="dialogues", new="discussions"):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if content_type.objects.filter(app_label=old, model=model).exists():
            content_type.objects.filter(app_label=new, model=model).delete()
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def restore_content_types(apps, schema_editor):
    rename_content_types(apps, schema_editor, old="discussions", new="dialogues")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0003_organisation_identifiers"),
        ("dialogues", "0004_fairness"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("groups", "0003_document_hidden"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Message",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("body", models.TextField(max_length=5000, verbose_name="message")),
                        ("html", models.TextField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("edited_at", models.DateTimeField(blank=True, null=True)),
                        ("revision", models.PositiveBigIntegerField(default=0)),
                        ("hidden_at", models.DateTimeField(blank=True, null=True)),
                        ("hidden_reason", models.TextField(blank=True, verbose_name="reason")),
                        (
                            "author",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "hidden_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "mentions",
                            models.ManyToManyField(
                                blank=True,
                                db_table="dialogues_message_mentions",
                                related_name="thread_mentions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="accounts.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "dialogues_message",
                        "ordering": ["pk"],
                    },
                ),
                migrations.CreateModel(
                    name="MessageEdit",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("body", models.TextField()),
                        ("html", models.TextField()),
                        ("written_at", models.DateTimeField()),
                        ("edited_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "edited_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "message",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="edits",
                                to="discussions.message",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "dialogues_messageedit",
                        "ordering": ["-edited_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Thread",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("group", "Group discussion"),
                                    ("dialogue", "Open dialogue discussion"),
                                    ("private", "Private discussion with a supplier"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("title", models.CharField(blank=True, max_length=200, verbose_name="title")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_message_at", models.DateTimeField(blank=True, null=True)),
                        ("message_count", models.PositiveIntegerField(default=0)),
                        ("revision", models.PositiveBigIntegerField(default=0)),
                        ("locked_at", models.DateTimeField(blank=True, null=True)),
                        ("lock_reason", models.TextField(blank=True, verbose_name="reason")),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "dialogue",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="threads",
                                to="dialogues.dialogue",
                            ),
                        ),
                        (
                            "group",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="threads",
                                to="groups.buyergroup",
                            ),
                        ),
                        (
                            "locked_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "supplier",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "discussion",
                        "verbose_name_plural": "discussions",
                        "db_table": "dialogues_thread",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.AddField(
                    model_name="message",
                    name="thread",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="messages", to="discussions.thread"
                    ),
                ),
                migrations.CreateModel(
                    name="ThreadModeration",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("hidden", "hid a message"),
                                    ("restored", "showed a hidden message again"),
                                    ("locked", "locked the discussion"),
                                    ("unlocked", "unlocked the discussion"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("reason", models.TextField(blank=True)),
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "actor",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "message",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="moderations",
                                to="discussions.message",
                            ),
                        ),
                        (
                            "thread",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="moderations",
                                to="discussions.thread",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "dialogues_threadmoderation",
                        "ordering": ["-at", "-pk"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="thread",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("dialogue__isnull", True), ("kind", "group"), ("supplier__isnull", True)),
                            models.Q(("dialogue__isnull", False), ("kind", "dialogue"), ("supplier__isnull", True)),
                            models.Q(("dialogue__isnull", False), ("kind", "private"), ("supplier__isnull", False)),
                            _connector="OR",
                        ),
                        name="thread_kind_matches_its_place",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="thread",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "group"), _negated=True),
                            models.Q(("title", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="group_thread_has_title",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="thread",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("kind", "dialogue")),
                        fields=("dialogue",),
                        name="one_open_thread_per_dialogue",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="thread",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("kind", "private")),
                        fields=("dialogue", "supplier"),
                        name="one_private_thread_per_supplier",
                    ),
                ),
                migrations.AddIndex(
                    model_name="message",
                    index=models.Index(fields=["thread", "id"], name="message_thread_order"),
                ),
                migrations.AddIndex(
                    model_name="message",
                    index=models.Index(fields=["thread", "revision"], name="message_thread_revision"),
                ),
            ],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
