"""The default beat schedule: a refresh sweep every ``REFRESH_SWEEP_MINUTES``, editable in the admin.

A sweep message not started within its interval expires (the next one will do its work), so
sweeps never queue up behind each other. Running the migration again changes nothing.
"""
from django.conf import settings
from django.db import migrations

SWEEP_NAME = "Refresh sweep"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    minutes = settings.REFRESH_SWEEP_MINUTES
    every, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP_NAME,
        defaults={"task": "fetchers.tasks.sweep", "interval": every, "expire_seconds": minutes * 60},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("fetchers", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
