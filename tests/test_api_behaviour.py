"""The v4 API's rules: read-only methods, lookups, pagination, bad input, constant query counts."""
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from categories.models import Category
from grids.models import Grid, GridPackage
from packages.models import Package
from tests.factories import make_category, make_grid, make_package

pytestmark = pytest.mark.django_db


def _body(response):
    return json.loads(response.content)


@pytest.fixture
def rows(db):
    """Two categories, 30 packages, 5 grids holding several packages each."""
    cats = [make_category(t.lower(), t, title_plural=t + "s") for t in ("App", "Framework")]
    packages = [make_package(f"pkg-{i}", f"pkg {i:02}", category=cats[i % 2], repo_url=f"https://github.com/o/p{i}") for i in range(30)]
    grids = [make_grid(f"grid-{i}", f"Grid {i}") for i in range(5)]
    for i, package in enumerate(packages):
        for grid in grids[: 1 + i % 3]:
            GridPackage.objects.create(grid=grid, package=package)
    return cats, packages, grids


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v4/packages/", "/api/v4/packages/pkg-1/", "/api/v4/grids/", "/api/v4/categories/app/"])
def test_writes_are_refused_with_405_and_change_nothing(client, rows, method, path):
    before = Package.objects.count(), Grid.objects.count(), Category.objects.count()
    response = getattr(client, method)(path, data="{}", content_type="application/json")
    assert response.status_code == 405
    assert _body(response) == {"detail": f'Method "{method.upper()}" not allowed.'}
    assert (Package.objects.count(), Grid.objects.count(), Category.objects.count()) == before


def test_head_and_options_are_answered(client, rows):
    assert client.head("/api/v4/packages/").status_code == 200
    response = client.options("/api/v4/packages/pkg-1/")
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert _body(response)["name"] == "Package Instance"


@pytest.mark.parametrize("kind", ["packages", "grids", "categories"])
def test_a_detail_is_found_by_id_and_by_slug(client, rows, kind):
    obj = {"packages": rows[1][3], "grids": rows[2][2], "categories": rows[0][1]}[kind]
    by_id = _body(client.get(f"/api/v4/{kind}/{obj.pk}/"))
    by_slug = _body(client.get(f"/api/v4/{kind}/{obj.slug}/"))
    assert by_id == by_slug and by_id["id"] == obj.pk


def test_a_slug_made_of_digits_is_looked_up_as_an_id(client, rows):
    package = rows[1][0]
    Package.objects.filter(pk=package.pk).update(slug="12345")
    assert client.get("/api/v4/packages/12345/").status_code == 404


@pytest.mark.parametrize(
    "lookup",
    [
        "99999999999999999999999999",
        str(2**63),
        str(2**31),
        "0",
        "-1",
        "%00",
        "pkg-1%00",
        "%D9%A1%D9%A2",  # Arabic-Indic digits: not an id, not a slug we hold
        "%ff%fe",
        "%%25%",
        "no-such-package",
        "x" * 5000,
    ],
)
@pytest.mark.parametrize("kind,model", [("packages", "Package"), ("grids", "Grid"), ("categories", "Category")])
def test_odd_lookups_are_a_404_never_a_500(client, rows, lookup, kind, model):
    response = client.get(f"/api/v4/{kind}/{lookup}/")
    assert response.status_code == 404
    assert _body(response) == {"detail": f"No {model} matches the given query."}


@pytest.mark.parametrize(
    "query,count",
    [
        ("limit=abc", 20),
        ("limit=-5", 20),
        ("limit=0", 20),
        ("limit=%00", 20),
        ("limit=" + "9" * 30, 30),
        ("limit=7", 7),
        ("offset=abc", 20),
        ("offset=-5", 20),
        ("offset=%25%25", 20),
        ("offset=" + "9" * 30, 0),
        ("limit=" + "9" * 30 + "&offset=" + "9" * 30, 0),
    ],
)
def test_bad_limits_and_offsets_fall_back_instead_of_failing(client, rows, query, count):
    response = client.get(f"/api/v4/packages/?{query}")
    assert response.status_code == 200
    body = _body(response)
    assert body["count"] == 30 and len(body["results"]) == count


def test_limit_is_capped_at_the_maximum_page_size(client, rows, settings):
    from core.pagination import V4Pagination

    assert V4Pagination.max_limit == 1000
    response = client.get("/api/v4/packages/?limit=1001")
    assert len(_body(response)["results"]) == 30
    V4Pagination.max_limit = 5
    try:
        assert len(_body(client.get("/api/v4/packages/?limit=100"))["results"]) == 5
    finally:
        V4Pagination.max_limit = 1000


