"""The API documentation pages in a real browser: Swagger UI's "Try it out" and ReDoc, served from this host."""
import re

import pytest

# ReDoc's bundle (drf-spectacular-sidecar) always draws the "API docs by Redocly" attribution with an
# <img> from cdn.redoc.ly; the page fixture aborts it (ReDoc then drops the image) and reports it.
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_swagger_ui_tries_out_the_package_list_and_shows_a_200(page, sample):
    page.goto("/api/v4/schema/swagger-ui/")
    operation = page.locator(".opblock-get", has=page.locator(".opblock-summary-path[data-path='/api/v4/packages/']"))
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    with page.expect_response(re.compile(r"/api/v4/packages/(\?.*)?$")) as answer:
        operation.locator("button.execute").click()
    assert answer.value.status == 200
    assert answer.value.url.startswith(page.problems.origin + "/")  # the schema's server is this one
    live = operation.locator(".live-responses-table .response")
    live.locator(".response-col_status").wait_for()
    assert live.locator(".response-col_status").inner_text().strip() == "200"
    assert '"count": %d' % len(sample) in live.locator(".response-col_description pre.microlight").first.inner_text()


def _open_redoc(page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v4/schema/redoc/")
    page.locator("h1", has_text="djpackages API v4").wait_for()
    assert page.locator("text=/api/v4/packages/{id}/").count() > 0  # the operations, from the schema
    page.wait_for_load_state("networkidle")
    return requested


def test_redoc_renders_the_api_title_and_operations(page, db):
    requested = _open_redoc(page)
    assert "/api/v4/schema/" in [url.removeprefix(page.problems.origin) for url in requested]
    page.problems[:] = [p for p in page.problems if REDOCLY_LOGO not in p]  # the known defect, tested below


@pytest.mark.xfail(strict=True, reason=f"issue 15 defect 7 is not done: ReDoc's bundle requests {REDOCLY_LOGO}")
def test_redoc_requests_nothing_from_another_host(page, db):
    requested = _open_redoc(page)
    origin = page.problems.origin
    assert all(url.startswith(origin + "/") for url in requested), requested
