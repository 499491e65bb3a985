from django.apps import AppConfig


class MirrorConfig(AppConfig):
    """Copies of v4 catalogues: ``import_v4`` reads a server's or a folder's v4 documents into the database."""

    name = "mirror"
