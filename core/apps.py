from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """Shared API building blocks the apps import: v4 fields and viewsets, filters, pagination, schema,
    conditional answers, and the validators (with their triggers) behind ETags and cached answers.

    Its label stays ``djpackages`` (the app's name before it moved out of the project package), so an
    existing database's migration history and the ``djpackages_validator`` table keep their names.
    """

    name = "core"
    label = "djpackages"

    def ready(self):
        from core import triggers

        post_migrate.connect(triggers.install, sender=self, dispatch_uid="djpackages-triggers")
