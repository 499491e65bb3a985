"""``Package.repo_kind``: the repository host kind, read once by ``packages.repourl`` and stored."""
from django.db import migrations, models

from packages.repourl import parse_repo_url


def detect_kinds(apps, schema_editor):
    Package = apps.get_model("packages", "Package")
    changed = []
    for package in Package.objects.only("repo_url", "repo_host").iterator():
        ref = parse_repo_url(package.repo_url, package.repo_host)
        package.repo_kind = ref.kind if ref else ""
        if package.repo_kind:
            changed.append(package)
    Package.objects.bulk_update(changed, ["repo_kind"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("packages", "0003_last_attempted_at")]

    operations = [
        migrations.AddField(
            model_name="package",
            name="repo_kind",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                help_text="The host kind packages.repourl reads from repo_url and repo_host; blank when unsupported.",
                max_length=20,
            ),
        ),
        migrations.RunPython(detect_kinds, migrations.RunPython.noop),
    ]
