"""``/api/v4/packages/<id or slug>/facts/``: a package's full record, from what a refresh fetched."""
from datetime import timedelta

import pytest
import responses
from django.utils import timezone

from fetchers.refresh import refresh_package
from packages.models import Package, Version
from tests.fetchers.helpers import NOW, answer, make_package, pypi_answer, serve_github

pytestmark = pytest.mark.django_db
VULNERABILITY = {
    "aliases": ["CVE-2024-0001"], "details": "Long text.", "fixed_in": ["1.0.1"], "id": "PYSEC-2024-1",
    "link": "https://osv.dev/vulnerability/PYSEC-2024-1", "source": "osv", "summary": "XSS in the widget", "withdrawn": None,
}


@pytest.fixture
def refreshed(settings):
    """django/deps on GitHub (recorded) with django-minify-html on PyPI (recorded, plus one vulnerability), refreshed at NOW."""
    settings.REFRESH_INTERVAL_HOURS = 20
    body = pypi_answer("django-minify-html") | {"vulnerabilities": [VULNERABILITY]}
    body["releases"]["0.9"] = [{"upload_time": "2021-06-01T08:00:00", "yanked": True}]  # an older document: upload_time alone
    package = make_package(repo_url="https://github.com/django/deps", pypi_url="django-minify-html")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        serve_github(rsps)
        answer(rsps, "https://pypi.org/pypi/django-minify-html/json", body)
        assert refresh_package(package.pk, now=NOW).ok
    return Package.objects.get(pk=package.pk)


