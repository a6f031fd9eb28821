"""Suspensions and acceptances of the code of conduct are a person's standing: the models move here
from moderation without touching a row (the tables keep their names, Meta.db_table), and their
content types follow. moderation 0003 drops them from moderation's state."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ["suspension", "codeofconductacceptance"]


def rename_content_types(apps, schema_editor, old="moderation", new="accounts"):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if content_type.objects.filter(app_label=old, model=model).exists():
            content_type.objects.filter(app_label=new, model=model).delete()
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def restore_content_types(apps, schema_editor):
    rename_content_types(apps, schema_editor, old="accounts", new="moderation")


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_report_message_in_discussions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0003_organisation_identifiers"),
        ("groups", "0003_document_hidden"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="CodeOfConductAcceptance",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.CharField(default="2026-1", max_length=20)),
                        ("accepted_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="code_of_conduct_acceptances",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "moderation_codeofconductacceptance",
                        "ordering": ["-accepted_at"],
                        "constraints": [
                            models.UniqueConstraint(fields=("user", "version"), name="accept_each_version_once")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Suspension",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("reason", models.TextField(max_length=2000, verbose_name="reason")),
                        ("starts_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("ends_at", models.DateTimeField(blank=True, null=True, verbose_name="until")),
                        ("lifted_at", models.DateTimeField(blank=True, null=True)),
                        ("lift_reason", models.TextField(blank=True)),
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
                            "group",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="suspensions",
                                to="groups.buyergroup",
                            ),
                        ),
                        (
                            "lifted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="suspensions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "suspension",
                        "verbose_name_plural": "suspensions",
                        "db_table": "moderation_suspension",
                        "ordering": ["-starts_at", "-pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("ends_at__isnull", True), ("ends_at__gt", models.F("starts_at")), _connector="OR"
                                ),
                                name="suspension_ends_after_start",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
