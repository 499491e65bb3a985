"""The v4 list pagination (its own module: DRF imports it while importing its viewsets)."""
from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination


class V4Pagination(LimitOffsetPagination):
    """``{"count", "next", "previous", "results"}`` pages; ``limit`` defaults to ``PAGE_SIZE`` (20).

    A ``limit`` that is not a positive integer falls back to the default, one above
    ``API_MAX_PAGE_SIZE`` (1000) is cut to it; a bad ``offset`` counts as 0 and one past the end
    gives an empty page (all of this is DRF's ``LimitOffsetPagination`` behaviour).
    """

    max_limit = settings.API_MAX_PAGE_SIZE
