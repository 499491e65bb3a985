"""The v4 list pagination (its own module: DRF imports it while importing its viewsets)."""
from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination


class V4Pagination(LimitOffsetPagination):
    """``{"count", "next", "previous", "results"}`` pages; ``limit`` defaults to ``PAGE_SIZE`` (20).

    A ``limit`` that is not a positive integer falls back to the default, one above
    ``API_MAX_PAGE_SIZE`` (1000) is cut to it; a bad ``offset`` counts as 0 and one past the end
    gives an empty page (all of this is DRF's ``LimitOffsetPagination`` behaviour). The schema
    says so: either parameter takes any value.
    """

    max_limit = settings.API_MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view):
        """``limit`` and ``offset``: an integer as meant, any other string as taken."""
        return [
            {
                "name": self.limit_query_param,
                "in": "query",
                "required": False,
                "description": f"How many items a page holds, 1 to {self.max_limit} (more is cut to {self.max_limit}); "
                f"any other value gives {self.default_limit}.",
                "schema": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string"}]},
            },
            {
                "name": self.offset_query_param,
                "in": "query",
                "required": False,
                "description": "How many items come before the page; any value that is not a whole number counts as 0.",
                "schema": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string"}]},
            },
        ]

    def get_paginated_response_schema(self, schema):
        """DRF's page schema, with ``next`` and ``previous`` required too: every page has them, null at the ends."""
        page = super().get_paginated_response_schema(schema)
        page["required"] = ["count", "next", "previous", "results"]
        return page
