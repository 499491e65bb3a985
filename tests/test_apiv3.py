"""The v3 API: the original's routes, key order, envelopes, datetimes and links; bad input;
conditional requests; v1 Gone; users sent to the login page; and a v3 client's real calls."""
import json
from datetime import UTC, datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from categories.models import Category
from grids.models import Grid, GridPackage
from packages.models import Package
from tests.conftest import ordered_json
from tests.openapi import response_schema, served_schema, validator

pytestmark = pytest.mark.django_db

COMMON = ["absolute_url", "created", "modified", "slug", "title"]
CATEGORY_KEYS = COMMON + ["description", "resource_uri", "show_pypi", "title_plural"]
GRID_KEYS = COMMON + ["description", "is_locked", "resource_uri", "header", "packages"]
PACKAGE_KEYS = COMMON + [
    "category", "commit_list", "commits_over_52", "created_by", "documentation_url", "grids", "last_fetched",
    "last_modified_by", "participants", "pypi_url", "pypi_version", "repo_description", "repo_forks", "repo_url",
    "repo_watchers", "resource_uri", "usage_count",
]
META_KEYS = ["limit", "next", "offset", "previous", "total_count"]


def _get(client, path, status=200, **headers):
    response = client.get(path, **headers)
    assert response.status_code == status, (path, response.status_code, response.content[:300])
    return json.loads(response.content)


def _keys(client, path):
    return [key for key, _ in ordered_json(client.get(path).content)]


def test_the_root_names_the_lists(client):
    response = client.get("/api/v3/")
    assert response["Content-Type"] == "application/json"
    assert ordered_json(response.content) == [
        ("categories", "/api/v3/categories/"), ("grids", "/api/v3/grids/"), ("packages", "/api/v3/packages/"), ("users", "/api/v3/users/"),
    ]


def test_a_package_resource(client, shelf):
    packages, web = shelf
    Package.objects.filter(slug="gh").update(
        commits_over_52=[0] * 50 + [3, 1], participants=["ann", "bob"], usage_count=4, documentation_url="https://docs.example.org/",
        pypi_url="https://pypi.org/project/gh/", repo_description="Does gh",
        created=datetime(2012, 6, 5, 8, 59, 1, 326789, tzinfo=UTC), modified=datetime(2013, 1, 2, 3, 4, 5, tzinfo=UTC),
        last_fetched=datetime(2024, 5, 6, 7, 8, 9, 1000, tzinfo=UTC),
    )
    Grid.objects.create(title="Another", slug="another")
    GridPackage.objects.create(grid=Grid.objects.get(slug="another"), package=packages["gh"])
    assert _keys(client, "/api/v3/packages/gh/") == PACKAGE_KEYS
    assert _get(client, "/api/v3/packages/gh/") == {
        "absolute_url": "/packages/p/gh/",
        "created": "2012-06-05T08:59:01.326Z",
        "modified": "2013-01-02T03:04:05Z",
        "slug": "gh",
        "title": "GH",
        "category": "/api/v3/categories/apps/",
        "commit_list": ",".join(["0"] * 50 + ["3", "1"]),
        "commits_over_52": ",".join(["0"] * 50 + ["3", "1"]),
        "created_by": None,
        "documentation_url": "https://docs.example.org/",
        "grids": ["/api/v3/grids/web/", "/api/v3/grids/another/"],  # the order it joined them
        "last_fetched": "2024-05-06T07:08:09.001Z",
        "last_modified_by": None,
        "participants": "ann,bob",
        "pypi_url": "https://pypi.org/project/gh/",
        "pypi_version": "1.0",
        "repo_description": "Does gh",
        "repo_forks": 5,
        "repo_url": "https://github.com/a/gh",
        "repo_watchers": 50,
        "resource_uri": "/api/v3/packages/gh/",
        "usage_count": 4,
    }
    bare = _get(client, "/api/v3/packages/none/")
    assert (bare["commit_list"], bare["commits_over_52"], bare["participants"], bare["grids"]) == ("", "", "", [])
    assert bare["pypi_version"] is None and bare["last_fetched"] is None


