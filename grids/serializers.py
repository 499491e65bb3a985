"""The v4 Grid document."""
from rest_framework import serializers

from djpackages.api import V4DateTimeField, V4LinkField
from grids.models import Grid


class GridSerializer(serializers.ModelSerializer):
    """``id, title, slug, description, is_locked, packages, header, created, modified``.

    ``packages`` are absolute package URLs by id, ordered by package title, all of them (no
    pagination), read from the ``members`` prefetch the viewset sets up.
    """

    packages = V4LinkField(view_name="package-detail", source="members", lookup_field="package_id", lookup_url_kwarg="pk", many=True)
    created = V4DateTimeField()
    modified = V4DateTimeField()

    class Meta:
        model = Grid
        fields = ["id", "title", "slug", "description", "is_locked", "packages", "header", "created", "modified"]
