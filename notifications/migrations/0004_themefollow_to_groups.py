"""Theme follows leave notifications' state for groups (groups 0004 took them over; the table
stays)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0004_themefollow_from_notifications"),
        ("notifications", "0003_fairness_kinds"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="themefollow",
                    name="follow_theme_once",
                ),
                migrations.DeleteModel(
                    name="ThemeFollow",
                ),
            ],
        ),
    ]