def test_a_grid_resource_lists_its_packages_by_title(client, shelf):
    packages, web = shelf
    Package.objects.filter(slug="cb").update(title="AAA")  # now before GH
    Grid.objects.filter(pk=web.pk).update(description="Web things", is_locked=True, header=True)
    assert _keys(client, "/api/v3/grids/web/") == GRID_KEYS
    grid = _get(client, "/api/v3/grids/web/")
    assert grid["absolute_url"] == "/grids/g/web/" and grid["resource_uri"] == "/api/v3/grids/web/"
    assert (grid["description"], grid["is_locked"], grid["header"]) == ("Web things", True, True)
    assert grid["packages"] == ["/api/v3/packages/cb/", "/api/v3/packages/gh/"]
    assert grid["created"].endswith("Z")


def test_a_category_resource(client, shelf):
    Category.objects.filter(slug="apps").update(description="Apps", title_plural="Apps", show_pypi=False)
    assert _keys(client, "/api/v3/categories/apps/") == CATEGORY_KEYS
    category = _get(client, "/api/v3/categories/apps/")
    assert category["absolute_url"] == "/categories/apps/" and category["resource_uri"] == "/api/v3/categories/apps/"
    assert (category["title"], category["description"], category["show_pypi"], category["title_plural"]) == ("App", "Apps", False, "Apps")


@pytest.mark.parametrize(
    "path,keys",
    [
        ("/api/v3/packages/", ["meta", "category", "objects"]),
        ("/api/v3/grids/", ["meta", "objects"]),
        ("/api/v3/categories/", ["meta", "objects"]),
        ("/api/v3/grids/web/packages/", ["meta", "grid", "objects"]),
    ],
)
def test_lists_are_envelopes_in_key_order(client, shelf, path, keys):
    body = ordered_json(client.get(path).content)
    assert [key for key, _ in body] == keys
    assert [key for key, _ in body[0][1]] == META_KEYS


def test_lists_are_by_title_and_pages_link_relatively(client, shelf):
    page = _get(client, "/api/v3/packages/?limit=2&offset=2")
    assert page["meta"] == {
        "limit": 2, "next": "/api/v3/packages/?limit=2&offset=4", "offset": 2, "previous": "/api/v3/packages/?limit=2&offset=0", "total_count": 6,
    }
    assert page["category"] is None
    assert [p["slug"] for p in page["objects"]] == ["gh", "gl"]  # BB, CB, GH, GL, NONE, SELF
    assert [g["slug"] for g in _get(client, "/api/v3/grids/")["objects"]] == ["empty", "web"]
    first = _get(client, "/api/v3/packages/")
    assert first["meta"] == {"limit": 20, "next": None, "offset": 0, "previous": None, "total_count": 6}


def test_the_package_list_filters_by_an_existing_category(client, shelf):
    page = _get(client, "/api/v3/packages/?category=frameworks")
    assert [p["slug"] for p in page["objects"]] == ["cb"] and page["meta"]["total_count"] == 1 and page["category"] is None
    page = _get(client, "/api/v3/packages/?category=apps&limit=2")
    assert page["meta"]["next"] == "/api/v3/packages/?category=apps&limit=2&offset=2" and page["meta"]["total_count"] == 5
    for unknown in ("no-such-category", "", "%00"):
        assert _get(client, f"/api/v3/packages/?category={unknown}")["meta"]["total_count"] == 6


def test_the_grid_package_list_shows_the_grid_then_its_packages(client, shelf):
    body = _get(client, "/api/v3/grids/web/packages/?limit=1")
    assert body["grid"] == _get(client, "/api/v3/grids/web/")
    assert [p["slug"] for p in body["objects"]] == ["cb"]
    assert body["meta"] == {"limit": 1, "next": "/api/v3/grids/web/packages/?limit=1&offset=1", "offset": 0, "previous": None, "total_count": 2}
    assert _get(client, "/api/v3/grids/empty/packages/")["objects"] == []


