from django.apps import AppConfig


class FetchersConfig(AppConfig):
    name = "fetchers"
