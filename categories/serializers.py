"""The v4 Category document."""
from rest_framework import serializers

from categories.models import Category
from djpackages.api import V4DateTimeField


class CategorySerializer(serializers.ModelSerializer):
    """``id, title, slug, description, title_plural, show_pypi, created, modified`` in that order."""

    created = V4DateTimeField()
    modified = V4DateTimeField()

    class Meta:
        model = Category
        fields = ["id", "title", "slug", "description", "title_plural", "show_pypi", "created", "modified"]