@pytest.mark.parametrize(
    "query,limit,offset",
    [
        ("limit=abc&offset=xyz", 20, 0),
        ("limit=&offset=", 20, 0),
        ("limit=0", 20, 0),
        ("limit=-5&offset=-3", 20, 0),
        ("limit=1.5&offset=2.5", 20, 0),
        ("limit=99999999", 1000, 0),
        ("limit=" + "9" * 5000, 20, 0),
        ("offset=99999999999999999999999999", 20, 99999999999999999999999999),
        ("limit=3&offset=5", 3, 5),
    ],
)
def test_bad_limits_and_offsets_fall_back(client, shelf, query, limit, offset):
    body = _get(client, f"/api/v3/packages/?{query}")
    assert (body["meta"]["limit"], body["meta"]["offset"]) == (limit, offset)
    assert len(body["objects"]) == max(0, min(limit, 6 - offset))
    if offset >= 6:
        assert body["meta"]["next"] is None and body["meta"]["previous"] is not None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v3/packages/no-such/", "/api/v3/grids/no-such/", "/api/v3/categories/no-such/", "/api/v3/grids/no-such/packages/",
        "/api/v3/packages/%00/", "/api/v3/packages/1/",  # slugs only: an id is not a lookup
        "/api/v3/nothing/", "/api/v3/packages/gh/extra/",
    ],
)
def test_an_unknown_slug_is_a_404(client, shelf, path):
    response = client.get(path)
    assert response.status_code == 404 and "detail" in json.loads(response.content)
    assert "ETag" not in response


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["/api/v3/", "/api/v3/packages/", "/api/v3/packages/gh/", "/api/v3/grids/web/packages/", "/api/v3/categories/apps/"])
def test_other_methods_are_a_405_and_change_nothing(client, shelf, method, path):
    before = Package.objects.count(), Grid.objects.count(), Category.objects.count()
    response = getattr(client, method)(path, data="{}", content_type="application/json")
    assert response.status_code == 405
    assert (Package.objects.count(), Grid.objects.count(), Category.objects.count()) == before
    assert client.head(path).status_code == 200


@pytest.mark.parametrize("path", ["/api/v3/users/", "/api/v3/users/someone/", "/api/v3/users/?list_packages=1"])
def test_users_are_sent_to_the_login_page_never_shown(client, admin_user, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/api/v3/users/")
    assert b"username" not in response.content and b"admin" not in response.content


@pytest.mark.parametrize("path", ["/api/v1", "/api/v1/", "/api/v1/package/", "/api/v1/package/django-hstore/?format=json"])
def test_v1_is_gone(client, path):
    response = client.get(path)
    assert response.status_code == 410
    assert response["Content-Type"].startswith("text/plain") and b"/api/v3/" in response.content and b"/api/v4/" in response.content


@pytest.mark.parametrize("path", ["/api/v3/", "/api/v3/packages/", "/api/v3/packages/gh/", "/api/v3/grids/web/", "/api/v3/grids/web/packages/", "/api/v3/categories/", "/api/v3/categories/apps/"])
def test_answers_carry_etags_and_honour_conditional_requests(client, shelf, path):
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MATCH='"not-it"').status_code == 412
    assert client.get(path, HTTP_ACCEPT="application/xml").status_code == 406
    again = client.get(path)
    assert again["ETag"] == first["ETag"] and again["X-Cache"] == "hit" and again.content == first.content


