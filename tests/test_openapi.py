"""The OpenAPI schema says what the API takes and serves: parameters, nulls, statuses, bodies."""
import json

import jsonschema
import pytest

from tests.openapi import FORMATS, json_schema, response_schema, served_schema, validator

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
    from categories.filters import CategoryFilter
    from grids.filters import GridFilter
    from packages.filters import PackageFilter

    schema = served_schema(client)
    for path, filterset in (("/api/v4/packages/", PackageFilter), ("/api/v4/grids/", GridFilter), ("/api/v4/categories/", CategoryFilter)):
        parameters = _parameters(schema, path)
        for name, declared in filterset.base_filters.items():
            assert parameters[name]["description"].startswith(declared.extra["help_text"]), name
    assert "Leave blank" not in _parameters(schema, "/api/v4/packages/")["repo_host"]["description"]


# Each operation with a path that finds something in the shelf: (operation path, request path).
OPERATIONS = [
    ("/api/v4/packages/", "/api/v4/packages/"),
    ("/api/v4/packages/{id}/", "/api/v4/packages/gh/"),
    ("/api/v4/grids/", "/api/v4/grids/"),
    ("/api/v4/grids/{id}/", "/api/v4/grids/web/"),
    ("/api/v4/grids/{id}/comparison/", "/api/v4/grids/web/comparison/"),
    ("/api/v4/categories/", "/api/v4/categories/"),
    ("/api/v4/categories/{id}/", "/api/v4/categories/apps/"),
    ("/api/v4/search/", "/api/v4/search/?q=gh"),
]
NOT_FOUND = [(operation, operation.replace("{id}", "no-such-thing")) for operation, _ in OPERATIONS if "{id}" in operation]
BAD_FILTERS = [
    ("/api/v4/packages/", "/api/v4/packages/?archived=maybe", "archived"),
    ("/api/v4/packages/", "/api/v4/packages/?ordering=id,", "ordering"),
    ("/api/v4/packages/", "/api/v4/packages/?category=%00", "category"),
    ("/api/v4/grids/", "/api/v4/grids/?package=%00", "package"),
    ("/api/v4/packages/", "/api/v4/packages/?modified_since=soon", "modified_since"),
    ("/api/v4/grids/", "/api/v4/grids/?modified_since=soon", "modified_since"),
    ("/api/v4/categories/", "/api/v4/categories/?modified_since=soon", "modified_since"),
]


def _assert_declared(client, operation, response):
    """The status of ``response`` is declared for ``operation``, and its body is the declared one."""
    schema = served_schema(client)
    declared = schema["paths"][operation]["get"]["responses"]
    assert str(response.status_code) in declared, (operation, response.status_code, sorted(declared))
    body_schema = response_schema(schema, operation, response.status_code)
    if body_schema is None:
        assert response.content == b""
    else:
        validator(schema, body_schema, formats=True).validate(json.loads(response.content))


@pytest.mark.parametrize("operation,path", NOT_FOUND)
def test_a_detail_that_does_not_exist_is_a_declared_404(client, shelf, operation, path):
    response = client.get(path)
    assert response.status_code == 404
    _assert_declared(client, operation, response)


@pytest.mark.parametrize("operation,path,field", BAD_FILTERS)
def test_a_bad_filter_is_a_declared_400_whose_body_names_the_field(client, shelf, operation, path, field):
    response = client.get(path)
    assert response.status_code == 400 and list(json.loads(response.content)) == [field]
    _assert_declared(client, operation, response)


@pytest.mark.parametrize(
    "operation,filterset",
    [
        ("/api/v4/packages/", "packages.filters.PackageFilter"), ("/api/v4/grids/", "grids.filters.GridFilter"),
        ("/api/v4/categories/", "categories.filters.CategoryFilter"),
    ],
)
def test_the_declared_400_body_names_only_filters(client, operation, filterset):
    from django.utils.module_loading import import_string

    schema = served_schema(client)
    body = json_schema(response_schema(schema, operation, 400))
    resolved = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert set(resolved["properties"]) == set(import_string(filterset).base_filters)
    assert resolved["additionalProperties"] is False and resolved["minProperties"] == 1


@pytest.mark.parametrize("operation,path", OPERATIONS)
def test_conditional_and_unacceptable_requests_get_declared_answers(client, shelf, operation, path):
    first = client.get(path)
    assert first.status_code == 200
    _assert_declared(client, operation, first)
    not_modified = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    _assert_declared(client, operation, not_modified)
    failed = client.get(path, HTTP_IF_MATCH='"not-the-etag"')
    assert failed.status_code == 412
    _assert_declared(client, operation, failed)
    unacceptable = client.get(path, HTTP_ACCEPT="application/xml")
    assert unacceptable.status_code == 406
    _assert_declared(client, operation, unacceptable)


@pytest.mark.parametrize("operation", [operation for operation, _ in OPERATIONS])
def test_answers_with_validators_declare_them(client, operation):
    responses = served_schema(client)["paths"][operation]["get"]["responses"]
    for status in ("200", "304"):
        assert responses[status]["headers"]["ETag"]["required"] is True
        assert "Last-Modified" in responses[status]["headers"]
