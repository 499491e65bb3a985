"""The v4 grid endpoints: ``/api/v4/grids/``, ``/api/v4/grids/<id or slug>/`` and ``/api/v4/grids/<id or slug>/comparison/``."""
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import V4ReadOnlyViewSet
from grids.filters import GridFilter
from grids.models import Grid
from grids.serializers import GridComparisonSerializer, GridSerializer


class GridViewSet(V4ReadOnlyViewSet):
    """Comparison grids, newest first; one is looked up by id or slug. ``package`` lists the grids holding a package."""

    document_scope = "grid"
    list_scopes = ("grid-list",)
    action_scopes = {"comparison": "comparison"}
    serializer_class = GridSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = GridFilter
    # Rows of the served columns; the serializer adds the members with one query per page.
    queryset = Grid.objects.values(*GridSerializer.columns).order_by("-id")

    @extend_schema(
        summary="A grid as a table",
        description="The grid's features and packages in order, each package with the facts of the grid page's "
        "standard rows and its cell for every feature (an empty string where there is none).",
        responses=GridComparisonSerializer,
        filters=False,
    )
    @action(detail=True, url_path="comparison", name="Grid Comparison", filter_backends=[])
    def comparison(self, request, *args, **kwargs):
        """The grid's comparison table (``GridComparisonSerializer``)."""
        return Response(GridComparisonSerializer(self.get_object(), context=self.get_serializer_context()).data)

    def get_extra_action_url_map(self):
        """No "Extra Actions" menu: the browsable grid pages stay as upstream's."""
        return {}