def test_the_record_of_a_refreshed_package(client, refreshed):
    response = client.get("/api/v4/packages/deps/facts/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    facts = response.json()
    assert list(facts) == [
        "package", "id", "slug", "title", "django_versions", "python_versions", "requires_python", "license", "development_status",
        "latest_release", "first_release_at", "release_count", "repository", "activity", "vulnerabilities", "score", "fetch",
    ]
    assert facts["package"] == f"http://testserver/api/v4/packages/{refreshed.pk}/"
    assert (facts["id"], facts["slug"], facts["title"]) == (refreshed.pk, "deps", refreshed.title)
    assert facts["django_versions"] == ["2.2", "3.0", "3.1", "3.2", "4.0"]
    assert facts["python_versions"] == ["3", "3.8", "3.9", "3.10"]
    assert (facts["requires_python"], facts["license"], facts["development_status"]) == (">=3.8", "MIT", "5 - Production/Stable")
    assert facts["latest_release"] == {"version": "1.0.0", "uploaded_at": "2021-12-28T05:37:18.583101-05:00", "yanked": False}
    assert (facts["first_release_at"], facts["release_count"]) == ("2021-06-01T04:00:00-04:00", 2)
    assert facts["repository"] == {
        "host": "github", "url": "https://github.com/django/deps", "stars": 401, "forks": 85, "archived": False,
        "archived_at": None, "default_branch": "main", "commit_count": 251, "last_commit_at": "2023-12-19T16:59:33-05:00", "moved_to": None,
    }
    weeks = facts["activity"]["commits_over_52"]
    assert len(weeks) == 52 and facts["activity"]["commits_last_52_weeks"] == sum(weeks) == 11
    assert facts["activity"]["maintained"] is (timezone.now() - timedelta(days=365) <= refreshed.last_commit_date)
    assert facts["vulnerabilities"] == [
        {"id": "PYSEC-2024-1", "aliases": ["CVE-2024-0001"], "summary": "XSS in the widget", "fixed_in": ["1.0.1"],
         "link": "https://osv.dev/vulnerability/PYSEC-2024-1"},
    ]
    assert facts["score"] == refreshed.score
    assert facts["fetch"] == {
        "last_fetched": "2024-01-13T07:00:00-05:00", "last_attempted_at": "2024-01-13T07:00:00-05:00",
        "next_due": "2024-01-14T03:00:00-05:00", "error": None, "error_count": 0,
    }


def test_a_package_never_fetched_shows_nulls_not_guesses(client, shelf):
    facts = client.get("/api/v4/packages/none/facts/").json()
    assert facts["repository"] == dict.fromkeys(facts["repository"])  # no repository URL: every fact null
    assert facts["activity"] == {"commits_over_52": None, "commits_last_52_weeks": None, "maintained": None}
    assert (facts["vulnerabilities"], facts["latest_release"], facts["license"], facts["requires_python"]) == (None,) * 4
    assert (facts["release_count"], facts["first_release_at"], facts["django_versions"]) == (0, None, [])
    assert facts["fetch"] == {"last_fetched": None, "last_attempted_at": None, "next_due": None, "error": None, "error_count": 0}


def test_maintained_means_a_commit_or_a_release_within_a_year(client, shelf):
    now = timezone.now()
    packages, _ = shelf
    assert client.get("/api/v4/packages/gh/facts/").json()["activity"]["maintained"] is True  # a commit 3 days ago
    assert client.get("/api/v4/packages/gl/facts/").json()["activity"]["maintained"] is False  # 400 days ago
    Version.objects.create(package=packages["gl"], number="2.0", upload_time=now - timedelta(days=30))
    assert client.get("/api/v4/packages/gl/facts/").json()["activity"]["maintained"] is True


def test_an_error_shows_and_the_record_is_found_by_id(client, shelf):
    packages, _ = shelf
    Package.objects.filter(slug="gl").update(fetch_error="PyPI django-gl: HTTP 503", fetch_error_count=2, last_attempted_at=NOW)
    by_id = client.get(f"/api/v4/packages/{packages['gl'].pk}/facts/").json()
    assert by_id == client.get("/api/v4/packages/gl/facts/").json()
    assert by_id["fetch"]["error"] == "PyPI django-gl: HTTP 503" and by_id["fetch"]["error_count"] == 2
    assert by_id["fetch"]["next_due"] == "2024-01-14T03:00:00-05:00"  # REFRESH_INTERVAL_HOURS (20) after the attempt


def test_an_archived_repository_and_a_moved_one(client, shelf):
    Package.objects.filter(slug="bb").update(repo_moved_to="https://bitbucket.org/b/bb", commit_count=0)
    repository = client.get("/api/v4/packages/bb/facts/").json()["repository"]
    assert repository["archived"] is True and repository["archived_at"] is not None
    assert (repository["host"], repository["moved_to"], repository["commit_count"]) == ("bitbucket", "https://bitbucket.org/b/bb", None)


@pytest.mark.parametrize("path", ["/api/v4/packages/no-such/facts/", "/api/v4/packages/999999/facts/", "/api/v4/packages/%00/facts/"])
def test_an_unknown_package_is_a_404(client, shelf, path):
    response = client.get(path)
    assert response.status_code == 404 and "ETag" not in response


def test_the_record_is_conditional_and_moves_with_what_it_shows(client, shelf):
    first = client.get("/api/v4/packages/gh/facts/")
    document = client.get("/api/v4/packages/gh/")
    assert client.get("/api/v4/packages/gh/facts/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Package.objects.filter(slug="gh").update(last_attempted_at=timezone.now(), fetch_error="GitHub: 502")
    again = client.get("/api/v4/packages/gh/facts/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again.json()["fetch"]["error"] == "GitHub: 502"
    assert client.get("/api/v4/packages/gh/", HTTP_IF_NONE_MATCH=document["ETag"]).status_code == 304  # the v4 document shows neither


def test_the_record_is_browsable_and_not_listed(client, shelf):
    page = client.get("/api/v4/packages/gh/facts/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and b"django_versions" in page.content
    assert b"facts" not in client.get("/api/v4/").content
    assert b"Extra Actions" not in client.get("/api/v4/packages/gh/", HTTP_ACCEPT="text/html").content
    assert client.get("/api/v4/packages/gh/facts.json").json()["slug"] == "gh"


def test_the_record_is_read_only(client, shelf):
    assert client.post("/api/v4/packages/gh/facts/").status_code == 405
    assert client.options("/api/v4/packages/gh/facts/").status_code == 200
