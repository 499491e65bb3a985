"""The v4 Package document."""
from rest_framework import serializers

from core.api import (
    LINK_MARKER, URLOrEmptyField, URLOrNoneField, V4DateTimeField, V4DocumentListSerializer, V4DocumentSerializer, link_template,
    v4_datetime,
)
from packages.models import Package

# The grid memberships (the grids app's GridPackage, reached without importing that app).
Membership = Package.grids.through


class PackageSerializer(V4DocumentSerializer):
    """A Django package: its links, repository and PyPI facts, in djangopackages.org's v4 shape.

    ``category`` and ``grids`` are absolute URLs (``grids`` in the order the package joined
    them); ``last_updated`` is the date of the last commit on the default branch; ``pypi_version``
    the latest release number or null; ``repo_watchers`` the stars; ``commits_over_52`` the
    commits per week over the last 52 weeks, oldest first.
    """

    category = serializers.HyperlinkedRelatedField(view_name="category-detail", read_only=True)
    grids = serializers.HyperlinkedRelatedField(view_name="grid-detail", read_only=True, many=True)
    last_updated = V4DateTimeField(source="last_commit_date", allow_null=True)
    last_fetched = V4DateTimeField(allow_null=True)
    repo_url = URLOrEmptyField()
    pypi_version = serializers.CharField(read_only=True, allow_null=True)
    created = V4DateTimeField()
    modified = V4DateTimeField()
    documentation_url = URLOrNoneField()
    commits_over_52 = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    participants = serializers.ListField(child=serializers.CharField(), read_only=True)

    # The columns the document shows; the other fetched facts are not read for the API.
    columns = (
        "id", "title", "slug", "category_id", "last_commit_date", "last_fetched", "repo_url", "latest_version__number",
        "created", "modified", "repo_forks", "repo_description", "pypi_url", "documentation_url", "repo_watchers",
        "commits_over_52", "participants",
    )

    class Meta:
        model = Package
        list_serializer_class = V4DocumentListSerializer
        fields = [
            "category",
            "grids",
            "id",
            "title",
            "slug",
            "last_updated",
            "last_fetched",
            "repo_url",
            "pypi_version",
            "created",
            "modified",
            "repo_forks",
            "repo_description",
            "pypi_url",
            "documentation_url",
            "repo_watchers",
            "commits_over_52",
            "participants",
        ]
        read_only_fields = fields  # a read-only API: every field is served, so every one is required

    def related(self, ids):
        """``{package id: [grid id, ...]}`` in the order the package joined its grids (the membership ordering)."""
        grids = {}
        for package_id, grid_id in Membership.objects.filter(package_id__in=ids).values_list("package_id", "grid_id"):
            grids.setdefault(package_id, []).append(grid_id)
        return grids

    def document(self, row, related):
        category, grid = link_template(self.context, "category-detail"), link_template(self.context, "grid-detail")
        return {
            "category": category.replace(LINK_MARKER, str(row["category_id"])),
            "grids": [grid.replace(LINK_MARKER, str(grid_id)) for grid_id in related.get(row["id"], ())],
            "id": row["id"],
            "title": row["title"],
            "slug": row["slug"],
            "last_updated": v4_datetime(row["last_commit_date"]),
            "last_fetched": v4_datetime(row["last_fetched"]),
            "repo_url": row["repo_url"],
            "pypi_version": row["latest_version__number"],
            "created": v4_datetime(row["created"]),
            "modified": v4_datetime(row["modified"]),
            "repo_forks": row["repo_forks"],
            "repo_description": row["repo_description"],
            "pypi_url": row["pypi_url"],
            "documentation_url": row["documentation_url"],
            "repo_watchers": row["repo_watchers"],
            "commits_over_52": row["commits_over_52"],
            "participants": row["participants"],
        }
