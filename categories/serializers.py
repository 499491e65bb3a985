"""The v4 Category document."""
from categories.models import Category
from core.api import V4DateTimeField, V4DocumentListSerializer, V4DocumentSerializer, v4_datetime


class CategorySerializer(V4DocumentSerializer):
    """``id, title, slug, description, title_plural, show_pypi, created, modified`` in that order."""

    created = V4DateTimeField()
    modified = V4DateTimeField()

    columns = ("id", "title", "slug", "description", "title_plural", "show_pypi", "created", "modified")

    class Meta:
        model = Category
        list_serializer_class = V4DocumentListSerializer
        fields = ["id", "title", "slug", "description", "title_plural", "show_pypi", "created", "modified"]
        read_only_fields = fields  # a read-only API: every field is served, so every one is required

    def document(self, row, related):
        return {**row, "created": v4_datetime(row["created"]), "modified": v4_datetime(row["modified"])}
