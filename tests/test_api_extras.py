"""What we add to upstream's v4 API: filters, ordering, conditional GET, OpenAPI, CORS, health."""
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from categories.models import Category
from packages.models import Package

pytestmark = pytest.mark.django_db


def _ids(client, query, kind="packages"):
    response = client.get(f"/api/v4/{kind}/?limit=1000&{query}")
    assert response.status_code == 200, response.content
    return [item["id"] for item in json.loads(response.content)["results"]]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("category=apps", {"gh", "gl", "bb", "self", "none"}),
        ("category=frameworks", {"cb"}),
        ("category=nope", set()),
        ("grid=web", {"gh", "cb"}),
        ("repo_host=github", {"gh"}),
        ("repo_host=gitlab", {"gl", "self"}),
        ("repo_host=bitbucket", {"bb"}),
        ("repo_host=forgejo", {"cb"}),
        ("archived=true", {"bb"}),
        ("archived=false", {"gh", "gl", "cb", "self", "none"}),
        ("has_pypi_release=true", {"gh"}),
        ("python3=true", {"gh"}),
        ("python3=false", {"gl"}),
        ("updated_since=2000-01-01T00:00:00Z&archived=false", {"gh", "gl"}),
        ("fetched_since=2000-01-01", {"gh"}),
    ],
)
def test_package_filters_pick_the_right_packages(client, shelf, query, expected):
    packages, _ = shelf
    assert set(_ids(client, query)) == {packages[s].pk for s in expected}


def test_filters_by_id_work_like_by_slug(client, shelf):
    packages, web = shelf
    assert _ids(client, f"grid={web.pk}") == _ids(client, "grid=web")
    assert _ids(client, f"category={packages['cb'].category_id}") == [packages["cb"].pk]
    assert _ids(client, f"package={packages['gh'].pk}", kind="grids") == [web.pk]
    assert _ids(client, "package=gh", kind="grids") == [web.pk]


@pytest.mark.parametrize(
    "query,field",
    [
        ("archived=maybe", "archived"),
        ("python3=1", "python3"),
        ("has_pypi_release=", None),
        ("repo_host=sourceforge", "repo_host"),
        ("updated_since=yesterday", "updated_since"),
        ("fetched_since=2020-13-45", "fetched_since"),
        ("ordering=starz", "ordering"),
        ("django=5.x", "django"),
        ("django=%D9%A5.%D9%A2", "django"),  # Arabic-Indic digits are no version
        ("python=3.13.1", "python"),
        ("python=py3", "python"),
        ("maintained=yes", "maintained"),
        ("has_vulnerabilities=1", "has_vulnerabilities"),
        ("license=" + "M" * 256, "license"),
        ("django=&python=&maintained=&has_vulnerabilities=&license=", None),
        ("ordering=-password", "ordering"),
        ("ordering=id,", "ordering"),
        ("ordering=,", "ordering"),
        ("ordering=-id,,title", "ordering"),
        ("ordering=,,&archived=", "ordering"),
        ("ordering=", None),
    ],
)
def test_an_invalid_filter_value_is_a_400_naming_the_field(client, shelf, query, field):
    response = client.get(f"/api/v4/packages/?{query}")
    if field is None:  # an empty value means "no filter"
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert list(json.loads(response.content)) == [field]


@pytest.mark.parametrize("query", ["grid=99999999999999999999999", "category=%C3%28", "package=" + "x" * 3000])
def test_odd_filter_values_match_nothing_and_never_fail(client, shelf, query):
    kind = "grids" if query.startswith("package") else "packages"
    assert _ids(client, query, kind=kind) == []


@pytest.mark.parametrize("path", ["/api/v4/packages/?category=%00", "/api/v4/grids/?package=%00x", "/api/v4/packages/?license=MIT%00"])
def test_a_nul_byte_in_a_filter_is_a_400(client, shelf, path):
    response = client.get(path)
    assert response.status_code == 400 and "Null characters" in response.content.decode()


ORDERINGS = {
    "id": "id", "title": "title", "repo_watchers": "repo_watchers", "repo_forks": "repo_forks",
    "last_updated": "last_commit_date", "last_fetched": "last_fetched", "score": "score",
    "last_released": "last_released", "stars": "repo_watchers",
}