@pytest.mark.parametrize(
    "path,change",
    [
        ("/api/v3/packages/gh/", lambda: Category.objects.filter(slug="apps").update(slug="applications")),  # its category link
        ("/api/v3/packages/gh/", lambda: Grid.objects.filter(slug="web").update(slug="webs")),  # its grid links
        ("/api/v3/packages/gh/", lambda: Package.objects.filter(slug="gh").update(usage_count=9)),
        ("/api/v3/grids/web/", lambda: Package.objects.filter(slug="gh").update(slug="gh2")),  # a member's link
        ("/api/v3/grids/web/packages/", lambda: Package.objects.filter(slug="gh").update(repo_watchers=99)),
        ("/api/v3/packages/?category=frameworks", lambda: Category.objects.filter(slug="frameworks").delete() and None),
        ("/api/v3/categories/apps/", lambda: Category.objects.filter(slug="apps").update(description="new")),
    ],
)
def test_the_etag_moves_when_what_is_shown_changes(client, shelf, path, change):
    if "frameworks" in path:
        Package.objects.filter(category__slug="frameworks").delete()
    first = client.get(path)
    change()
    second = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code in (200, 404) and second.get("ETag") != first["ETag"]
    if second.status_code == 200:
        assert second.content != first.content


# mcp-django (0.11-0.14) reads these v3 keys: a package's category, slug, title, documentation_url,
# grids, modified (as last_updated), participants (counted by commas), pypi_url, pypi_version,
# repo_description (its description too), repo_forks, repo_url and repo_watchers; a grid's title,
# slug, description and packages. Its slugs come from the last part of each link.
def _slug(url):
    return url.rstrip("/").split("/")[-1]


def _mcp_package(body):
    return {
        "category": _slug(body["category"]),
        "slug": body["slug"],
        "title": body["title"],
        "description": body.get("description") or body["repo_description"],
        "documentation_url": body["documentation_url"],
        "grids": [_slug(url) for url in body["grids"]],
        "last_updated": body["modified"],
        "participants": len([p for p in body["participants"].split(",") if p.strip()]),
        "pypi_url": body["pypi_url"],
        "pypi_version": body["pypi_version"],
        "repo_description": body["repo_description"],
        "repo_forks": body["repo_forks"],
        "repo_url": body["repo_url"],
        "repo_watchers": body["repo_watchers"],
    }


def _walk(client, path):
    """Every object of a list, following ``next`` to the end; checks each page's meta on the way."""
    objects, pages, total = [], 0, None
    while path:
        body = _get(client, path)
        total = body["meta"]["total_count"] if total is None else total
        assert body["meta"]["total_count"] == total
        objects += body["objects"]
        pages += 1
        path = body["meta"]["next"]
        assert path is None or path.startswith("/api/v3/")
    assert len(objects) == total and len({o["resource_uri"] for o in objects}) == total
    return objects, pages


