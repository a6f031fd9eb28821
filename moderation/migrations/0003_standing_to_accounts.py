"""Suspensions and code-of-conduct acceptances leave moderation's state for accounts (accounts
0004 took them over; the tables stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_standing_from_moderation"),
        ("moderation", "0002_report_message_in_discussions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="codeofconductacceptance",
                    name="accept_each_version_once",
                ),
                migrations.RemoveConstraint(
                    model_name="suspension",
                    name="suspension_ends_after_start",
                ),
                migrations.RemoveField(
                    model_name="suspension",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="suspension",
                    name="group",
                ),
                migrations.RemoveField(
                    model_name="suspension",
                    name="lifted_by",
                ),
                migrations.RemoveField(
                    model_name="suspension",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="CodeOfConductAcceptance",
                ),
                migrations.DeleteModel(
                    name="Suspension",
                ),
            ],
        ),
    ]
