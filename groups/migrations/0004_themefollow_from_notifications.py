"""Following a theme is a groups matter (the theme is a group's): the model moves here from
notifications without touching a row (the table keeps its name), and its content type follows.
notifications 0004 drops it from notifications' state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["themefollow"]


def rename_content_types(apps, schema_editor, old="notifications", new="groups"):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if content_type.objects.filter(app_label=old, model=model).exists():
            content_type.objects.filter(app_label=new, model=model).delete()
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def restore_content_types(apps, schema_editor):
    rename_content_types(apps, schema_editor, old="groups", new="notifications")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_fairness_kinds"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("groups", "0003_document_hidden"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ThemeFollow",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "theme",
                            models.CharField(
                                choices=[
                                    ("energy", "Energy and climate"),
                                    ("transport", "Vehicles and transport"),
                                    ("buildings", "Buildings and property"),
                                    ("health", "Health and social care"),
                                    ("digital", "Digital services"),
                                    ("food", "Food and meals"),
                                    ("circular", "Circular economy and materials"),
                                    ("other", "Other"),
                                ],
                                max_length=32,
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="theme_follows",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_themefollow",
                        "constraints": [models.UniqueConstraint(fields=("user", "theme"), name="follow_theme_once")],
                    },
                ),
            ],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
