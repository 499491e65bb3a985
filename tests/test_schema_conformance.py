"""Every document the API serves for the shared dataset is valid against the OpenAPI schema it serves.

Details (by id and by slug), lists and search answers are validated with ``jsonschema`` against
the 200 body their operation declares, with format checks off and on; and every document holds
exactly the properties its component declares, all of them required.
"""
import json

import pytest
from django.core.management import call_command

from tests.conftest import DATASET
from tests.openapi import response_schema, served_schema, validator

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not DATASET.exists(), reason=f"no shared dataset at {DATASET}"),
]

SEARCHES = [
    "django", "admin", "rest framework", '"rest framework"', "django -admin", "forms", "api", "auth", "celery", "cms",
    "ñandú", "🚀", "x", "dj", "", "-django", '"unbalanced', "select * from", "%_", "1327",
]
# The component that describes the documents in each operation's answer.
COMPONENTS = {
    "/api/v4/packages/": "Package", "/api/v4/packages/{id}/": "Package", "/api/v4/grids/": "Grid", "/api/v4/grids/{id}/": "Grid",
    "/api/v4/grids/{id}/comparison/": "GridComparison",
    "/api/v4/categories/": "Category", "/api/v4/categories/{id}/": "Category", "/api/v4/search/": "SearchResult",
}


@pytest.fixture
def shared_dataset(db):
    """The shared dataset imported: ``{id: document}`` of its packages."""
    call_command("import_v4", str(DATASET), stdout=open("/dev/null", "w"))
    return {int(p.stem): json.loads(p.read_text(encoding="utf-8")) for p in (DATASET / "packages").glob("*.json")}


def _get(client, path):
    response = client.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, path
    return json.loads(response.content)


def _served(client, packages):
    """``(operation, path, body)`` of every answer the API gives for the dataset."""
    for kind in ("packages", "grids", "categories"):
        page = _get(client, f"/api/v4/{kind}/?limit=1000")
        yield f"/api/v4/{kind}/", f"/api/v4/{kind}/?limit=1000", page
        first = f"/api/v4/{kind}/?limit=5&offset=5"  # a page with both links
        yield f"/api/v4/{kind}/", first, _get(client, first)
        for item in page["results"]:
            for lookup in (item["id"], item["slug"]):
                path = f"/api/v4/{kind}/{lookup}/"
                yield f"/api/v4/{kind}/{{id}}/", path, _get(client, path)
                if kind == "grids":
                    yield "/api/v4/grids/{id}/comparison/", f"{path}comparison/", _get(client, f"{path}comparison/")
    for query in SEARCHES + sorted(document["slug"] for document in packages.values()):
        path = f"/api/v4/search/?q={query}"
        yield "/api/v4/search/", path, _get(client, path)


@pytest.mark.parametrize("formats", [False, True], ids=["formats off", "formats on"])
def test_every_document_served_for_the_shared_dataset_matches_the_schema(client, shared_dataset, formats):
    schema = served_schema(client)
    validators, failures, answers, results = {}, [], 0, 0
    for operation, path, body in _served(client, shared_dataset):
        if operation not in validators:
            validators[operation] = validator(schema, response_schema(schema, operation, 200), formats)
        failures += [f"{path} {error.json_path}: {error.message}" for error in validators[operation].iter_errors(body)]
        answers += 1
        results += len(body) if operation == "/api/v4/search/" else 0
    assert failures == []
    assert answers > 2 * len(shared_dataset) and results > len(shared_dataset)  # details, lists and found results were checked


def test_format_checks_catch_what_is_not_a_date_or_a_url(client, shared_dataset):
    schema = served_schema(client)
    package = {**_get(client, "/api/v4/packages/1327/"), "created": "yesterday", "category": "not a url"}
    body_schema = response_schema(schema, "/api/v4/packages/{id}/", 200)
    assert validator(schema, body_schema, formats=False).is_valid(package)
    errors = {error.json_path for error in validator(schema, body_schema, formats=True).iter_errors(package)}
    assert errors == {"$.created", "$.category"}


def test_every_document_holds_exactly_the_declared_properties_all_required(client, shared_dataset):
    components = served_schema(client)["components"]["schemas"]
    for operation, path, body in _served(client, shared_dataset):
        component = components[COMPONENTS[operation]]
        for item in _documents(body):
            assert list(item) == list(component["properties"]), path
        assert sorted(component["required"]) == sorted(component["properties"]), path


def _documents(body):
    """The documents in an answer: a search's items, a page's results, or the one document."""
    if isinstance(body, list):
        return body
    return body["results"] if "results" in body else [body]