@pytest.mark.parametrize("name", ORDERINGS)
@pytest.mark.parametrize("direction", ["", "-"])
def test_every_ordering_sorts_both_ways_with_id_breaking_ties(client, shelf, name, direction):
    ids = _ids(client, f"ordering={direction}{name}")
    field = ORDERINGS[name]
    rows = {p.pk: p for p in Package.objects.all()}

    def key(pk):
        value = getattr(rows[pk], field)
        return (value is not None, value if value is not None else 0, pk)

    assert sorted(ids, key=key, reverse=direction == "-") == ids or name in ("last_updated", "last_fetched", "last_released")
    values = [getattr(rows[pk], field) for pk in ids if getattr(rows[pk], field) is not None]
    assert values == sorted(values, reverse=direction == "-")
    # ties (the two 30-star packages) are broken by id in the same direction
    if name in ("repo_watchers", "stars"):
        tied = [pk for pk in ids if rows[pk].repo_watchers == 30]
        assert tied == sorted(tied, reverse=direction == "-")


def test_the_default_order_stays_newest_first(client, shelf):
    ids = _ids(client, "")
    assert ids == sorted(ids, reverse=True)


# Conditional GET


def _get(client, path, **headers):
    return client.get(path, **headers)


def test_answers_carry_an_etag_and_last_modified(client, shelf):
    response = _get(client, "/api/v4/packages/gh/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")


