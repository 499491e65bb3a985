"""The v4 Grid document."""
from rest_framework import serializers

from core.api import LINK_MARKER, V4DateTimeField, V4DocumentListSerializer, V4DocumentSerializer, link_template, v4_datetime
from grids.models import Grid, GridPackage


class GridSerializer(V4DocumentSerializer):
    """``id, title, slug, description, is_locked, packages, header, created, modified``.

    ``packages`` are absolute package URLs by id, ordered by package title (then id), all of
    them (no pagination).
    """

    packages = serializers.HyperlinkedRelatedField(view_name="package-detail", read_only=True, many=True)
    created = V4DateTimeField()
    modified = V4DateTimeField()

    columns = ("id", "title", "slug", "description", "is_locked", "header", "created", "modified")

    class Meta:
        model = Grid
        list_serializer_class = V4DocumentListSerializer
        fields = ["id", "title", "slug", "description", "is_locked", "packages", "header", "created", "modified"]
        read_only_fields = fields  # a read-only API: every field is served, so every one is required

    def related(self, ids):
        """``{grid id: [package id, ...]}`` in package title order."""
        members = {}
        memberships = GridPackage.objects.filter(grid_id__in=ids).order_by("package__title", "package_id")
        for grid_id, package_id in memberships.values_list("grid_id", "package_id"):
            members.setdefault(grid_id, []).append(package_id)
        return members

    def document(self, row, related):
        package = link_template(self.context, "package-detail")
        return {
            "id": row["id"],
            "title": row["title"],
            "slug": row["slug"],
            "description": row["description"],
            "is_locked": row["is_locked"],
            "packages": [package.replace(LINK_MARKER, str(package_id)) for package_id in related.get(row["id"], ())],
            "header": row["header"],
            "created": v4_datetime(row["created"]),
            "modified": v4_datetime(row["modified"]),
        }
