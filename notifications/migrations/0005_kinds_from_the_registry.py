"""Kinds are no longer a fixed list here: each app registers its own (notifications/registry.py)
and the field is checked against the registry. The column and its values stay as they were."""

from django.db import migrations, models

import notifications.registry


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_themefollow_to_groups"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(max_length=40, validators=[notifications.registry.validate_kind]),
        ),
        migrations.AlterField(
            model_name="notificationpreference",
            name="kind",
            field=models.CharField(max_length=40, validators=[notifications.registry.validate_kind]),
        ),
    ]
