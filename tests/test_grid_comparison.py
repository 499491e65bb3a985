"""``/api/v4/grids/<id or slug>/comparison/``: a grid as a table, in a constant number of queries."""
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from categories.models import Category
from grids.models import Element, Feature, Grid, GridPackage
from packages.models import Package, Version

pytestmark = pytest.mark.django_db


def _get(client, path, **headers):
    response = client.get(path, HTTP_ACCEPT="application/json", **headers)
    assert response.status_code == 200, response.content
    return response


def _comparison(client, lookup="web"):
    return json.loads(_get(client, f"/api/v4/grids/{lookup}/comparison/").content)


@pytest.fixture
def table(shelf):
    """The shelf's "Web" grid (GH and CB) with two features and one cell."""
    packages, web = shelf
    speed = Feature.objects.create(grid=web, title="Speed", description="How fast")
    docs = Feature.objects.create(grid=web, title="Docs")
    membership = GridPackage.objects.get(grid=web, package=packages["gh"])
    Element.objects.create(grid_package=membership, feature=speed, text="Fast")
    return packages, web, speed, docs


def test_the_comparison_shows_the_features_the_packages_and_their_cells(client, table):
    packages, web, speed, docs = table
    Version.objects.filter(package=packages["gh"]).update(development_status="5 - Production/Stable")
    Package.objects.filter(pk=packages["gh"].pk).update(
        usage_count=4, license="MIT", participants=["ann", "bob"], commits_over_52=[1] * 52, documentation_url="https://gh.example.org/"
    )
    body = _comparison(client)
    assert list(body) == ["grid", "title", "slug", "features", "packages"]
    assert (body["grid"], body["title"], body["slug"]) == (f"http://testserver/api/v4/grids/{web.pk}/", "Web", "web")
    assert body["features"] == [
        {"id": speed.pk, "title": "Speed", "description": "How fast"}, {"id": docs.pk, "title": "Docs", "description": ""},
    ]
    assert [p["slug"] for p in body["packages"]] == ["cb", "gh"]  # the grid document's order: by title
    gh = body["packages"][1]
    assert list(gh) == [
        "package", "title", "slug", "description", "category_title", "usage_count", "supports_python3", "development_status",
        "last_updated", "pypi_version", "license", "commits_over_52", "repo_watchers", "repo_forks", "participants_count",
        "documentation_url", "cells",
    ]
    document = json.loads(_get(client, "/api/v4/packages/gh/").content)
    assert gh["package"] == f"http://testserver/api/v4/packages/{packages['gh'].pk}/"
    for key in ("title", "slug", "last_updated", "pypi_version", "commits_over_52", "repo_watchers", "repo_forks", "documentation_url"):
        assert gh[key] == document[key], key
    assert (gh["description"], gh["category_title"], gh["usage_count"], gh["supports_python3"]) == (document["repo_description"], "App", 4, True)
    assert (gh["development_status"], gh["license"], gh["participants_count"]) == ("5 - Production/Stable", "MIT", 2)
    assert gh["cells"] == {str(speed.pk): "Fast", str(docs.pk): ""}
    cb = body["packages"][0]
    assert (cb["category_title"], cb["pypi_version"], cb["development_status"], cb["supports_python3"]) == ("Framework", None, None, None)
    assert cb["cells"] == {str(speed.pk): "", str(docs.pk): ""}


