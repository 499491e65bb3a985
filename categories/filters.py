"""Filters of the category list (``/api/v4/categories/?modified_since=2024-01-01T00:00:00Z``)."""
import django_filters

from categories.models import Category
from core.filters import SinceFilter


class CategoryFilter(django_filters.FilterSet):
    """``modified_since``: categories whose ``modified`` is at or after an ISO 8601 datetime."""

    modified_since = SinceFilter(label="Modified since", field_name="modified", help_text="Categories whose modified is at or after this time.")

    class Meta:
        model = Category
        fields = []
