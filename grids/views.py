"""The v4 grid endpoints: ``/api/v4/grids/`` and ``/api/v4/grids/<id or slug>/``."""
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend

from djpackages.api import V4ReadOnlyViewSet
from grids.filters import GridFilter
from grids.models import Grid, GridPackage
from grids.serializers import GridSerializer


class GridViewSet(V4ReadOnlyViewSet):
    """Comparison grids, newest first; one is looked up by id or slug. ``package`` lists the grids holding a package."""

    document_scope = "grid"
    list_scopes = ("grid-list",)
    serializer_class = GridSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = GridFilter
    queryset = Grid.objects.prefetch_related(
        Prefetch(
            "gridpackage_set",
            queryset=GridPackage.objects.only("id", "grid_id", "package_id").order_by("package__title", "package_id"),
            to_attr="members",
        )
    ).order_by("-id")
