"""The OpenAPI schema says what the API takes and serves: parameters, nulls, statuses, bodies."""
import json

import jsonschema
import pytest

from tests.openapi import FORMATS, json_schema, served_schema

pytestmark = pytest.mark.django_db


def _parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"].get("parameters", [])}


def test_search_declares_its_query_parameter_q(client):
    q = _parameters(served_schema(client), "/api/v4/search/")["q"]
    assert q["in"] == "query" and q["schema"]["type"] == "string" and not q.get("required")
    assert q["description"]


# Where each list's items are described: path -> component.
SERVED_LISTS = {"/api/v4/packages/?limit=1000": "Package", "/api/v4/grids/": "Grid", "/api/v4/categories/": "Category"}


def _served_items(client, shelf):
    """(component, document) for every package, grid and category, and every search result for each package's slug."""
    for path, component in SERVED_LISTS.items():
        for item in json.loads(client.get(path).content)["results"]:
            yield component, item
    for slug in shelf[0]:
        for item in json.loads(client.get(f"/api/v4/search/?q={slug}").content):
            yield "SearchResult", item


def test_every_field_served_as_null_is_nullable_in_the_schema(client, shelf):
    properties = {name: c.get("properties", {}) for name, c in served_schema(client)["components"]["schemas"].items()}
    nulls = {(component, key) for component, item in _served_items(client, shelf) for key, value in item.items() if value is None}
    assert ("SearchResult", "last_released") in nulls and ("Package", "last_fetched") in nulls  # the shelf serves them
    refused = [
        (component, key) for component, key in sorted(nulls)
        if not jsonschema.Draft202012Validator(json_schema(properties[component][key])).is_valid(None)
    ]
    assert refused == []


URL = "https://example.org/docs/"


@pytest.mark.parametrize("formats", [False, True], ids=["formats off", "formats on"])
@pytest.mark.parametrize(
    "field,value", [("documentation_url", ""), ("documentation_url", None), ("documentation_url", URL), ("repo_url", ""), ("repo_url", URL)]
)
def test_a_url_or_nothing_matches_exactly_one_branch_of_its_one_of(client, field, value, formats):
    declared = served_schema(client)["components"]["schemas"]["Package"]["properties"][field]
    format_checker = FORMATS if formats else None
    matching = [branch for branch in declared["oneOf"] if jsonschema.Draft202012Validator(json_schema(branch), format_checker=format_checker).is_valid(value)]
    assert len(matching) == 1, matching
    assert jsonschema.Draft202012Validator(json_schema(declared), format_checker=format_checker).is_valid(value)


def test_a_url_field_refuses_what_is_no_url_when_formats_are_checked(client):
    declared = served_schema(client)["components"]["schemas"]["Package"]["properties"]["documentation_url"]
    assert not jsonschema.Draft202012Validator(json_schema(declared), format_checker=FORMATS).is_valid("no url at all")


@pytest.mark.parametrize("kind", ["packages", "grids", "categories"])
def test_a_lookup_path_parameter_says_id_or_slug(client, kind):
    parameter = served_schema(client)["paths"][f"/api/v4/{kind}/{{id}}/"]["get"]["parameters"][0]
    assert parameter["in"] == "path" and "id or slug" in parameter["description"]


def test_every_filter_is_described_by_the_filter_itself(client):
    from grids.filters import GridFilter
    from packages.filters import PackageFilter

    schema = served_schema(client)
    for path, filterset in (("/api/v4/packages/", PackageFilter), ("/api/v4/grids/", GridFilter)):
        parameters = _parameters(schema, path)
        for name, declared in filterset.base_filters.items():
            assert parameters[name]["description"].startswith(declared.extra["help_text"]), name
    assert "Leave blank" not in _parameters(schema, "/api/v4/packages/")["repo_host"]["description"]
