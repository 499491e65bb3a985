"""The v4 Package document."""
from rest_framework import serializers

from djpackages.api import V4DateTimeField, V4LinkField
from packages.models import Package


class PackageSerializer(serializers.ModelSerializer):
    """A Django package: its links, repository and PyPI facts, in djangopackages.org's v4 shape.

    ``category`` and ``grids`` are absolute URLs (``grids`` in the order the package joined
    them); ``last_updated`` is the date of the last commit on the default branch; ``pypi_version``
    the latest release number or null; ``repo_watchers`` the stars; ``commits_over_52`` the
    commits per week over the last 52 weeks, oldest first.
    """

    category = V4LinkField(view_name="category-detail")
    grids = V4LinkField(view_name="grid-detail", source="gridpackage_set", lookup_field="grid_id", lookup_url_kwarg="pk", many=True)
    last_updated = V4DateTimeField(source="last_commit_date", allow_null=True)
    last_fetched = V4DateTimeField(allow_null=True)
    pypi_version = serializers.CharField(read_only=True, allow_null=True)
    created = V4DateTimeField()
    modified = V4DateTimeField()

    class Meta:
        model = Package
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
