"""Filters and ordering of the package list (``/api/v4/packages/?category=apps&ordering=-repo_watchers``)."""
import django_filters
from django import forms
from django_filters.fields import BaseCSVField

from core.filters import IdOrSlugFilter, SinceFilter, StrictBooleanFilter
from packages.models import Package, RepoHost

ORDERINGS = [
    ("id", "id"),
    ("title", "title"),
    ("repo_watchers", "repo_watchers"),
    ("repo_forks", "repo_forks"),
    ("last_commit_date", "last_updated"),
    ("last_fetched", "last_fetched"),
    ("score", "score"),
]


class NoEmptyItemsCSVField(BaseCSVField):
    """A comma-separated list in which every item is given (``id,`` and ``,`` are invalid)."""

    def clean(self, value):
        if value and any(item in self.empty_values for item in value):
            raise forms.ValidationError("An empty item in a comma-separated list.", code="empty_item")
        return super().clean(value)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Upstream's orderings by public name, each ascending or descending (``-`` prefix); ties
    are broken by id in the same direction so pages never overlap. Unknown names and empty
    items (``id,``) are a 400."""

    base_field_class = NoEmptyItemsCSVField

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        tiebreak = "-id" if ordering[-1].startswith("-") else "id"
        return qs.order_by(*ordering, tiebreak)


class PackageFilter(django_filters.FilterSet):
    """Package list filters; each invalid value is a 400 that names its parameter.

    ``category``/``grid``: id or slug; ``repo_host``: github, gitlab, bitbucket, forgejo;
    ``archived``, ``has_pypi_release``, ``python3``: true/false; ``updated_since`` (last commit),
    ``fetched_since`` and ``modified_since`` (the document's ``modified``): ISO 8601 datetimes.
    """

    category = IdOrSlugFilter(label="Category", field_name="category", help_text="Packages in the category with this id or slug.")
    grid = IdOrSlugFilter(label="Grid", field_name="gridpackage__grid", help_text="Packages in the grid with this id or slug.")
    repo_host = django_filters.ChoiceFilter(
        label="Repository host",
        choices=[(kind, kind) for kind in RepoHost.values if kind],
        method="filter_repo_host",
        help_text="Packages whose repository is on a host of this kind: the host an editor set, or else the "
        "public host of the repository URL (github.com, gitlab.com, bitbucket.org, codeberg.org).",
    )
    archived = StrictBooleanFilter(
        label="Archived",
        field_name="date_repo_archived", lookup_expr="isnull", exclude=True, help_text="Whether the repository is archived."
    )
    has_pypi_release = StrictBooleanFilter(
        label="Has a PyPI release",
        field_name="latest_version", lookup_expr="isnull", exclude=True, help_text="Whether the package has a release on PyPI."
    )
    python3 = StrictBooleanFilter(
        label="Supports Python 3",
        field_name="supports_python3", help_text="Whether the package supports Python 3, by its PyPI metadata (unknown matches neither)."
    )
    updated_since = SinceFilter(label="Last commit since", field_name="last_commit_date", help_text="Packages whose last commit is at or after this time.")
    fetched_since = SinceFilter(label="Refreshed since", field_name="last_fetched", help_text="Packages last refreshed with a change at or after this time.")
    modified_since = SinceFilter(label="Modified since", field_name="modified", help_text="Packages whose modified is at or after this time.")
    ordering = StableOrderingFilter(
        label="Ordering",
        fields=ORDERINGS,
        help_text="Comma-separated sort keys, each ascending or, with a leading -, descending; ties are broken by id.",
    )

    class Meta:
        model = Package
        fields = []

    def filter_repo_host(self, queryset, name, value):
        return queryset.on_host(value)
