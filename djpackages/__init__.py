"""djpackages: a clone of the djangopackages.org REST API v4 (project package: settings, urls, Celery app)."""
from djpackages.celery import app as celery_app

__all__ = ["celery_app"]
