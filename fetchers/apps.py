from django.apps import AppConfig


class FetchersConfig(AppConfig):
    name = "fetchers"

    def ready(self):
        from fetchers import checks  # noqa: F401  (registers the system checks)
