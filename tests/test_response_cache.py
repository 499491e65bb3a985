"""The API's response cache: repeated requests skip rendering, and every kind of change shows at once."""
import json

import pytest
from django.core.cache import caches
from django.urls import reverse

from grids.models import Grid, GridPackage
from packages.models import Package
from tests.conftest import SAMPLE
from tests.fetchers.helpers import answer, interaction, pypi_answer, serve_github

pytestmark = pytest.mark.django_db


def _json(client, path):
    return json.loads(client.get(path).content)


def test_a_repeated_request_is_answered_from_the_cache_without_rendering(client, sample, monkeypatch, django_assert_num_queries):
    first = client.get("/api/v4/packages/1327/")
    from packages.serializers import PackageSerializer

    monkeypatch.setattr(PackageSerializer, "to_representation", lambda *a: pytest.fail("rendered again"))
    with django_assert_num_queries(1):  # the validator, nothing else
        again = client.get("/api/v4/packages/1327/")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json" and again["Vary"] == first["Vary"]
    assert client.get("/api/v4/packages/1327/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.head("/api/v4/packages/1327/").status_code == 200


def test_the_browsable_page_sets_no_cookie_so_it_is_cached_too(client, sample):
    first = client.get("/api/v4/packages/1327/", HTTP_ACCEPT="text/html")
    assert first.status_code == 200 and not first.cookies
    assert '"csrfToken": ""' in first.content.decode()
    assert client.get("/api/v4/packages/1327/", HTTP_ACCEPT="text/html").content == first.content
    assert caches["api"].get(first["ETag"]) is not None


def test_answers_that_set_a_cookie_are_not_cached(client, sample):
    from django.http import HttpResponse

    from core.conditional import _cacheable

    response = HttpResponse(b"{}")
    response.set_cookie("csrftoken", "x")
    assert not _cacheable(response)


def test_http_and_https_requests_get_their_own_links(client, sample, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    secure = client.get("/api/v4/packages/1327/", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="testserver")
    plain = client.get("/api/v4/packages/1327/", HTTP_X_FORWARDED_PROTO="http", HTTP_HOST="testserver")
    assert json.loads(secure.content)["category"].startswith("https://testserver/")
    assert json.loads(plain.content)["category"].startswith("http://testserver/")
    assert secure["ETag"] != plain["ETag"]


def test_answers_larger_than_the_cap_are_not_kept(client, sample, settings):
    settings.API_CACHE_MAX_BODY = 10_000
    small = client.get("/api/v4/packages/1327/")
    large = client.get("/api/v4/packages/?limit=1000")
    assert len(small.content) < 10_000 < len(large.content)
    assert caches["api"].get(small["ETag"]) is not None
    assert caches["api"].get(large["ETag"]) is None


def test_an_admin_edit_shows_at_once(admin_client, client, sample):
    assert _json(client, "/api/v4/packages/1327/")["title"] == "django-hstore"
    package = Package.objects.get(pk=1327)
    form = {
        "title": "django-hstore renamed", "slug": package.slug, "category": package.category_id, "repo_url": package.repo_url,
        "repo_host": "", "pypi_url": package.pypi_url, "documentation_url": package.documentation_url or "",
        "usage_count": 0, "versions-TOTAL_FORMS": 1, "versions-INITIAL_FORMS": 1,
        "versions-0-id": package.latest_version_id, "versions-0-package": 1327,
    }
    assert admin_client.post(reverse("admin:packages_package_change", args=[1327]), form).status_code == 302
    assert _json(client, "/api/v4/packages/1327/")["title"] == "django-hstore renamed"
    assert any(p["title"] == "django-hstore renamed" for p in _json(client, "/api/v4/packages/?limit=1000")["results"])


def test_an_import_shows_at_once(client, sample, tmp_path):
    import shutil

    from django.core.management import call_command

    before = _json(client, "/api/v4/packages/1327/")
    folder = tmp_path / "v4"
    shutil.copytree(SAMPLE, folder)
    path = folder / "packages" / "1327.json"
    path.write_text(path.read_text().replace('"repo_watchers": 519', '"repo_watchers": 777'))
    call_command("import_v4", str(folder), stdout=open("/dev/null", "w"))
    after = _json(client, "/api/v4/packages/1327/")
    assert before["repo_watchers"] == 519 and after["repo_watchers"] == 777


def test_a_refresh_shows_at_once(client, sample, settings):
    import responses

    from fetchers.refresh import refresh_package

    Package.objects.filter(pk=1327).update(repo_url="https://github.com/django/deps", pypi_url="django-minify-html")
    before = _json(client, "/api/v4/packages/1327/")
    with responses.RequestsMock() as rsps:
        serve_github(rsps)
        answer(rsps, "https://pypi.org/pypi/django-minify-html/json", pypi_answer("django-minify-html"))
        assert refresh_package(1327).ok
    after = _json(client, "/api/v4/packages/1327/")
    stars = interaction("github_fetch_metadata.json", 0)["json"]["stargazers_count"]
    assert before["repo_watchers"] != stars and after["repo_watchers"] == stars
    assert after["pypi_version"] == pypi_answer("django-minify-html")["info"]["version"]


def test_a_grid_membership_shows_at_once(client, sample):
    before = _json(client, "/api/v4/packages/1327/")["grids"]
    grid = Grid.objects.create(title="New grid", slug="new-grid")
    GridPackage.objects.create(grid=grid, package_id=1327)
    after = _json(client, "/api/v4/packages/1327/")["grids"]
    assert after == before + [f"http://testserver/api/v4/grids/{grid.pk}/"]
    assert _json(client, f"/api/v4/grids/{grid.pk}/")["packages"] == ["http://testserver/api/v4/packages/1327/"]
    GridPackage.objects.filter(grid=grid).delete()
    assert _json(client, "/api/v4/packages/1327/")["grids"] == before


def test_an_editor_gets_a_link_to_the_admin_page_and_never_shares_a_cached_page_with_anyone_else(client, admin_client, sample):
    """The browsable package page links staff to its admin page; the cache keeps editors' and everyone else's apart."""
    from django.contrib.auth import get_user_model

    link = 'href="/admin/packages/package/1327/change/"'
    path = "/api/v4/packages/1327/"
    anonymous = client.get(path, HTTP_ACCEPT="text/html")
    assert anonymous["X-Cache"] == "miss" and link not in anonymous.content.decode()
    editor = admin_client.get(path, HTTP_ACCEPT="text/html")
    assert editor["X-Cache"] == "miss" and link in editor.content.decode() and editor["ETag"] != anonymous["ETag"]
    assert editor.content.decode().replace(
        '<li><a href="/admin/packages/package/1327/change/" id="admin-link">Edit in the admin</a></li>', "") == anonymous.content.decode()
    again = client.get(path, HTTP_ACCEPT="text/html")
    assert again["X-Cache"] == "hit" and again.content == anonymous.content and again["ETag"] == anonymous["ETag"]
    editor_again = admin_client.get(path, HTTP_ACCEPT="text/html")
    assert editor_again["X-Cache"] == "hit" and editor_again.content == editor.content
    assert client.get(path, HTTP_ACCEPT="text/html", HTTP_IF_NONE_MATCH=editor["ETag"]).status_code == 200
    for page in (anonymous, editor, again, editor_again):
        assert "Cookie" in page["Vary"]  # a browser keeps no page across a log-in

    member = get_user_model().objects.create_user("member", password="pass-word-9")  # logged in, not staff
    client.force_login(member)
    shown = client.get(path, HTTP_ACCEPT="text/html")
    assert shown["X-Cache"] == "hit" and shown.content == anonymous.content

    json_anonymous = client.get(path)
    assert json_anonymous.content == admin_client.get(path).content  # JSON is everyone's
    assert "Cookie" not in client.__class__().get(path).get("Vary", "")  # an anonymous JSON answer varies on Accept only
    listed = admin_client.get("/api/v4/packages/", HTTP_ACCEPT="text/html").content.decode()
    assert 'id="admin-link"' not in listed  # a list is no row
