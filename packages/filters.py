"""Filters and ordering of the package list (``/api/v4/packages/?category=apps&ordering=-repo_watchers``)."""
import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django_filters.fields import BaseCSVField
from drf_spectacular.utils import extend_schema_field

from core.filters import IdOrSlugFilter, SinceFilter, StrictBooleanFilter
from packages.models import Package, RepoHost
from packages.support import SERIES

ORDERINGS = [
    ("id", "id"),
    ("title", "title"),
    ("repo_watchers", "repo_watchers"),
    ("repo_forks", "repo_forks"),
    ("last_commit_date", "last_updated"),
    ("last_fetched", "last_fetched"),
    ("score", "score"),
    ("last_released", "last_released"),
]
ALIASES = {"stars": "repo_watchers"}  # public name → the field it sorts by, like one of ORDERINGS
LICENSE_MAX_LENGTH = 255


class NoEmptyItemsCSVField(BaseCSVField):
    """A comma-separated list in which every item is given (``id,`` and ``,`` are invalid)."""

    def clean(self, value):
        if value and any(item in self.empty_values for item in value):
            raise forms.ValidationError("An empty item in a comma-separated list.", code="empty_item")
        return super().clean(value)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Orderings by public name, each ascending or descending (``-`` prefix), ``aliases``
    (``{public name: field name}``) among them; ties are broken by id in the same direction so
    pages never overlap. Unknown names and empty items (``id,``) are a 400."""

    base_field_class = NoEmptyItemsCSVField

    def __init__(self, *args, aliases=None, **kwargs):
        self.aliases = aliases or {}
        super().__init__(*args, **kwargs)
        self.param_map.update(self.aliases)

    def build_choices(self, fields, labels):
        return super().build_choices(fields, labels) + [
            choice for alias in self.aliases for choice in ((alias, alias), (f"-{alias}", f"{alias} (descending)"))
        ]

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        tiebreak = "-id" if ordering[-1].startswith("-") else "id"
        return qs.order_by(*ordering, tiebreak)


@extend_schema_field({"type": "string", "pattern": f"^{SERIES.pattern}$"})
class SeriesFilter(django_filters.CharFilter):
    """A version series, ``X.Y`` or ``X`` in ASCII digits (``5.2``, ``3.13``); anything else is a 400."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [RegexValidator(f"^{SERIES.pattern}$", "Enter a version such as 5.2: digits, one dot at most.")])
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[^\\x00]*$", "maxLength": LICENSE_MAX_LENGTH})
class LicenseFilter(django_filters.CharFilter):
    """An SPDX identifier or a licence's name (no NUL byte, at most ``LICENSE_MAX_LENGTH`` characters)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", LICENSE_MAX_LENGTH)
        super().__init__(*args, **kwargs)


class PackageFilter(django_filters.FilterSet):
    """Package list filters; each invalid value is a 400 that names its parameter.

    ``category``/``grid``: id or slug; ``repo_host``: github, gitlab, bitbucket, forgejo;
    ``archived``, ``has_pypi_release``, ``python3``, ``maintained``, ``has_vulnerabilities``:
    true/false; ``django``, ``python``: a version such as ``5.2``; ``license``: an SPDX id or a
    name; ``updated_since`` (last commit), ``fetched_since`` and ``modified_since`` (the document's ``modified``): ISO 8601 datetimes.
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
    django = SeriesFilter(
        label="Supports Django", method="filter_django",
        help_text="Packages whose PyPI classifiers declare this Django version (Framework :: Django :: 5.2).",
    )
    python = SeriesFilter(
        label="Supports Python", method="filter_python",
        help_text="Packages that declare this Python version by classifier (Programming Language :: Python :: 3.13) "
        "or whose requires_python admits some release of it (~=3.11.4 admits 3.11).",
    )
    maintained = StrictBooleanFilter(
        label="Maintained", method="filter_maintained",
        help_text="Whether the package had a commit or a release in the last 365 days (a package with neither date known matches neither).",
    )
    has_vulnerabilities = StrictBooleanFilter(
        label="Has known vulnerabilities", method="filter_has_vulnerabilities",
        help_text="Whether PyPI lists known vulnerabilities of the latest release (a package never fetched matches neither).",
    )
    license = LicenseFilter(
        label="Licence", method="filter_license",
        help_text="Packages whose licence is this SPDX identifier or name (case-insensitive), or whose SPDX expression "
        "names it (MIT matches MIT OR Apache-2.0).",
    )
    updated_since = SinceFilter(label="Last commit since", field_name="last_commit_date", help_text="Packages whose last commit is at or after this time.")
    fetched_since = SinceFilter(label="Refreshed since", field_name="last_fetched", help_text="Packages last refreshed with a change at or after this time.")
    modified_since = SinceFilter(label="Modified since", field_name="modified", help_text="Packages whose modified is at or after this time.")
    ordering = StableOrderingFilter(
        label="Ordering",
        fields=ORDERINGS,
        aliases=ALIASES,
        help_text="Comma-separated sort keys, each ascending or, with a leading -, descending; ties are broken by id. "
        "last_released is the latest release's upload time, stars the same as repo_watchers.",
    )

    class Meta:
        model = Package
        fields = []

    def filter_repo_host(self, queryset, name, value):
        return queryset.on_host(value)

    def filter_django(self, queryset, name, value):
        return queryset.declaring_django(value)

    def filter_python(self, queryset, name, value):
        return queryset.admitting_python(value)

    def filter_maintained(self, queryset, name, value):
        return queryset.maintained(value, timezone.now())

    def filter_has_vulnerabilities(self, queryset, name, value):
        return queryset.with_vulnerabilities(value)

    def filter_license(self, queryset, name, value):
        return queryset.with_license(value)
