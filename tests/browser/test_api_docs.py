"""The API documentation pages in a real browser: Swagger UI's "Try it out" and ReDoc, served from this host."""
import re



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


def test_redoc_requests_nothing_from_another_host_and_shows_its_attribution_logo_from_here(page, db):
    """ReDoc's bundle always draws its attribution with an image from cdn.redoc.ly; the page serves it from here."""
    requested = _open_redoc(page)
    origin = page.problems.origin
    assert all(url.startswith(origin + "/") for url in requested), requested
    logo = page.locator("img[alt='redocly logo']")
    logo.wait_for()
    assert logo.get_attribute("src").endswith(".svg") and logo.get_attribute("src").startswith("/static/")
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")  # loaded, not broken
