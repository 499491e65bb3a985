"""The search app: one index row per package and grid, kept in step by signal handlers."""
from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Connects the handlers that keep the search index in step with the data."""

    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import signals

        signals.connect()
