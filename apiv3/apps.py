from django.apps import AppConfig


class Apiv3Config(AppConfig):
    """The read-only v3 API (``/api/v3/``) in the original's shapes, ``/api/v1/`` Gone, and the v3 user routes."""

    name = "apiv3"
