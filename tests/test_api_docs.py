"""The documentation pages (the API root, the OpenAPI schema, Swagger UI, ReDoc) answer every read method."""
import pytest
from django.test import Client

DOC_PAGES = ["/api/v4/", "/api/v4/schema/", "/api/v4/schema/?format=json", "/api/v4/schema/swagger-ui/", "/api/v4/schema/redoc/"]
ACCEPTS = [None, "text/html", "application/json", "*/*", "application/xml"]


def _send(client, method, path, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    return getattr(client, method)(path, **headers)


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("method", ["options", "head"])
@pytest.mark.parametrize("path", DOC_PAGES)
def test_every_documentation_page_answers_options_and_head_without_a_server_error(db, path, method, accept):
    response = _send(Client(raise_request_exception=False), method, path, accept)
    assert response.status_code < 500, response.content[:300]


@pytest.mark.parametrize("path", ["/api/v4/schema/swagger-ui/", "/api/v4/schema/redoc/"])
def test_options_on_an_html_documentation_page_lists_its_methods_with_no_body(client, path):
    response = client.options(path)
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.content == b""


@pytest.mark.parametrize("path", ["/api/v4/packages/", "/api/v4/grids/", "/api/v4/categories/"])
def test_options_lists_the_parsers_the_original_lists_though_writes_stay_405(client, path):
    assert client.options(path).json()["parses"] == ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
    assert client.post(path, {"title": "x"}).status_code == 405


def test_the_search_endpoint_has_the_originals_view_name_and_description(client, db):
    options = client.options("/api/v4/search/").json()
    assert options["name"] == "Search V3 List"
    assert options["description"] == "Accepts a 'q' GET parameter.\n\nReturns SearchV3 (PostgreSQL FTS) results."
    page = client.get("/api/v4/search/?q=django", HTTP_ACCEPT="text/html").content.decode()
    assert "<h1>Search V3 List</h1>" in page
    assert "<p>Accepts a &#x27;q&#x27; GET parameter.<br /><br />Returns SearchV3 (PostgreSQL FTS) results.</p>" in page


@pytest.mark.parametrize(
    "path, labels",
    [
        ("/api/v4/packages/", ["Category", "Grid", "Repository host", "Archived", "Has a PyPI release", "Supports Python 3"]),
        ("/api/v4/grids/", ["Package"]),
    ],
)
def test_the_filters_form_has_fixed_labels_and_true_false_selects_start_blank(client, db, path, labels):
    from rest_framework.test import APIClient

    APIClient().get("/api/v4/schema/")  # the schema generator once changed labels in the process
    page = client.get(path, HTTP_ACCEPT="text/html").content.decode()
    assert "[invalid name]" not in page
    for label in labels:
        assert f">{label}:</label>" in page, label
    if "packages" in path:
        select = page[page.index('name="archived"'):]
        assert select[: select.index("</select>")].split("<option")[1].startswith(' value=""')


def test_choosing_only_an_ordering_in_the_filters_form_filters_nothing(client, shelf):
    every = client.get("/api/v4/packages/?ordering=title").json()["count"]
    assert client.get("/api/v4/packages/?archived=&has_pypi_release=&python3=&ordering=title").json()["count"] == every > 0


def test_the_browsable_api_is_readable_on_a_phone(client, db):
    page = client.get("/api/v4/", HTTP_ACCEPT="text/html").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
