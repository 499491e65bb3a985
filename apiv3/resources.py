"""The v3 resources, built from ``values()`` rows in the original's key order.

Each ``*_resources(rows)`` turns a page of rows into resources with one extra query for the whole
page (grid memberships, grid members); links are relative, by slug.
"""
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder

from grids.models import GridPackage

CATEGORY_COLUMNS = ("id", "title", "slug", "created", "modified", "description", "show_pypi", "title_plural")
GRID_COLUMNS = ("id", "title", "slug", "created", "modified", "description", "is_locked", "header")
PACKAGE_COLUMNS = (
    "id", "title", "slug", "created", "modified", "category__slug", "commits_over_52", "documentation_url", "last_fetched",
    "participants", "pypi_url", "latest_version__number", "repo_description", "repo_forks", "repo_url", "repo_watchers",
    "usage_count",
)
_ENCODER = DjangoJSONEncoder()


def v3_datetime(value):
    """``value`` (an aware datetime or None) as Django's JSON encoder writes it in UTC:
    ``2012-06-05T08:59:01.326Z`` (milliseconds only when there are microseconds), or None."""
    return _ENCODER.default(value.astimezone(UTC)) if value is not None else None


def _base(row, absolute_url):
    return {
        "absolute_url": absolute_url,
        "created": v3_datetime(row["created"]),
        "modified": v3_datetime(row["modified"]),
        "slug": row["slug"],
        "title": row["title"],
    }


def category_resources(rows):
    """Category resources of ``rows`` (``CATEGORY_COLUMNS``)."""
    return [
        {
            **_base(row, f"/categories/{row['slug']}/"),
            "description": row["description"],
            "resource_uri": f"/api/v3/categories/{row['slug']}/",
            "show_pypi": row["show_pypi"],
            "title_plural": row["title_plural"],
        }
        for row in rows
    ]


def grid_resources(rows):
    """Grid resources of ``rows`` (``GRID_COLUMNS``); ``packages`` are v3 package URLs in package title order."""
    rows = list(rows)
    members = {}
    memberships = GridPackage.objects.filter(grid_id__in=[row["id"] for row in rows]).order_by("package__title", "package_id")
    for grid_id, slug in memberships.values_list("grid_id", "package__slug"):
        members.setdefault(grid_id, []).append(f"/api/v3/packages/{slug}/")
    return [
        {
            **_base(row, f"/grids/g/{row['slug']}/"),
            "description": row["description"],
            "is_locked": row["is_locked"],
            "resource_uri": f"/api/v3/grids/{row['slug']}/",
            "header": row["header"],
            "packages": members.get(row["id"], []),
        }
        for row in rows
    ]


def package_resources(rows):
    """Package resources of ``rows`` (``PACKAGE_COLUMNS``); ``grids`` are v3 grid URLs in the order the package joined them."""
    rows = list(rows)
    grids = {}
    memberships = GridPackage.objects.filter(package_id__in=[row["id"] for row in rows])  # membership order
    for package_id, slug in memberships.values_list("package_id", "grid__slug"):
        grids.setdefault(package_id, []).append(f"/api/v3/grids/{slug}/")
    resources = []
    for row in rows:
        commits = ",".join(str(count) for count in row["commits_over_52"] or ())
        resources.append({
            **_base(row, f"/packages/p/{row['slug']}/"),
            "category": f"/api/v3/categories/{row['category__slug']}/",
            "commit_list": commits,
            "commits_over_52": commits,
            "created_by": None,
            "documentation_url": row["documentation_url"],
            "grids": grids.get(row["id"], []),
            "last_fetched": v3_datetime(row["last_fetched"]),
            "last_modified_by": None,
            "participants": ",".join(row["participants"] or ()),
            "pypi_url": row["pypi_url"],
            "pypi_version": row["latest_version__number"],
            "repo_description": row["repo_description"],
            "repo_forks": row["repo_forks"],
            "repo_url": row["repo_url"],
            "repo_watchers": row["repo_watchers"],
            "resource_uri": f"/api/v3/packages/{row['slug']}/",
            "usage_count": row["usage_count"],
        })
    return resources
