"""Every bundled real document comes back from our API exactly, key order included."""
import re

import pytest

from tests.conftest import SAMPLE, UPSTREAM, ordered_json

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


def test_every_package_document_comes_back_identical_by_id_and_by_slug(client, sample):
    for ident, text in sample.items():
        want = ordered_json(text.replace(UPSTREAM, BASE))
        response = client.get(f"/api/v4/packages/{ident}/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert ordered_json(response.content) == want, ident
        slug = dict(want)["slug"]
        assert ordered_json(client.get(f"/api/v4/packages/{slug}/").content) == want, slug


def test_the_package_list_shows_the_same_documents_newest_first(client, sample):
    page = ordered_json(client.get("/api/v4/packages/?limit=1000").content)
    assert [key for key, _ in page] == ["count", "next", "previous", "results"]
    page = dict(page)
    assert page["count"] == len(sample)
    assert page["next"] is None and page["previous"] is None
    ids = [dict(item)["id"] for item in page["results"]]
    assert ids == sorted(sample, reverse=True)
    for item in page["results"]:
        assert item == ordered_json(sample[dict(item)["id"]].replace(UPSTREAM, BASE))


def _page_text(html):
    """Description, request line and response block of a browsable page, as a browser shows them."""
    import html as htmllib

    def strip(fragment):
        return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment))

    description = strip(re.search(r'<div class="pull-left">(.*?)</div>', html, re.S).group(1)).strip()
    request = re.search(r'<div class="request-info"[^>]*>\s*<pre class="prettyprint">(.*?)</pre>', html, re.S)
    response = re.search(r'<div class="response-info"[^>]*>\s*<pre class="prettyprint">(.*?)</pre>', html, re.S)
    parts = [description, strip(request.group(1)).strip("\n"), strip(response.group(1)).strip("\n")]
    return "\n".join(line.rstrip() for line in (parts[0] + "\n\n" + parts[1] + "\n" + parts[2]).splitlines())


def test_every_browsable_page_shows_what_upstream_showed(client, sample):
    pages = sorted(SAMPLE.glob("packages/*.page.txt"))
    assert pages
    for page in pages:
        want = "\n".join(line.rstrip() for line in page.read_text(encoding="utf-8").replace(UPSTREAM, BASE).strip().splitlines())
        path = re.search(r"^GET (\S+)$", want, re.M).group(1)
        response = client.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert _page_text(response.content.decode()) == want, page.name


def test_browsable_links_keep_the_format_parameter(client, sample):
    body = client.get("/api/v4/packages/1327/?format=api").content.decode()
    assert "http://testserver/api/v4/categories/1/?format=api" in body
    assert "http://testserver/api/v4/grids/161/?format=api" in body


def test_the_browsable_page_loads_its_css(client, sample):
    html = client.get("/api/v4/packages/1327/", HTTP_ACCEPT="text/html").content.decode()
    css = re.search(r'href="(/static/rest_framework/css/bootstrap\.min\.css)"', html).group(1)
    assert client.get(css).status_code == 200


@pytest.mark.parametrize("path", ["/api/v4/packages/1327.json/", "/api/v4/packages/1327.json", "/api/v4/packages/django-hstore.json/"])
def test_a_format_suffix_after_the_id_or_slug_is_the_format_not_part_of_the_lookup(client, sample, path):
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["id"] == 1327


def test_a_dot_in_a_lookup_is_still_a_json_404(client, sample):
    response = client.get("/api/v4/packages/1327.5/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
