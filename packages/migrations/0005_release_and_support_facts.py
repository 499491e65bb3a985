"""``Package.vulnerabilities`` (from PyPI) and ``Package.last_released`` (the latest version's upload time, indexed for ordering)."""
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_last_released(apps, schema_editor):
    Package = apps.get_model("packages", "Package")
    Version = apps.get_model("packages", "Version")
    upload = Version.objects.filter(pk=OuterRef("latest_version_id")).values("upload_time")[:1]
    Package.objects.filter(latest_version__isnull=False).update(last_released=Subquery(upload))


class Migration(migrations.Migration):
    dependencies = [("packages", "0004_repo_kind")]

    operations = [
        migrations.AddField(
            model_name="package",
            name="last_released",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="package",
            name="vulnerabilities",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="package",
            index=models.Index(fields=["last_released", "id"], name="package_last_released_order"),
        ),
        migrations.RunPython(fill_last_released, migrations.RunPython.noop),
    ]
