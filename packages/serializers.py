"""The v4 Package document."""
from rest_framework import serializers

from djpackages.api import V4DateTimeField
from packages.models import Package


class PackageSerializer(serializers.ModelSerializer):
    """The package document with upstream's keys in upstream's order.

    ``category`` and ``grids`` are absolute URLs by id (``grids`` in the order the package joined
    them, read from the prefetched ``gridpackage_set``); ``last_updated`` is the last commit date;
    ``pypi_version`` the latest release number or null.
    """

    category = serializers.HyperlinkedRelatedField(view_name="category-detail", read_only=True)
    grids = serializers.HyperlinkedRelatedField(
        view_name="grid-detail",
        source="gridpackage_set",
        lookup_field="grid_id",
        lookup_url_kwarg="pk",
        many=True,
        read_only=True,
    )
    last_updated = V4DateTimeField(source="last_commit_date")
    last_fetched = V4DateTimeField()
    pypi_version = serializers.CharField(read_only=True)
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
