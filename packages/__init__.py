"""Packages and their PyPI versions: models, admin, serializer, viewset."""
