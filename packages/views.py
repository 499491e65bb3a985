"""The v4 package endpoints: ``/api/v4/packages/`` and ``/api/v4/packages/<id or slug>/``."""
from django_filters.rest_framework import DjangoFilterBackend

from core.api import V4ReadOnlyViewSet
from packages.filters import PackageFilter
from packages.models import Package
from packages.serializers import PackageSerializer


class PackageViewSet(V4ReadOnlyViewSet):
    """Django packages, newest first; one is looked up by id or slug. Lists filter by category, grid,
    repository host, archived state, PyPI release, Python 3 support and dates, and sort by ``ordering``."""

    view_description = "API endpoint that allows packages to be viewed or edited."
    document_scope = "package"
    list_scopes = ("package-list",)
    serializer_class = PackageSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PackageFilter
    # Rows of the served columns (the latest version's number joined); the serializer adds the
    # grid memberships with one query per page.
    queryset = Package.objects.values(*PackageSerializer.columns).order_by("-id")