def test_next_and_previous_links_walk_the_list(client, rows):
    first = _body(client.get("/api/v4/packages/?limit=10"))
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v4/packages/?limit=10&offset=10"
    second = _body(client.get(first["next"]))
    assert second["previous"] == "http://testserver/api/v4/packages/?limit=10"
    ids = [p["id"] for p in first["results"] + second["results"]]
    assert ids == sorted(ids, reverse=True)


def test_an_unknown_format_is_a_404(client, rows):
    assert client.get("/api/v4/packages/?format=xml").status_code == 404


@pytest.mark.parametrize("path", ["/api/v4/packages", "/api/v4/packages/pkg-1", "/api/v4/grids", "/api/v4/categories/1"])
def test_a_missing_trailing_slash_is_a_301(client, rows, path):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == path + "/"


@pytest.mark.parametrize("header", [{"HTTP_ACCEPT": "application/x-nonsense"}, {"HTTP_ACCEPT": "\x00"}, {"HTTP_HOST": "evil.example"}])
def test_odd_headers_are_a_4xx_never_a_500(client, rows, header):
    assert 400 <= client.get("/api/v4/packages/", **header).status_code < 500


def test_grid_and_category_documents_have_upstreams_keys(client, rows):
    grid = _body(client.get("/api/v4/grids/grid-0/"))
    assert list(grid) == ["id", "title", "slug", "description", "is_locked", "packages", "header", "created", "modified"]
    titles = [Package.objects.get(pk=url.rstrip("/").rsplit("/", 1)[1]).title for url in grid["packages"]]
    assert titles == sorted(titles) and len(titles) == 30
    category = _body(client.get(f"/api/v4/categories/{rows[0][0].pk}/"))
    assert list(category) == ["id", "title", "slug", "description", "title_plural", "show_pypi", "created", "modified"]


def test_package_grids_are_listed_in_the_order_the_package_joined_them(client, rows):
    package = rows[1][2]  # in grids 0, 1, 2
    GridPackage.objects.filter(package=package).delete()
    for grid in (rows[2][2], rows[2][0], rows[2][4]):
        GridPackage.objects.create(grid=grid, package=package)
    urls = _body(client.get(f"/api/v4/packages/{package.pk}/"))["grids"]
    assert urls == [f"http://testserver/api/v4/grids/{g.pk}/" for g in (rows[2][2], rows[2][0], rows[2][4])]


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kind,most", [("packages", 4), ("grids", 4), ("categories", 3)])
def test_a_list_costs_the_same_queries_whatever_the_page_size(client, rows, kind, most):
    counts = {limit: _queries(client, f"/api/v4/{kind}/?limit={limit}") for limit in (1, 20, 100)}
    assert len(set(counts.values())) == 1, counts
    assert counts[1] <= most


@pytest.mark.parametrize("path,most", [("/api/v4/packages/pkg-3/", 3), ("/api/v4/grids/grid-1/", 3), ("/api/v4/categories/app/", 2)])
def test_a_detail_costs_a_few_queries(client, rows, path, most):
    assert _queries(client, path) <= most


def test_the_api_root_lists_the_routes_in_upstreams_order(client):
    body = _body(client.get("/api/v4/"))
    assert list(body) == ["packages", "search", "grids", "categories"]
    assert body["search"] == "http://testserver/api/v4/search/"


@pytest.mark.parametrize("path", ["/api/v4/packages/pkg-2/", "/api/v4/packages/pkg-2/?format=api", "/api/v4/packages/pkg-2.json", "/api/v4/grids/grid-0/?format=json"])
def test_links_are_the_urls_drf_would_build(client, rows, path):
    """Links come from one reverse() per request and view; each equals the one DRF's
    ``HyperlinkedRelatedField`` builds for that request (scheme, host, ``?format=``, suffix)."""
    from django.urls import resolve
    from django.utils.html import escape
    from rest_framework.relations import HyperlinkedRelatedField
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    html = "format=api" in path
    response = client.get(path, HTTP_ACCEPT="text/html" if html else "application/json")
    request = Request(APIRequestFactory().get(path))
    context = {"request": request, "format": resolve(path.split("?")[0]).kwargs.get("format")}
    grid = Grid.objects.get(slug="grid-0") if "grids" in path else None
    package = Package.objects.get(slug="pkg-2") if grid is None else None
    links = [("category-detail", package.category)] + [("grid-detail", g) for g in package.grids.all()] if package else [
        ("package-detail", p) for p in grid.packages.all()
    ]
    assert len(links) > 1
    for view_name, obj in links:
        field = HyperlinkedRelatedField(view_name=view_name, read_only=True)
        field.bind("link", serializers.Serializer(context=context))
        expected = field.to_representation(obj)
        assert (escape(expected) if html else expected).encode() in response.content, expected
