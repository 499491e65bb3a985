"""The index follows the data at once: saves, deletes, refresh-style saves, memberships, renames, rebuilds."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from categories.models import Category
from grids.models import Grid, GridPackage
from packages.models import Package
from search.index import muted, rebuild
from search.models import ItemType, SearchEntry
from tests.factories import make_grid, make_package

pytestmark = pytest.mark.django_db


def entry(obj):
    item_type = ItemType.GRID if isinstance(obj, Grid) else ItemType.PACKAGE
    return SearchEntry.objects.get(item_type=item_type, object_id=obj.pk)


def snapshot():
    return sorted(SearchEntry.objects.values_list("item_type", "object_id", "title", "weight", "score", "category"))


def test_importing_the_sample_indexes_every_package_and_no_placeholder_grid(sample):
    assert SearchEntry.objects.filter(item_type=ItemType.PACKAGE).count() == Package.objects.count() == len(sample)
    assert not SearchEntry.objects.filter(item_type=ItemType.GRID).exists()


def test_an_entry_carries_the_package_facts(sample):
    package = Package.objects.get(slug="django-hstore")
    row = entry(package)
    assert (row.title, row.slug, row.description) == (package.title, package.slug, package.repo_description)
    assert row.participants == ",".join(package.participants) and "," in row.participants
    assert row.absolute_url == "/packages/p/django-hstore/"
    assert row.category == ""  # the sample's categories are placeholders
    assert row.last_committed == package.last_commit_date
    assert row.last_released == package.latest_version.upload_time
    assert (row.created, row.modified) == (package.created, package.modified)


def test_a_saved_package_is_searchable_under_its_new_title_at_once(sample):
    package = Package.objects.get(slug="django-hstore")
    package.title = "Hstore for Postgres"
    package.save()
    assert entry(package).title == "Hstore for Postgres"


def test_a_refresh_style_save_with_update_fields_updates_the_entry_and_score(sample):
    package = Package.objects.get(slug="django-hstore")
    package.repo_watchers, package.supports_python3 = 5000, True
    package.last_commit_date = timezone.now() - timedelta(days=3)
    package.save(update_fields=["repo_watchers", "supports_python3", "last_commit_date"])
    assert entry(package).repo_watchers == 5000
    assert Package.objects.get(pk=package.pk).score == entry(package).score == 5000


def test_a_deleted_package_leaves_the_index_and_its_grid_loses_weight(db):
    package = make_package("lonely", description="The only one", repo_watchers=20)
    grid = make_grid("lonely-grid", "Lonely", [package], is_locked=True, header=True)
    assert entry(grid).grid_shortfalls == 0
    package.delete()
    assert not SearchEntry.objects.filter(item_type=ItemType.PACKAGE, object_id=package.pk).exists()
    assert entry(grid).grid_shortfalls == 1
    assert entry(grid).weight == 0  # no package left: the top package weight is 0


def test_a_grid_is_indexed_on_save_and_removed_on_delete(db):
    grid = make_grid("forms", "Forms", description="Form helpers")
    assert (entry(grid).title, entry(grid).absolute_url, entry(grid).category) == ("Forms", "/grids/g/forms/", "")
    grid.title = "Form libraries"
    grid.save()
    assert entry(grid).title == "Form libraries"
    grid_id = grid.pk
    grid.delete()
    assert not SearchEntry.objects.filter(item_type=ItemType.GRID, object_id=grid_id).exists()


def test_adding_and_removing_a_grid_member_moves_the_grid_weight(db):
    package = make_package("member", description="Something", repo_watchers=20)
    grid = make_grid("members", "Members")
    assert entry(grid).grid_shortfalls == 3
    membership = GridPackage.objects.create(grid=grid, package=package)
    assert entry(grid).grid_shortfalls == 2
    membership.delete()
    assert entry(grid).grid_shortfalls == 3


def test_grid_weights_follow_the_top_package_weight(db):
    grid = make_grid("g", "G", is_locked=True, header=True)
    package = make_package("top", description="Described")  # not deprecated + description: 40/160 -> 25
    GridPackage.objects.create(grid=grid, package=package)
    assert entry(package).weight == 25
    assert entry(grid).weight == 20  # 25 - 25/6 = 20.83, truncated
    package.repo_watchers = 20  # +20 points -> 60/160 -> 37 (37.5 truncated)
    package.save()
    assert entry(package).weight == 37
    assert entry(grid).weight == 30  # 37 - 37/6 = 30.83


def test_a_placeholder_grid_is_not_indexed_until_it_becomes_real(db):
    grid = Grid.objects.create(title="Placeholder grid 9", slug="placeholder-grid-9", is_placeholder=True)
    assert not SearchEntry.objects.filter(item_type=ItemType.GRID).exists()
    grid.title, grid.slug, grid.is_placeholder = "Real", "real", False
    grid.save()
    assert entry(grid).title == "Real"


def test_a_renamed_category_relabels_its_packages_entries(db):
    category = Category.objects.create(title="App", slug="app")
    package = make_package("labelled", category=category)
    assert entry(package).category == "App"
    category.title = "Application"
    category.save()
    assert entry(package).category == "Application"


def test_the_rebuild_command_reproduces_what_the_signals_built(catalogue):
    before = snapshot()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert snapshot() == before


def test_a_rebuild_repairs_what_bulk_writes_left_behind(catalogue):
    Package.objects.filter(slug="servewell").update(title="Servewell Static", repo_watchers=3000)
    SearchEntry.objects.filter(item_type=ItemType.GRID).delete()
    packages, grids = rebuild()
    assert (packages, grids) == (Package.objects.count(), 1)
    assert entry(catalogue["static"]).title == "Servewell Static"
    assert entry(catalogue["static"]).repo_watchers == 3000


def test_nothing_is_indexed_within_muted_until_the_rebuild(db):
    with muted():
        package = make_package("quiet", description="Quiet")
        grid = make_grid("quiet-grid", "Quiet", [package])
    assert not SearchEntry.objects.exists()
    rebuild()
    assert entry(package).title == "quiet" and entry(grid).grid_shortfalls == 2
    package.title = "Loud"
    package.save()  # outside the block the signals index again
    assert entry(package).title == "Loud"


def test_saving_a_package_with_nothing_new_reads_its_entry_and_writes_nothing(db):
    package = make_package("steady", description="Steady", repo_watchers=20)
    make_grid("steady-grid", "Steady", [package])
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        package.save(touch=False)
    statements = [q["sql"].split()[0] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert statements == ["UPDATE", "SELECT"]  # the package row, then one read of its entry
    assert snapshot() == before
