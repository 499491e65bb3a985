"""The OpenAPI schema says what the API takes and serves: parameters, nulls, statuses, bodies."""
import json

import jsonschema
import pytest

from tests.openapi import json_schema, served_schema

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
