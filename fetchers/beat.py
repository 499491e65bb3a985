"""Beat's scheduler: django-celery-beat's database scheduler, leaving a heartbeat for health checks.

Beat wakes at least every few seconds (the scheduler's ``max_interval``, 5 s) to look for due
tasks and schedule changes; each wake-up touches ``BEAT_HEARTBEAT_FILE``, so a stale file means
beat has stopped scheduling (compose's beat health check reads its age).
"""
from pathlib import Path

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler


class HeartbeatScheduler(DatabaseScheduler):
    """``DatabaseScheduler`` that touches ``settings.BEAT_HEARTBEAT_FILE`` on every tick."""

    def tick(self, *args, **kwargs):
        """Send the due tasks (``DatabaseScheduler.tick``), then touch the heartbeat; returns the seconds to sleep."""
        interval = super().tick(*args, **kwargs)
        Path(settings.BEAT_HEARTBEAT_FILE).touch()
        return interval