def test_a_v3_client_walks_every_list_and_reads_what_mcp_django_reads(client, sample):
    v4 = {document["slug"]: document for document in (json.loads(text) for text in sample.values())}
    packages, pages = _walk(client, "/api/v3/packages/?limit=7")
    assert pages > 1 and {p["slug"] for p in packages} == set(v4)
    assert [p["slug"] for p in packages] == list(Package.objects.order_by("title", "id").values_list("slug", flat=True))
    grids, _ = _walk(client, "/api/v3/grids/?limit=5")
    categories, _ = _walk(client, "/api/v3/categories/?limit=1")
    assert grids and categories
    for grid in grids:
        members, _ = _walk(client, f"{grid['resource_uri']}packages/?limit=3")
        assert [m["resource_uri"] for m in members] == grid["packages"]
    for slug, document in v4.items():
        body = _get(client, f"/api/v3/packages/{slug}/")
        read = _mcp_package(body)
        assert read["slug"] == slug and read["title"] == document["title"]
        assert read["repo_url"] == document["repo_url"] and read["repo_watchers"] == document["repo_watchers"]
        assert read["repo_forks"] == document["repo_forks"] and read["pypi_version"] == document["pypi_version"]
        assert read["participants"] == len(document["participants"])
        assert read["documentation_url"] == document["documentation_url"] and read["pypi_url"] == document["pypi_url"]
        modified = datetime.fromisoformat(document["modified"])  # v4: New York time, microseconds
        assert datetime.fromisoformat(read["last_updated"]) == modified.replace(microsecond=modified.microsecond // 1000 * 1000)
        assert read["last_updated"].endswith("Z")
        assert len(read["grids"]) == len(document["grids"])
        _get(client, f"/api/v3/categories/{read['category']}/")
        for grid_slug in read["grids"]:
            grid = _get(client, f"/api/v3/grids/{grid_slug}/")
            assert {"title", "slug", "description", "packages"} <= set(grid)
            assert slug in [_slug(url) for url in grid["packages"]]


def test_v3_is_in_the_schema_under_its_own_tag_and_answers_match_it(client, shelf):
    schema = served_schema(client)
    v3 = {path: item["get"] for path, item in schema["paths"].items() if path.startswith("/api/v3/")}
    assert sorted(v3) == [
        "/api/v3/categories/", "/api/v3/categories/{slug}/", "/api/v3/grids/", "/api/v3/grids/{slug}/",
        "/api/v3/grids/{slug}/packages/", "/api/v3/packages/", "/api/v3/packages/{slug}/",
    ]
    assert all(operation["tags"] == ["v3"] for operation in v3.values())
    assert all(operation["tags"] != ["v3"] for path, item in schema["paths"].items() if path.startswith("/api/v4/") for operation in item.values())
    requests = {
        "/api/v3/packages/": ["/api/v3/packages/", "/api/v3/packages/?limit=2&offset=2", "/api/v3/packages/?category=apps"],
        "/api/v3/packages/{slug}/": ["/api/v3/packages/gh/", "/api/v3/packages/none/", "/api/v3/packages/no-such/"],
        "/api/v3/grids/": ["/api/v3/grids/?limit=1&offset=1"],
        "/api/v3/grids/{slug}/": ["/api/v3/grids/web/", "/api/v3/grids/no-such/"],
        "/api/v3/grids/{slug}/packages/": ["/api/v3/grids/web/packages/", "/api/v3/grids/no-such/packages/"],
        "/api/v3/categories/": ["/api/v3/categories/"],
        "/api/v3/categories/{slug}/": ["/api/v3/categories/apps/", "/api/v3/categories/no-such/"],
    }
    for operation, paths in requests.items():
        for path in paths:
            response = client.get(path)
            body_schema = response_schema(schema, operation, response.status_code)
            validator(schema, body_schema, formats=True).validate(json.loads(response.content))
    properties = schema["components"]["schemas"]["V3Package"]["properties"]
    assert set(properties) == set(PACKAGE_KEYS) == set(schema["components"]["schemas"]["V3Package"]["required"])


@pytest.mark.parametrize("path", ["/api/v3/packages/?limit=1000", "/api/v3/grids/", "/api/v3/grids/web/packages/", "/api/v3/categories/"])
def test_a_page_costs_the_same_queries_however_many_objects_it_holds(client, shelf, path):
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    web = Grid.objects.get(slug="web")
    for i in range(15):
        package = Package.objects.create(title=f"more {i}", slug=f"more-{i}", category=Category.objects.get(slug="apps"))
        GridPackage.objects.create(grid=web, package=package)
        Grid.objects.create(title=f"grid {i}", slug=f"grid-{i}")
        Category.objects.create(title=f"category {i}", slug=f"category-{i}")
    caches["api"].clear()  # rendered again, not served from the cache
    with CaptureQueriesContext(connection) as many:
        client.get(path)
    assert len(many) == len(few) <= 6


def test_a_cors_preflight_is_answered(client):
    response = client.options("/api/v3/packages/", HTTP_ORIGIN="https://elsewhere.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/v3/packages/", HTTP_ORIGIN="https://elsewhere.example")["Access-Control-Allow-Origin"] == "*"