def test_a_grid_is_found_by_id_or_slug_and_an_unknown_one_is_a_404(client, table):
    web = table[1]
    assert _comparison(client, web.pk) == _comparison(client, "web")
    assert _comparison(client, "empty") == {
        "grid": f"http://testserver/api/v4/grids/{Grid.objects.get(slug='empty').pk}/", "title": "Empty", "slug": "empty",
        "features": [], "packages": [],
    }
    response = client.get("/api/v4/grids/no-such-grid/comparison/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404 and json.loads(response.content) == {"detail": "No Grid matches the given query."}


def _grow(grid, size):
    """Give ``grid`` ``size`` packages and ``size`` features, with a cell for every pair."""
    category = Category.objects.create(title=f"C{size}", slug=f"c{size}")
    features = [Feature.objects.create(grid=grid, title=f"F{n}") for n in range(size)]
    for n in range(size):
        package = Package.objects.create(title=f"P{size}-{n}", slug=f"p{size}-{n}", category=category)
        package.latest_version = Version.objects.create(package=package, number="1.0")
        package.save()
        membership = GridPackage.objects.create(grid=grid, package=package)
        Element.objects.bulk_create(Element(grid_package=membership, feature=f, text=f"{n}") for f in features)


def test_the_query_count_does_not_grow_with_the_grid(client, db):
    counts = {}
    for size in (2, 12):
        grid = Grid.objects.create(title=f"G{size}", slug=f"g{size}")
        _grow(grid, size)
        with CaptureQueriesContext(connection) as queries:
            body = _comparison(client, grid.slug)
        assert len(body["packages"]) == size and all(len(p["cells"]) == size for p in body["packages"])
        counts[size] = len(queries)
    assert counts[2] == counts[12] <= 5, counts


def _etag(client, path):
    return _get(client, path)["ETag"]


def test_the_etag_moves_with_what_the_comparison_shows_and_only_then(client, table):
    packages, web, speed, docs = table
    path = "/api/v4/grids/web/comparison/"
    first = _etag(client, path)
    assert client.get(path, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=first).status_code == 304
    grid_etag = _etag(client, "/api/v4/grids/web/")
    Grid.objects.filter(pk=web.pk).update(description="Not shown by the comparison")
    assert _etag(client, path) == first and _etag(client, "/api/v4/grids/web/") != grid_etag
    Package.objects.filter(pk=packages["bb"].pk).update(repo_watchers=999)  # not in the grid
    assert _etag(client, path) == first
    Package.objects.filter(pk=packages["gh"].pk).update(last_attempted_at=packages["gh"].created)  # bookkeeping
    assert _etag(client, path) == first
    seen = {first}
    edits = [
        lambda: Feature.objects.filter(pk=docs.pk).update(title="Documentation"),
        lambda: Element.objects.filter(feature=speed).update(text="Faster"),
        lambda: Element.objects.create(grid_package=GridPackage.objects.get(grid=web, package=packages["cb"]), feature=docs, text="Yes"),
        lambda: Element.objects.filter(feature=docs).delete(),
        lambda: Package.objects.filter(pk=packages["gh"].pk).update(usage_count=12),
        lambda: Version.objects.filter(package=packages["gh"]).update(development_status="4 - Beta"),
        lambda: Category.objects.filter(slug="frameworks").update(title="Frameworks"),
        lambda: Feature.objects.create(grid=web, title="Tests"),
        lambda: GridPackage.objects.create(grid=web, package=packages["gl"]),
        lambda: Grid.objects.filter(pk=web.pk).update(title="The web"),
        lambda: Feature.objects.filter(pk=speed.pk).delete(),
    ]
    for edit in edits:
        edit()
        etag = _etag(client, path)
        assert etag not in seen
        seen.add(etag)
    assert _comparison(client)["title"] == "The web"


def test_the_comparison_is_browsable_and_the_grid_pages_gain_no_menu(client, table):
    page = client.get("/api/v4/grids/web/comparison/?format=api")
    assert page.status_code == 200 and b"Grid Comparison" in page.content and b"Speed" in page.content
    assert page["ETag"]
    for path in ("/api/v4/grids/web/?format=api", "/api/v4/grids/?format=api"):
        assert b"Extra Actions" not in client.get(path).content
    assert "comparison" not in json.loads(_get(client, "/api/v4/").content)


def test_the_schema_describes_the_comparison(client):
    schema = json.loads(client.get("/api/v4/schema/?format=json").content)
    operation = schema["paths"]["/api/v4/grids/{id}/comparison/"]["get"]
    assert {"200", "304", "404", "406", "412"} <= set(operation["responses"])
    assert [p["name"] for p in operation.get("parameters", [])] == ["id"]
    components = schema["components"]["schemas"]
    assert set(components["GridComparison"]["required"]) == {"grid", "title", "slug", "features", "packages"}
    assert "cells" in components["ComparedPackage"]["required"]


@pytest.mark.parametrize("formats", [False, True], ids=["formats off", "formats on"])
def test_a_comparison_with_cells_matches_its_schema(client, table, formats):
    from tests.openapi import response_schema, served_schema, validator

    schema = served_schema(client)
    check = validator(schema, response_schema(schema, "/api/v4/grids/{id}/comparison/", 200), formats)
    body = _comparison(client)
    assert body["packages"][1]["cells"] and list(check.iter_errors(body)) == []
    assert not check.is_valid({**body, "packages": [{**body["packages"][0], "cells": {"1": None}}]})
