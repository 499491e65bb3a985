"""Writing the search index: one entry per package and (real) grid, from the rows they stand for.

The index only copies what the rows hold (a package's ``score`` is the package's own, kept by
``Package.save``) and derives the search weights. Grid weights follow the top package weight, so
every package change ends with ``sync_grid_weights``. Within ``muted()`` the save signals index
nothing, for a bulk writer (the v4 import) that ``rebuild()``s once at the end.
"""
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Case, Max, Value, When
from django.utils import timezone

from grids.models import Grid, GridPackage
from packages.models import Package
from search import scoring
from search.models import ItemType, SearchEntry

BATCH = 1000
_muted = ContextVar("search_index_muted", default=False)


@contextmanager
def muted():
    """Within the block, saves and deletes made in this thread (or task) leave the index alone.

    The caller rebuilds the index afterwards (``rebuild()``); other threads still index as usual.
    """
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    """Whether the current thread is inside ``muted()``."""
    return _muted.get()


def package_values(package: Package, now) -> dict:
    """The entry fields of ``package``."""
    category = package.category
    last_released = package.latest_version.upload_time if package.latest_version_id else None
    return {
        "title": package.title,
        "slug": package.slug,
        "description": package.repo_description,
        "category": "" if category.is_placeholder else category.title,
        "participants": ",".join(package.participants or []),
        "absolute_url": f"/packages/p/{package.slug}/",
        "weight": scoring.package_weight(
            deprecated=package.date_repo_archived is not None,
            description=package.repo_description,
            downloads=package.pypi_downloads,
            forks=package.repo_forks,
            last_commit=package.last_commit_date,
            last_release=last_released,
            users=package.usage_count,
            stars=package.repo_watchers,
            now=now,
        ),
        "repo_watchers": package.repo_watchers,
        "repo_forks": package.repo_forks,
        "pypi_downloads": package.pypi_downloads,
        "score": package.score,
        "usage": package.usage_count,
        "last_committed": package.last_commit_date,
        "last_released": last_released,
        "created": package.created,
        "modified": package.modified,
    }


def grid_values(grid: Grid, has_packages: bool, top_package_weight: int) -> dict:
    """The entry fields of ``grid``."""
    shortfalls = scoring.grid_shortfalls(is_locked=grid.is_locked, header=grid.header, has_packages=has_packages)
    return {
        "title": grid.title,
        "slug": grid.slug,
        "description": grid.description,
        "absolute_url": f"/grids/g/{grid.slug}/",
        "weight": scoring.grid_weight(top_package_weight, shortfalls),
        "grid_shortfalls": shortfalls,
        "created": grid.created,
        "modified": grid.modified,
    }


def index_package(package: Package) -> None:
    """Bring the package's search entry up to date, then the grid weights.

    An entry that already holds these values is not written, and grid weights are synced only
    when the package's weight changed (only then can the top weight move), so a refresh that
    learned nothing costs one read here.
    """
    now = timezone.now()
    with transaction.atomic():
        values = package_values(package, now)
        entries = SearchEntry.objects.filter(item_type=ItemType.PACKAGE, object_id=package.pk)
        stored = entries.values(*values).first()  # the compared columns only, not the tsvector
        if stored is None:
            SearchEntry.objects.create(item_type=ItemType.PACKAGE, object_id=package.pk, **values)
        elif stored != values:
            entries.update(**values)
        else:
            return
        if stored is None or stored["weight"] != values["weight"]:
            sync_grid_weights()


def index_grid(grid_id: int) -> None:
    """Bring grid ``grid_id``'s entry up to date; a missing or placeholder grid has none."""
    grid = Grid.objects.filter(pk=grid_id, is_placeholder=False).first()
    if grid is None:
        unindex(ItemType.GRID, grid_id)
        return
    values = grid_values(grid, grid.gridpackage_set.exists(), top_package_weight())
    SearchEntry.objects.update_or_create(item_type=ItemType.GRID, object_id=grid.pk, defaults=values)


def unindex(item_type: ItemType, object_id: int) -> None:
    """Remove the entry of a deleted item (and let grid weights follow if it was a package)."""
    SearchEntry.objects.filter(item_type=item_type, object_id=object_id).delete()
    if item_type == ItemType.PACKAGE:
        sync_grid_weights()


def top_package_weight() -> int:
    """The highest package weight in the index (0 when there are no packages)."""
    top = SearchEntry.objects.filter(item_type=ItemType.PACKAGE).aggregate(top=Max("weight"))["top"]
    return top or 0


def sync_grid_weights() -> int:
    """Set every grid entry's weight from the current top package weight; returns rows changed."""
    top = top_package_weight()
    expected = Case(
        *(When(grid_shortfalls=n, then=Value(scoring.grid_weight(top, n))) for n in range(scoring.GRID_SHORTFALLS + 1))
    )
    return SearchEntry.objects.filter(item_type=ItemType.GRID).exclude(weight=expected).update(weight=expected)


def relabel_category(category) -> int:
    """Write a category's (new) title into its packages' entries; returns rows changed."""
    label = "" if category.is_placeholder else category.title
    package_ids = Package.objects.filter(category=category).values("pk")
    return SearchEntry.objects.filter(item_type=ItemType.PACKAGE, object_id__in=package_ids).update(category=label)


def rebuild() -> tuple[int, int]:
    """Rebuild the whole index in one transaction; returns (packages, grids)."""
    now = timezone.now()
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        packages = Package.objects.select_related("category", "latest_version").order_by("pk")
        entries = [
            SearchEntry(item_type=ItemType.PACKAGE, object_id=package.pk, **package_values(package, now))
            for package in packages.iterator(chunk_size=BATCH)
        ]
        SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
        top = top_package_weight()
        filled = set(GridPackage.objects.values_list("grid_id", flat=True).distinct())
        grids = [
            SearchEntry(item_type=ItemType.GRID, object_id=grid.pk, **grid_values(grid, grid.pk in filled, top))
            for grid in Grid.objects.filter(is_placeholder=False)
        ]
        SearchEntry.objects.bulk_create(grids, batch_size=BATCH)
    return len(entries), len(grids)
