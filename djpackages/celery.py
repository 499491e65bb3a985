"""The Celery app: configured from Django settings (``CELERY_*``), tasks found in the installed apps.

Run a worker with ``celery -A djpackages worker`` and the scheduler with ``celery -A djpackages beat``.
Both refuse to start on a system check error (``manage.py check``), as ``migrate`` does for web.
"""
import os
import sys

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djpackages.settings")

app = Celery("djpackages")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def refuse_to_start_misconfigured(**kwargs):
    """Exit (status 1, the errors on stderr) when a system check finds an error, e.g. a misspelled rate."""
    from django.core.checks import run_checks

    errors = [message for message in run_checks() if message.is_serious()]
    if errors:
        sys.exit("System check identified errors:\n" + "\n".join(str(message) for message in errors))
