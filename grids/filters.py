"""Filters of the grid list (``/api/v4/grids/?package=django-hstore``)."""
import django_filters

from core.filters import IdOrSlugFilter, SinceFilter
from grids.models import Grid


class GridFilter(django_filters.FilterSet):
    """``package``: grids holding the package with that id or slug; ``modified_since``: grids whose
    ``modified`` is at or after an ISO 8601 datetime."""

    package = IdOrSlugFilter(label="Package", field_name="gridpackage__package", help_text="Grids holding the package with this id or slug.")
    modified_since = SinceFilter(label="Modified since", field_name="modified", help_text="Grids whose modified is at or after this time.")

    class Meta:
        model = Grid
        fields = []
