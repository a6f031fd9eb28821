from django.db import migrations

from guidance.seed import seed_guidance


def seed(apps, schema_editor):
    seed_guidance(apps.get_model("guidance", "GuidanceText"))


class Migration(migrations.Migration):
    dependencies = [("guidance", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
