from django.apps import AppConfig


class FetchersConfig(AppConfig):
    name = "fetchers"

    def ready(self):
        from django.db.models.signals import post_migrate

        from fetchers import checks, receivers  # noqa: F401  (registers the system checks and signal receivers)
        from fetchers.beat import sync_sweep_schedule

        post_migrate.connect(sync_sweep_schedule, sender=self, dispatch_uid="fetchers.sync_sweep_schedule")
