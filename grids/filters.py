"""Filters of the grid list (``/api/v4/grids/?package=django-hstore``)."""
import django_filters

from core.filters import IdOrSlugFilter
from grids.models import Grid


class GridFilter(django_filters.FilterSet):
    """``package``: grids holding the package with that id or slug."""

    package = IdOrSlugFilter(label="Package", field_name="gridpackage__package", help_text="Grids holding the package with this id or slug.")

    class Meta:
        model = Grid
        fields = []
