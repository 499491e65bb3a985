"""The v4 grid endpoints: ``/api/v4/grids/`` and ``/api/v4/grids/<id or slug>/``."""
from django_filters.rest_framework import DjangoFilterBackend

from core.api import V4ReadOnlyViewSet
from grids.filters import GridFilter
from grids.models import Grid
from grids.serializers import GridSerializer


class GridViewSet(V4ReadOnlyViewSet):
    """Comparison grids, newest first; one is looked up by id or slug. ``package`` lists the grids holding a package."""

    document_scope = "grid"
    list_scopes = ("grid-list",)
    serializer_class = GridSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = GridFilter
    # Rows of the served columns; the serializer adds the members with one query per page.
    queryset = Grid.objects.values(*GridSerializer.columns).order_by("-id")
