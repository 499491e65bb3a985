"""The v4 search endpoint: ``/api/v4/search/?q=…``."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response
from rest_framework.utils.formatting import markup_description

from search.models import SearchEntry
from search.ranking import search
from search.serializers import SearchResultSerializer


class SearchViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Packages and grids matching ``q``, best first: a plain JSON array of at most 20 items (no pagination)."""

    list_scopes = ("search",)
    serializer_class = SearchResultSerializer
    queryset = SearchEntry.objects.none()  # what the browsable API and schema introspect; ``list`` searches
    pagination_class = None
    filter_backends = []
    # The name and description the original's browsable page and OPTIONS show for this endpoint.
    view_name = "Search V3 List"
    view_description = "Accepts a 'q' GET parameter.\n\nReturns SearchV3 (PostgreSQL FTS) results."

    def get_view_name(self):
        return self.view_name

    def get_view_description(self, html=False):
        return markup_description(self.view_description) if html else self.view_description

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description='What to look for: words (each must match), "quoted phrases", -word to leave out. '
                "Only the first 200 characters count; none gives [].",
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        """``[]`` for an empty or missing ``q``; never an error for odd input."""
        results = search(request.query_params.get("q", ""))
        return Response(self.get_serializer(results, many=True).data)
