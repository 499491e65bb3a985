"""Beat's schedule and scheduler: the refresh sweep every ``REFRESH_SWEEP_MINUTES``, and
django-celery-beat's database scheduler leaving a heartbeat for health checks.

The sweep's interval is set from ``REFRESH_SWEEP_MINUTES`` after every ``migrate`` and whenever
beat starts, so a changed variable takes effect on the next deploy or beat restart (an interval
edited in the admin lasts until then; the task's "enabled" flag is the admin's alone).

Beat wakes at least every few seconds (the scheduler's ``max_interval``, 5 s) to look for due
tasks and schedule changes; each wake-up touches ``BEAT_HEARTBEAT_FILE``, so a stale file means
beat has stopped scheduling (compose's beat health check reads its age).
"""
from pathlib import Path

from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

SWEEP_NAME = "Refresh sweep"  # as fetchers/migrations/0002_default_schedule.py created it


def sync_sweep_schedule(**kwargs) -> PeriodicTask:
    """Make the refresh sweep run every ``REFRESH_SWEEP_MINUTES``, each sweep expiring after one
    interval (so that sweeps never queue up); creates the task if it is missing. A post_migrate receiver."""
    minutes = settings.REFRESH_SWEEP_MINUTES
    every, _ = IntervalSchedule.objects.get_or_create(every=minutes, period=IntervalSchedule.MINUTES)
    wanted = {"task": "fetchers.tasks.sweep", "interval": every, "expire_seconds": minutes * 60}
    sweep = PeriodicTask.objects.filter(name=SWEEP_NAME).first()
    if sweep is None:
        return PeriodicTask.objects.create(name=SWEEP_NAME, **wanted)
    if any(getattr(sweep, field) != value for field, value in wanted.items()):
        for field, value in wanted.items():
            setattr(sweep, field, value)
        sweep.save()  # also tells a running beat that the schedule changed
    return sweep


class HeartbeatScheduler(DatabaseScheduler):
    """``DatabaseScheduler`` that sets the sweep's interval when beat starts and touches
    ``settings.BEAT_HEARTBEAT_FILE`` on every tick."""

    def setup_schedule(self):
        """Bring the sweep in line with the settings, then load the schedule from the database."""
        sync_sweep_schedule()
        super().setup_schedule()

    def tick(self, *args, **kwargs):
        """Send the due tasks (``DatabaseScheduler.tick``), then touch the heartbeat; returns the seconds to sleep."""
        interval = super().tick(*args, **kwargs)
        Path(settings.BEAT_HEARTBEAT_FILE).touch()
        return interval
