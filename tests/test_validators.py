"""Each answer's ETag (and cached body) changes when what it shows changes, and only then."""
import threading

import pytest
import responses
from django.core.cache import caches
from django.db import connection, connections
from django.utils import timezone

from categories.models import Category
from core.models import LIST_SHARDS
from fetchers.models import StoredResponse
from fetchers.refresh import refresh_package
from grids.models import Grid, GridPackage
from packages.models import Package, Version
from tests.fetchers.helpers import answer, pypi_answer, serve_github

pytestmark = pytest.mark.django_db

ANSWERS = {
    "A": "/api/v4/packages/gh/",
    "A by id": None,  # filled in by the fixture: the same document by id
    "A's facts": "/api/v4/packages/gh/facts/",
    "B": "/api/v4/packages/gl/",
    "package list": "/api/v4/packages/",
    "grid": "/api/v4/grids/web/",
    "grid list": "/api/v4/grids/",
    "category": "/api/v4/categories/apps/",
    "category list": "/api/v4/categories/",
    "search": "/api/v4/search/?q=g",
    "root": "/api/v4/",
}


def _gh(shelf):
    return Package.objects.get(pk=shelf[0]["gh"].pk)  # as stored, not the fixture's copy


def _save(package, **fields):
    for name, value in fields.items():
        setattr(package, name, value)
    package.save()


# write -> the answers it must change; every other answer keeps its ETag.
WRITES = {
    "a served fact of A, by update()": (
        lambda s: Package.objects.filter(pk=_gh(s).pk).update(repo_watchers=51),
        {"A", "A by id", "A's facts", "package list"},
    ),
    "a served fact of A, by save()": (
        lambda s: _save(_gh(s), repo_description="New words"),
        {"A", "A by id", "A's facts", "package list", "search"},
    ),
    "A's bookkeeping (its facts show it)": (
        lambda s: Package.objects.filter(pk=_gh(s).pk).update(
            last_attempted_at=timezone.now(), fetch_error="GitHub: 502", fetch_error_count=3, fetch_error_at=timezone.now()
        ),
        {"A's facts"},
    ),
    "A's error time alone (nothing shows it)": (
        lambda s: Package.objects.filter(pk=_gh(s).pk).update(fetch_error_at=timezone.now()),
        set(),
    ),
    "A's vulnerabilities (the list filters by them)": (
        lambda s: Package.objects.filter(pk=_gh(s).pk).update(vulnerabilities=[]),
        {"A", "A by id", "A's facts", "package list"},
    ),
    "A's score alone, as it decays (the list orders by it; no document shows it)": (
        lambda s: Package.objects.filter(pk=_gh(s).pk).update(score=-7),
        {"A's facts", "package list"},
    ),
    "A's host kind alone, by update() (the list filters by it)": (
        lambda s: Package.objects.filter(pk=_gh(s).pk).update(repo_kind="forgejo"),
        {"A's facts", "package list"},
    ),
    "A saved with nothing changed": (lambda s: _gh(s).save(touch=False), set()),
    "A renamed": (
        lambda s: Package.objects.filter(pk=_gh(s).pk).update(title="Gh renamed"),
        {"A", "A by id", "A's facts", "package list", "grid", "grid list"},
    ),
    "A leaves its grid (its facts do not show grids)": (
        lambda s: GridPackage.objects.filter(package=_gh(s)).delete(),
        {"A", "A by id", "package list", "grid", "grid list"},
    ),
    "B joins the grid": (
        lambda s: GridPackage.objects.create(grid=s[1], package=s[0]["gl"]),
        {"B", "package list", "grid", "grid list"},
    ),
    "a new latest version of A": (
        lambda s: Package.objects.filter(pk=_gh(s).pk).update(
            latest_version=Version.objects.create(package=_gh(s), number="2.0")
        ),
        {"A", "A by id", "A's facts", "package list"},
    ),
    "B's stars, through search's entry too": (
        lambda s: _save(Package.objects.get(slug="gl"), repo_watchers=11),
        {"B", "package list", "search"},
    ),
    "the category renamed": (
        lambda s: Category.objects.filter(slug="apps").update(title="Apps!"),
        {"category", "category list"},
    ),
    "the category's slug changed (the package list filters by it)": (
        lambda s: Category.objects.filter(slug="frameworks").update(slug="framework"),
        {"category list", "package list"},
    ),
    "an older version of B, by bulk_create()": (
        lambda s: Version.objects.bulk_create([Version(package=s[0]["gl"], number="0.1")]),
        {"B", "package list"},
    ),
    "another grid described": (
        lambda s: Grid.objects.filter(slug="empty").update(description="Still empty"),
        {"grid list"},
    ),
    "the grid described": (lambda s: Grid.objects.filter(slug="web").update(description="Web things"), {"grid", "grid list"}),
    "a grid deleted": (lambda s: Grid.objects.filter(slug="empty").delete(), {"grid list", "search"}),
    "a package deleted": (
        lambda s: Package.objects.filter(slug="none").delete(),
        {"package list", "search"},
    ),
}


@pytest.fixture
def answers(shelf):
    return {**ANSWERS, "A by id": f"/api/v4/packages/{_gh(shelf).pk}/"}


def _etags(client, answers):
    etags = {}
    for name, path in answers.items():
        response = client.get(path)
        assert response.status_code == 200, (name, response.content)
        etags[name] = response["ETag"]
    return etags


@pytest.mark.parametrize("write", WRITES)
def test_a_write_changes_exactly_the_answers_that_show_it(client, shelf, answers, write):
    change, expected = WRITES[write]
    before = _etags(client, answers)
    change(shelf)
    changed = set()
    for name, path in answers.items():
        response = client.get(path, HTTP_IF_NONE_MATCH=before[name])
        assert response.status_code in (200, 304), (name, response.status_code)
        if response.status_code == 200:
            assert response["ETag"] != before[name]
            changed.add(name)
    assert changed == expected


