"""``/api/v4/changes/``: every change the API shows, in commit order, with cursors to resume from."""
import json
import threading
from urllib.parse import parse_qs, urlsplit
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from categories.models import Category
from core import changes
from core.models import Change
from grids.models import Element, Feature, Grid, GridPackage
from packages.models import Package, Version

FEED = "/api/v4/changes/"


@pytest.fixture
def numbered(db):
    """Changes are numbered as their transaction commits; a test's transaction never does, so on
    PostgreSQL number them as they are written instead."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _get(client, query="", status=200):
    response = client.get(f"{FEED}?{query}", HTTP_ACCEPT="application/json")
    assert response.status_code == status, response.content
    return json.loads(response.content)


def _head(client):
    return _get(client)["head"]


def _after(client, cursor, limit=1000):
    """``[(kind, id, op), ...]`` after ``cursor``, and the page."""
    page = _get(client, f"since={cursor}&limit={limit}")
    return [(c["kind"], c["id"], c["op"]) for c in page["results"]], page


def test_without_since_the_feed_gives_its_head_and_a_next_link_to_follow(client, numbered, shelf):
    page = _get(client)
    assert list(page) == ["head", "next", "results"] and page["results"] == []
    assert int(page["head"]) > 0  # the shelf's writes
    assert page["next"] == f"http://testserver{FEED}?since={page['head']}"
    assert _after(client, page["head"])[0] == []


def test_creates_updates_and_deletes_are_reported_in_order_with_their_ids(client, numbered, shelf):
    packages, web = shelf
    start = _head(client)
    category = Category.objects.create(title="Tools", slug="tools")
    package = Package.objects.create(title="New", slug="new", category=category)
    package.title = "Renamed"
    package.save()
    grid = Grid.objects.create(title="G", slug="g")
    package_id, grid_id = package.pk, grid.pk
    package.delete()
    grid.delete()
    seen, page = _after(client, start)
    assert seen == [
        ("category", category.pk, "create"), ("package", package_id, "create"), ("package", package_id, "update"),
        ("grid", grid_id, "create"), ("package", package_id, "delete"), ("grid", grid_id, "delete"),
    ]
    cursors = [int(c["cursor"]) for c in page["results"]]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors)
    assert page["head"] == page["results"][-1]["cursor"]
    assert parse_qs(urlsplit(page["next"]).query) == {"since": [page["head"]], "limit": ["1000"]}
    assert all(c["at"].endswith(("-05:00", "-04:00")) for c in page["results"])


def test_memberships_features_and_cells_are_changes_of_their_grid(client, numbered, shelf):
    packages, web = shelf
    start = _head(client)
    membership = GridPackage.objects.create(grid=web, package=packages["gl"])
    feature = Feature.objects.create(grid=web, title="Speed")
    cell = Element.objects.create(grid_package=membership, feature=feature, text="fast")
    mark = _head(client)
    assert _after(client, start)[0] == [
        ("grid", web.pk, "update"), ("package", packages["gl"].pk, "update"), ("grid", web.pk, "update"), ("grid", web.pk, "update"),
    ]
    Element.objects.filter(pk=cell.pk).update(text="faster")
    Feature.objects.filter(pk=feature.pk).delete()  # its cell goes with it
    seen = _after(client, mark)[0]
    assert set(seen) == {("grid", web.pk, "update")} and len(seen) >= 3


def test_writes_that_bypass_save_are_reported_and_unseen_columns_are_not(client, numbered, shelf):
    packages, web = shelf
    gh = packages["gh"]
    start = _head(client)
    Package.objects.filter(pk=gh.pk).update(last_attempted_at=timezone.now(), fetch_error="boom", fetch_error_count=3, score=99)
    Package.objects.filter(pk=gh.pk).update(repo_watchers=gh.repo_watchers)  # the same value
    assert _after(client, start)[0] == []
    Package.objects.filter(pk=gh.pk).update(repo_watchers=1234)
    Package.objects.bulk_create([Package(title="Bulk", slug="bulk", category=gh.category)])
    bulk = Package.objects.get(slug="bulk")
    Version.objects.filter(pk=Package.objects.get(pk=gh.pk).latest_version_id).update(number="1.1")  # the latest: the document shows it
    Version.objects.create(package=bulk, number="0.1")  # not the latest of anything: no document shows it
    Package.objects.filter(pk=packages["cb"].pk).update(title="AAA")  # moves it first in the grid's packages
    seen = _after(client, start)[0]
    assert seen[:3] == [("package", gh.pk, "update"), ("package", bulk.pk, "create"), ("package", gh.pk, "update")]
    assert sorted(seen[3:]) == [("grid", web.pk, "update"), ("package", packages["cb"].pk, "update")]  # one statement's, in any order


def test_limit_pages_through_and_next_resumes_after_the_last_change(client, numbered, shelf):
    start = _head(client)
    for n in range(5):
        Category.objects.create(title=f"C{n}", slug=f"c{n}")
    page = _get(client, f"since={start}&limit=2&format=json")
    assert [c["id"] for c in page["results"]] == list(Category.objects.order_by("id").values_list("id", flat=True)[2:4])
    collected, url = [], page["next"]
    while True:
        body = json.loads(client.get(url).content)
        if not body["results"]:
            break
        collected += body["results"]
        url = body["next"]
    assert len(collected) == 3 and "format=json" in url
    assert _get(client, f"since={start}&limit=99999999999999999999999")["results"]


@pytest.mark.parametrize(
    "query,name",
    [("since=abc", "since"), ("since=-1", "since"), ("since=1.5", "since"), ("limit=0", "limit"), ("limit=x", "limit"), ("since=%00", "since")],
)
def test_a_bad_parameter_is_a_400_naming_it(client, numbered, query, name):
    assert list(_get(client, query, status=400)) == [name]


def test_a_cursor_the_feed_never_gave_is_a_410_with_the_head(client, numbered, shelf):
    head = _head(client)
    body = _get(client, f"since={int(head) + 1}", status=410)
    assert body["head"] == head and "import everything again" in body["detail"]
    _get(client, "since=" + "9" * 40, status=410)


def test_pruning_keeps_the_retention_and_older_cursors_are_a_410(client, numbered, shelf, settings):
    settings.CHANGE_FEED_RETENTION_DAYS = 30
    old = _head(client)
    Change.objects.update(at=timezone.now() - timedelta(days=31))
    recent_start = _head(client)
    Category.objects.create(title="New", slug="new")
    etag = client.get(f"{FEED}?since={old}", HTTP_ACCEPT="application/json")["ETag"]
    assert changes.prune() > 0
    assert changes.prune() == 0
    body = _get(client, "since=0", status=410)
    assert body["head"] == _head(client)
    assert _get(client, f"since={int(old) - 1}", status=410)
    assert [c["kind"] for c in _get(client, f"since={recent_start}")["results"]] == ["category"]
    assert client.get(f"{FEED}?since={old}", HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=etag).status_code == 200
    Change.objects.all().update(at=timezone.now() - timedelta(days=40))
    changes.prune()
    assert _get(client)["head"] == body["head"]  # the head survives pruning everything
    assert _get(client, f"since={body['head']}")["results"] == []


def test_an_unchanged_feed_answers_a_conditional_request_with_a_304(client, numbered, shelf):
    first = client.get(f"{FEED}?since=0", HTTP_ACCEPT="application/json")
    assert client.get(f"{FEED}?since=0", HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Category.objects.create(title="New", slug="new")
    assert client.get(f"{FEED}?since=0", HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_feed_is_browsable_described_in_the_schema_and_not_in_the_root(client, numbered):
    assert client.get(f"{FEED}?format=api").status_code == 200
    assert "changes" not in _get(client, "format=json") and FEED not in client.get("/api/v4/").content.decode()
    operation = json.loads(client.get("/api/v4/schema/?format=json").content)["paths"][FEED]["get"]
    assert {"200", "304", "400", "410"} <= set(operation["responses"]) and "404" not in operation["responses"]
    assert {p["name"] for p in operation["parameters"]} == {"since", "limit"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time: its row ids are in commit order")
@pytest.mark.django_db(transaction=True)
def test_changes_are_numbered_in_commit_order_not_write_order(client, shelf):
    """A writes first and commits last: its change comes after B's, and no reader ever sees B's
    number while A's smaller one could still appear."""
    packages, _ = shelf
    start = int(_head(client))
    first = connections.create_connection("default")
    second = connections.create_connection("default")
    try:
        first.set_autocommit(False)
        with first.cursor() as cursor:
            cursor.execute("UPDATE packages_package SET repo_watchers = 1000 WHERE id = %s", [packages["gh"].pk])
        outcome = {}

        def write_b():
            with second.cursor() as cursor:
                cursor.execute("SET lock_timeout = '3s'")
                cursor.execute("UPDATE packages_package SET repo_watchers = 2000 WHERE id = %s", [packages["gl"].pk])
                outcome["rows"] = cursor.rowcount

        second.inc_thread_sharing()
        thread = threading.Thread(target=write_b)
        thread.start()
        thread.join(10)
        assert outcome.get("rows") == 1, "the second writer waited on the first one's open transaction"
        assert _after(client, start)[0] == [("package", packages["gl"].pk, "update")]
        first.commit()
    finally:
        first.close()
        second.close()
    assert _after(client, start)[0] == [("package", packages["gl"].pk, "update"), ("package", packages["gh"].pk, "update")]
