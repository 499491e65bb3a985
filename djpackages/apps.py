from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DjpackagesConfig(AppConfig):
    """The project's own app: the validators behind the API's ETags and cached answers."""

    name = "djpackages"

    def ready(self):
        from djpackages import triggers

        post_migrate.connect(triggers.install, sender=self, dispatch_uid="djpackages-triggers")