def _answer_with_304s(rsps):
    for stored in StoredResponse.objects.all():
        answer(rsps, stored.url, status=304, match=[responses.matchers.header_matcher({"If-None-Match": stored.etag})])


def _answer_with_503s(rsps):
    for stored in StoredResponse.objects.all():
        answer(rsps, stored.url, status=503, text="unavailable")


@pytest.mark.parametrize("second_refresh", [_answer_with_304s, _answer_with_503s], ids=["answered by 304s", "failed"])
def test_a_refresh_that_changes_nothing_served_keeps_every_etag(client, shelf, answers, second_refresh):
    pypi_url = "https://pypi.org/pypi/django-minify-html/json"
    Package.objects.filter(slug="gh").update(
        repo_url="https://github.com/django/deps", pypi_url="https://pypi.org/project/django-minify-html/"
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        serve_github(rsps)
        answer(rsps, pypi_url, pypi_answer("django-minify-html"), headers={"ETag": '"py1"'})
        assert refresh_package(_gh(shelf).pk).changed
    before = _etags(client, answers)
    attempted = _gh(shelf).last_attempted_at
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        second_refresh(rsps)
        result = refresh_package(_gh(shelf).pk)
    assert result.changed == [] and _gh(shelf).last_attempted_at > attempted
    assert result.not_modified == 5 if second_refresh is _answer_with_304s else len(result.errors) == 2
    for name, path in answers.items():
        # the facts show the attempt's time (fetch.last_attempted_at), which moved
        assert client.get(path, HTTP_IF_NONE_MATCH=before[name]).status_code == (200 if name == "A's facts" else 304), name


def test_an_unchanged_answer_keeps_its_cached_body_across_other_writes(client, shelf, monkeypatch, django_assert_num_queries):
    first = client.get("/api/v4/packages/gl/")
    Package.objects.filter(slug="gh").update(repo_watchers=99)
    from packages.serializers import PackageSerializer

    monkeypatch.setattr(PackageSerializer, "to_representation", lambda *a: pytest.fail("rendered again"))
    with django_assert_num_queries(1):  # B's validator, nothing else
        again = client.get("/api/v4/packages/gl/")
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_a_detail_route_without_its_document_has_no_validators(client, shelf):
    response = client.get("/api/v4/packages/no-such/")
    assert response.status_code == 404 and "ETag" not in response


def test_a_deleted_document_is_a_404_even_with_a_matching_etag(client, shelf):
    etag = client.get("/api/v4/packages/none/")["ETag"]
    Package.objects.filter(slug="none").delete()
    assert client.get("/api/v4/packages/none/", HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_a_conditional_request_is_answered_after_rendering_when_this_process_never_cached_it(client, shelf):
    etag = client.get("/api/v4/packages/gh/")["ETag"]
    caches["api"].clear()  # as in another worker process
    response = client.get("/api/v4/packages/gh/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["ETag"] == etag
    assert client.get("/api/v4/packages/gh/", HTTP_IF_MATCH='"other"').status_code == 412


def test_last_modified_is_the_time_of_the_documents_own_last_change(client, shelf):
    a = client.get("/api/v4/packages/gh/")["Last-Modified"]
    import time

    time.sleep(1.1)  # Last-Modified has whole seconds
    Package.objects.filter(slug="gl").update(repo_watchers=12)
    assert client.get("/api/v4/packages/gh/")["Last-Modified"] == a
    assert client.get("/api/v4/packages/gl/")["Last-Modified"] != a
    assert client.get("/api/v4/packages/gh/", HTTP_IF_MODIFIED_SINCE=a).status_code == 304


def test_every_document_gets_a_validator_when_the_triggers_are_installed(shelf):
    from core import triggers
    from core.models import Validator

    Validator.objects.all().delete()
    triggers.install()
    assert Validator.objects.filter(scope="package").count() == Package.objects.count()
    assert Validator.objects.filter(scope="package-facts").count() == Package.objects.count()
    assert Validator.objects.filter(scope="grid").count() == Grid.objects.count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time; CI runs this on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_different_packages_do_not_wait_for_each_other(shelf):
    """A writer holds its transaction open after changing A; another connection (on another list
    shard) changes B, its validators and the lists', and commits without waiting."""
    gh, gl = shelf[0]["gh"].pk, shelf[0]["gl"].pk
    first = connections.create_connection("default")
    others = [connections.create_connection("default") for _ in range(LIST_SHARDS + 1)]
    try:
        for conn in [first, *others]:
            conn.ensure_connection()

        def shard(conn):
            with conn.cursor() as cursor:
                cursor.execute(f"SELECT pg_backend_pid() % {LIST_SHARDS}")
                return cursor.fetchone()[0]

        second = next(conn for conn in others if shard(conn) != shard(first))
        second.inc_thread_sharing()
        first.set_autocommit(False)
        with first.cursor() as cursor:
            cursor.execute("UPDATE packages_package SET repo_watchers = 1000, title = 'held' WHERE id = %s", [gh])
        outcome = {}

        def write_b():
            with second.cursor() as cursor:
                cursor.execute("SET lock_timeout = '3s'")
                cursor.execute("UPDATE packages_package SET repo_watchers = 2000, title = 'free' WHERE id = %s", [gl])
                outcome["rows"] = cursor.rowcount

        thread = threading.Thread(target=write_b)
        thread.start()
        thread.join(10)
        first.rollback()
        assert outcome.get("rows") == 1, "the second writer waited on the first one's lock"
    finally:
        for conn in [first, *others]:
            conn.close()