def test_a_matching_if_none_match_is_a_304_without_rendering(client, shelf, monkeypatch):
    etag = _get(client, "/api/v4/packages/").headers["ETag"]
    from packages.serializers import PackageSerializer

    monkeypatch.setattr(PackageSerializer, "to_representation", lambda *a: pytest.fail("serializer ran"))
    with CaptureQueriesContext(connection) as ctx:
        response = _get(client, "/api/v4/packages/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    assert len(ctx.captured_queries) == 1


def test_if_modified_since_is_honoured(client, shelf):
    last_modified = _get(client, "/api/v4/grids/").headers["Last-Modified"]
    assert _get(client, "/api/v4/grids/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert _get(client, "/api/v4/grids/", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_the_etag_differs_per_representation(client, shelf):
    etags = {
        _get(client, "/api/v4/packages/").headers["ETag"],
        _get(client, "/api/v4/packages/?limit=2").headers["ETag"],
        _get(client, "/api/v4/packages/", HTTP_ACCEPT="text/html").headers["ETag"],
        _get(client, "/api/v4/packages/", HTTP_HOST="localhost").headers["ETag"],
    }
    assert len(etags) == 4


def test_errors_and_other_paths_carry_no_validators(client, shelf):
    assert "ETag" not in _get(client, "/api/v4/packages/nope/")
    assert "ETag" not in _get(client, "/healthz")
    assert "ETag" not in _get(client, "/api/v4/packages/?archived=maybe")


# OpenAPI


def test_the_openapi_schema_is_valid_and_lists_every_route_and_filter(client):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/v4/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    assert {
        "/api/v4/packages/", "/api/v4/packages/{id}/", "/api/v4/grids/", "/api/v4/grids/{id}/",
        "/api/v4/categories/", "/api/v4/categories/{id}/",
    } <= set(schema["paths"])
    params = {p["name"] for p in schema["paths"]["/api/v4/packages/"]["get"]["parameters"]}
    assert {
        "category", "grid", "repo_host", "archived", "has_pypi_release", "python3", "updated_since",
        "fetched_since", "ordering", "limit", "offset", "django", "python", "maintained", "has_vulnerabilities", "license",
    } <= params
    facts = schema["paths"]["/api/v4/packages/{id}/facts/"]["get"]
    assert facts["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PackageFacts"}
    assert {"200", "304", "404"} <= set(facts["responses"]) and "parameters" not in facts or all(p["in"] == "path" for p in facts["parameters"])
    assert {p["name"] for p in schema["paths"]["/api/v4/grids/"]["get"]["parameters"]} >= {"package"}


@pytest.mark.parametrize("page", ["/api/v4/schema/swagger-ui/", "/api/v4/schema/redoc/"])
def test_the_documentation_pages_load_their_assets_locally(client, page):
    html = client.get(page).content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert re.findall(r"(?:https?:)?//[\w.-]+", html) == [], "a page of ours requests nothing from another host"


# CORS


def test_the_api_answers_any_origin(client, shelf):
    response = client.get("/api/v4/packages/", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v4/packages/", HTTP_ORIGIN="https://elsewhere.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200 and "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("path", ["/admin/login/", "/healthz"])
def test_nothing_outside_the_api_is_shared_across_origins(client, path):
    assert "Access-Control-Allow-Origin" not in client.get(path, HTTP_ORIGIN="https://elsewhere.example")


# Health


def test_health_reports_each_dependency(client, settings):
    import redis

    from tests.pipeline.conftest import BROKER_DB, REDIS

    broker = f"{REDIS}/{BROKER_DB}"  # only pinged, never written
    try:
        redis.Redis.from_url(broker).ping()
    except redis.ConnectionError as error:  # CI starts Redis first (.ci/run), so there this never skips
        pytest.skip(f"the broker check needs Redis at {REDIS} (TEST_REDIS_URL), which is not reachable: {error}")
    settings.CELERY_BROKER_URL = broker
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "cache": "ok", "broker": "ok"}}


def test_health_is_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 503 and body["status"] == "error"
    assert body["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok", "broker": "error"}
    assert "6379" not in response.content.decode() and "127.0.0.1" not in response.content.decode()


def test_health_is_503_when_the_database_fails_and_its_details_go_only_to_the_log(client, monkeypatch, caplog):
    from core import health

    def broken():
        raise ConnectionError("database db.internal:5432/djpackages is down")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["database"] == "error"
    assert "db.internal" not in response.content.decode()
    assert "db.internal:5432/djpackages" in caplog.text


# Findings of the attack review: each of these once answered 5xx or the wrong status.


@pytest.mark.parametrize(
    "path,headers,status",
    [
        ("/api/v4/packages/no-such-package/", {"HTTP_IF_NONE_MATCH": "*"}, 404),
        ("/api/v4/packages/no-such-package/", {"HTTP_IF_MODIFIED_SINCE": "Fri, 31 Dec 2100 00:00:00 GMT"}, 404),
        ("/api/v4/packages/?archived=maybe", {"HTTP_IF_NONE_MATCH": "*"}, 400),
        ("/api/v4/packages", {"HTTP_IF_NONE_MATCH": "*"}, 301),
        ("/api/v4/nothing/", {"HTTP_IF_NONE_MATCH": "*"}, 404),
        ("/api/v4/packages/gh/", {"HTTP_IF_MATCH": '"nope"'}, 412),
        ("/api/v4/packages/gh/", {"HTTP_IF_NONE_MATCH": "*"}, 304),
    ],
)
def test_preconditions_apply_only_where_the_answer_would_be_a_200(client, shelf, path, headers, status):
    assert client.get(path, **headers).status_code == status


@pytest.mark.parametrize(
    ("query", "every_package"),
    [
        ("updated_since=9999-12-31T23:59:59", False),
        ("updated_since=9999-12-31T23:59:59-05:00", False),
        ("fetched_since=0001-01-01T00:00:00%2B05:00", True),
        ("updated_since=0001-01-01T00:00:06%2B06:00", True),
    ],
)
def test_a_datetime_beyond_utcs_range_means_since_the_first_or_the_last_instant(client, shelf, query, every_package):
    field = {"updated_since": "last_commit_date", "fetched_since": "last_fetched"}[query.split("=")[0]]
    dated = Package.objects.filter(**{f"{field}__isnull": False}).count()
    assert dated, "the shelf needs packages with that date"
    response = client.get(f"/api/v4/packages/?{query}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert json.loads(response.content)["count"] == (dated if every_package else 0)


@pytest.mark.parametrize("offset", ["%2B16:00", "-16:00", "%2B23:59"])
def test_any_offset_python_accepts_works_on_every_database(client, shelf, offset):
    assert client.get(f"/api/v4/packages/?updated_since=2020-01-01T00:00:00{offset}").status_code == 200


@pytest.mark.parametrize("kind", ["packages", "grids", "categories"])
def test_an_id_of_thousands_of_digits_is_a_404(client, shelf, kind):
    assert client.get(f"/api/v4/{kind}/{'1' * 4301}/").status_code == 404


@pytest.mark.parametrize("query", ["category=" + "1" * 4301, "grid=" + "9" * 5000])
def test_a_filter_id_of_thousands_of_digits_matches_nothing(client, shelf, query):
    assert _ids(client, query) == []


def test_credentials_are_not_read_by_the_public_api(client, shelf):
    response = client.get("/api/v4/packages/gh/", HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/v4/packages/1327/extra/", "/api/v4//packages/", "/api/v4/nothing/"])
def test_an_unrouted_api_path_is_a_json_404(client, path):
    response = client.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert json.loads(response.content) == {"detail": "Not found."}


def test_health_answers_only_reads(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


def test_cross_origin_scripts_may_send_and_read_the_validators(client, shelf):
    response = client.get("/api/v4/packages/", HTTP_ORIGIN="https://elsewhere.example")
    assert {"ETag", "Last-Modified"} <= {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    preflight = client.options(
        "/api/v4/packages/", HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]


def test_the_schema_says_what_may_be_null_and_what_filters_take(client):
    schema = json.loads(client.get("/api/v4/schema/?format=json").content)
    package = schema["components"]["schemas"]["Package"]["properties"]
    assert package["pypi_version"]["nullable"] and package["last_updated"]["nullable"] and package["last_fetched"]["nullable"]
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/v4/packages/"]["get"]["parameters"]}
    assert params["python3"]["type"] == "string" and sorted(params["python3"]["enum"]) == ["false", "true"]
    assert params["has_pypi_release"]["type"] == "string"
    assert params["updated_since"] == {"type": "string", "format": "date-time"}
    assert params["django"]["pattern"] == params["python"]["pattern"] == "^[0-9]+(\\.[0-9]+)?$"
    assert sorted(params["maintained"]["enum"]) == sorted(params["has_vulnerabilities"]["enum"]) == ["false", "true"]
    assert params["license"]["maxLength"] == 255
    assert {"stars", "-stars", "last_released", "-last_released"} <= set(params["ordering"]["items"]["enum"])
    assert "security" not in schema["paths"]["/api/v4/packages/"]["get"] or schema["paths"]["/api/v4/packages/"]["get"]["security"] == [{}]


def test_search_answers_are_conditional_too(client, shelf):
    first = client.get("/api/v4/search/?q=gh")
    assert first.status_code == 200 and first["ETag"]
    assert client.get("/api/v4/search/?q=gh", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    package = Package.objects.get(slug="gh")
    package.repo_description = "changed"
    package.save()
    changed = client.get("/api/v4/search/?q=gh", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert changed.json()[0]["description"] == "changed"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's; CI runs this on PostgreSQL")
def test_every_ordering_is_served_by_an_index_at_50000_packages(client):
    from packages.filters import ORDERINGS as PUBLIC
    from packages.views import PackageViewSet

    category = Category.objects.create(title="App", slug="apps")
    now = timezone.now()
    Package.objects.bulk_create(
        Package(
            title=f"package {i:05}", slug=f"p{i}", category=category, repo_watchers=i % 997, repo_forks=i % 89,
            score=i % 1013, last_commit_date=now - timedelta(minutes=i), last_fetched=now - timedelta(seconds=i),
        )
        for i in range(50_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE packages_package")
    for field, public in PUBLIC:
        for direction in ("", "-"):
            queryset = PackageViewSet.queryset.order_by(f"{direction}{field}", f"{direction}id")[:20]
            plan = queryset.explain()
            assert f"package_{field}_order" in plan or (field == "id" and "packages_package_pkey" in plan), plan
            assert "Sort" not in plan.split("Index")[0], plan  # no sort step above the index scan
            assert client.get(f"/api/v4/packages/?ordering={direction}{public}").status_code == 200


@pytest.mark.django_db
def test_health_is_503_when_a_migration_is_not_applied(client):
    from django.db.migrations.recorder import MigrationRecorder

    from core.health import _latest_migrations

    app, name = next(node for node in sorted(_latest_migrations()) if node[0] == "fetchers")
    MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"] == {
        "database": "ok", "migrations": "not applied for 1 app(s): run manage.py migrate", "cache": "ok", "broker": "not used",
    }


def test_health_is_503_on_a_database_that_was_never_migrated(tmp_path):
    """What the by-hand recipe gave when it skipped ``migrate``: the API a 500, /healthz now a 503."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    environment = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "CELERY_BROKER_URL", "DEBUG")}
    environment.update(DJANGO_SETTINGS_MODULE="djpackages.settings", DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}")
    script = (
        "import django, json; django.setup(); from django.test import Client; response = Client().get('/healthz'); "
        "print(json.dumps([response.status_code, json.loads(response.content)]))"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout)
    assert status == 503 and body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"].startswith("not applied for ") and "run manage.py migrate" in body["checks"]["migrations"]
