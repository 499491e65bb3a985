"""djpackages: a clone of the djangopackages.org REST API v4 (project package: settings, urls, Celery app)."""
