"""The discussion models leave the dialogues app's state (discussions 0001 took them over; their
tables stay as they are)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0004_fairness"),
        ("discussions", "0001_initial"),
        ("moderation", "0002_report_message_in_discussions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="ThreadModeration"),
                migrations.DeleteModel(name="MessageEdit"),
                migrations.DeleteModel(name="Message"),
                migrations.DeleteModel(name="Thread"),
            ],
        ),
    ]
