"""The v4 package endpoints: ``/api/v4/packages/`` and ``/api/v4/packages/<id or slug>/``."""
from django_filters.rest_framework import DjangoFilterBackend

from djpackages.api import V4ReadOnlyViewSet
from packages.filters import PackageFilter
from packages.models import Package
from packages.serializers import PackageSerializer

# The columns the v4 document shows; the other fetched facts are not read for the API.
SERVED_FIELDS = [
    "id", "title", "slug", "category_id", "last_commit_date", "last_fetched", "repo_url", "latest_version_id",
    "created", "modified", "repo_forks", "repo_description", "pypi_url", "documentation_url", "repo_watchers",
    "commits_over_52", "participants",
]


class PackageViewSet(V4ReadOnlyViewSet):
    """Django packages, newest first; one is looked up by id or slug. Lists filter by category, grid,
    repository host, archived state, PyPI release, Python 3 support and dates, and sort by ``ordering``."""

    view_description = "API endpoint that allows packages to be viewed or edited."
    document_scope = "package"
    list_scopes = ("package-list",)
    serializer_class = PackageSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PackageFilter
    # Constant queries per page: the latest version joined, the grid memberships prefetched
    # (``gridpackage_set`` belongs to the grids app, named so that this app need not import it).
    queryset = (
        Package.objects.select_related("latest_version")
        .prefetch_related("gridpackage_set")
        .only(*SERVED_FIELDS, "latest_version__number")
        .order_by("-id")
    )
