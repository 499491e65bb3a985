"""The v4 package endpoints: ``/api/v4/packages/`` and ``/api/v4/packages/<id or slug>/``."""
from django_filters.rest_framework import DjangoFilterBackend

from djpackages.api import V4ReadOnlyViewSet
from packages.filters import PackageFilter
from packages.models import Package
from packages.serializers import PackageSerializer


class PackageViewSet(V4ReadOnlyViewSet):
    """Packages, newest first, each with its grid links and latest version in constant queries.

    ``gridpackage_set`` is the reverse relation of the grids app's GridPackage (ordered by id),
    named as a string so this app does not import the one above it.
    """

    view_description = "API endpoint that allows packages to be viewed or edited."
    serializer_class = PackageSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PackageFilter
    queryset = Package.objects.select_related("latest_version").prefetch_related("gridpackage_set").order_by("-id")
