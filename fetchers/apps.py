from django.apps import AppConfig


class FetchersConfig(AppConfig):
    name = "fetchers"

    def ready(self):
        from fetchers import checks, receivers  # noqa: F401  (registers the system checks and signal receivers)
