"""The Celery app: configured from Django settings (``CELERY_*``), tasks found in the installed apps.

Run a worker with ``celery -A djpackages worker`` and the scheduler with ``celery -A djpackages beat``.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djpackages.settings")

app = Celery("djpackages")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
