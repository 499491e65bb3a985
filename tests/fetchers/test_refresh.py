"""The refresh service: both halves applied together, and nothing lost when either fails."""
from datetime import UTC, datetime, timedelta

import pytest
import requests
from responses import matchers

from django.utils import timezone

from fetchers.models import StoredResponse
from fetchers.refresh import refresh_package
from packages.models import Package, Version
from packages.scoring import package_score

from tests.factories import make_package

from .helpers import GITHUB_API, NOW, WEEKS, answer, pypi_answer, serve_github

pytestmark = pytest.mark.django_db
PYPI = "https://pypi.org/pypi/django-minify-html/json"
GOOD = {
    "repo_description": "kept description",
    "repo_watchers": 300,
    "repo_forks": 80,
    "participants": ["kept"],
    "commits_over_52": [1] * 52,
    "last_commit_date": datetime(2023, 11, 1, tzinfo=UTC),
    "commit_count": 200,
    "repo_default_branch": "main",
    "license": "kept licence",
    "classifiers": ["Framework :: Django"],
    "requires_python": ">=3.6",
    "supports_python3": True,
}


def serve_pypi(rsps, body=None, status=200):
    answer(rsps, PYPI, body if body is not None else pypi_answer("django-minify-html"), status=status, headers={"ETag": '"py1"'})


def package(**fields):
    """django/deps on GitHub with django-minify-html on PyPI (two recordings, one package)."""
    return make_package(**{"repo_url": "https://github.com/django/deps", "pypi_url": "https://pypi.org/project/django-minify-html/", **fields})


def good_package():
    """A package whose facts were fetched before, with version 0.9 as the latest."""
    pkg = package(**GOOD)
    pkg.latest_version = Version.objects.create(package=pkg, number="0.9")
    pkg.save()
    return pkg


def assert_repo_facts_kept(pkg):
    pkg.refresh_from_db()
    for name in ["repo_description", "repo_watchers", "repo_forks", "participants", "commits_over_52", "last_commit_date", "commit_count"]:
        assert getattr(pkg, name) == GOOD[name], name


def test_a_refresh_fills_every_fact_from_github_and_pypi(rsps):
    serve_github(rsps)
    serve_pypi(rsps)
    pkg = package()
    result = refresh_package(pkg.id, now=NOW)
    pkg.refresh_from_db()
    assert result.ok and not result.retry
    assert (pkg.repo_watchers, pkg.repo_forks, pkg.repo_description) == (401, 85, "Django Enhancement Proposals")
    assert len(pkg.participants) == 31 and pkg.participants[0] == "carljm"
    assert pkg.commits_over_52 == WEEKS
    assert pkg.last_commit_date == datetime(2023, 12, 19, 21, 59, 33, tzinfo=UTC)
    assert (pkg.commit_count, pkg.repo_default_branch, pkg.date_repo_archived, pkg.repo_moved_to) == (251, "main", None, "")
    assert pkg.pypi_version == "1.0.0"
    assert pkg.latest_version.upload_time == datetime(2021, 12, 28, 10, 37, 18, 583101, tzinfo=UTC)
    assert (pkg.latest_version.license, pkg.latest_version.development_status) == ("MIT", "5 - Production/Stable")
    assert (pkg.license, pkg.requires_python, pkg.supports_python3) == ("MIT", ">=3.8", True)
    assert "Framework :: Django :: 4.0" in pkg.classifiers
    assert pkg.vulnerabilities == []  # the recording lists none
    assert pkg.last_released == pkg.latest_version.upload_time
    assert pkg.score == package_score(401, pkg.last_commit_date, True, timezone.now())
    assert pkg.last_fetched == NOW
    assert (pkg.fetch_error, pkg.fetch_error_at, pkg.fetch_error_count) == ("", None, 0)
    assert result.changed == sorted(
        ["repo_description", "repo_watchers", "repo_forks", "participants", "commits_over_52", "last_commit_date", "commit_count",
         "repo_default_branch", "latest_version", "last_released", "license", "classifiers", "requires_python", "supports_python3",
         "vulnerabilities", "versions"]
    )
    assert (result.calls, result.not_modified) == (5, 0)


def test_a_second_refresh_of_an_unchanged_package_is_answered_entirely_by_304s(rsps):
    serve_github(rsps)
    serve_pypi(rsps)
    pkg = package()
    refresh_package(pkg.id)
    first = Package.objects.get(pk=pkg.pk)
    modified = first.modified
    rsps.reset()
    for stored in StoredResponse.objects.all():
        answer(rsps, stored.url, status=304, match=[matchers.header_matcher({"If-None-Match": stored.etag})])
    result = refresh_package(pkg.id)
    pkg.refresh_from_db()
    assert (result.calls, result.not_modified) == (5, 5)
    assert result.changed == [] and result.ok
    assert (pkg.modified, pkg.last_fetched) == (modified, first.last_fetched)  # nothing the API serves changed
    assert pkg.last_attempted_at > first.last_attempted_at
    assert pkg.repo_watchers == 401 and pkg.pypi_version == "1.0.0"


def test_modified_moves_when_a_served_fact_changes(rsps):
    serve_github(rsps)
    serve_pypi(rsps)
    pkg = package()
    before = Package.objects.get(pk=pkg.pk).modified
    refresh_package(pkg.id, now=NOW)
    assert Package.objects.get(pk=pkg.pk).modified > before


def timeout(rsps):
    rsps.replace("GET", GITHUB_API, body=requests.ReadTimeout("read timed out"))


def refused(rsps):
    rsps.replace("GET", GITHUB_API, body=requests.ConnectionError("connection refused"))


def server_error(rsps):
    rsps.replace("GET", GITHUB_API, status=500, body="oops")


def too_many_requests(rsps):
    rsps.replace("GET", GITHUB_API, status=429, headers={"Retry-After": "30"}, json={})


def rate_limit_403(rsps):
    reset = int(datetime.now(UTC).timestamp()) + 600
    rsps.replace("GET", GITHUB_API, status=403, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
                 json={"message": "API rate limit exceeded"})


def secondary_rate_limit(rsps):
    rsps.replace("GET", GITHUB_API, status=403, json={"message": "You have exceeded a secondary rate limit. Please wait a few minutes."})


def truncated(rsps):
    rsps.replace("GET", GITHUB_API, status=200, body='{"full_name": "django/deps", "stargazers_count": 4')


def not_json(rsps):
    rsps.replace("GET", GITHUB_API, status=200, body="<html>maintenance</html>")


def not_an_object(rsps):
    rsps.replace("GET", GITHUB_API, status=200, json=["unexpected"])


def not_found(rsps):
    rsps.replace("GET", GITHUB_API, status=404, json={"message": "Not Found"})


@pytest.mark.parametrize(
    "break_repo, error_text, transient",
    [
        (timeout, "timeout", True),
        (refused, "connection error", True),
        (server_error, "HTTP 500", True),
        (too_many_requests, "rate limited by api.github.com", True),
        (rate_limit_403, "rate limited by api.github.com", True),
        (secondary_rate_limit, "rate limited by api.github.com", True),
        (truncated, "malformed JSON", True),
        (not_json, "malformed JSON", True),
        (not_an_object, "unexpected answer", True),
        (not_found, "HTTP 404", False),
    ],
)
def test_a_failed_repository_fetch_keeps_every_repo_fact_and_pypi_still_applies(rsps, break_repo, error_text, transient):
    serve_github(rsps)
    break_repo(rsps)
    serve_pypi(rsps)
    pkg = good_package()
    result = refresh_package(pkg.id, now=NOW)
    assert_repo_facts_kept(pkg)
    assert pkg.pypi_version == "1.0.0" and pkg.requires_python == ">=3.8"  # the other half applied
    assert error_text in pkg.fetch_error and pkg.fetch_error.startswith("https://github.com/django/deps: ")
    assert (pkg.fetch_error_at, pkg.fetch_error_count) == (NOW, 1)
    assert pkg.last_fetched == NOW
    assert not result.ok and result.retry is transient


def test_a_rate_limit_tells_when_to_retry(rsps):
    serve_github(rsps)
    too_many_requests(rsps)
    serve_pypi(rsps)
    result = refresh_package(good_package().id, now=NOW)
    assert result.retry_after > datetime.now(UTC) + timedelta(seconds=25)


@pytest.mark.parametrize(
    "break_pypi",
    [
        lambda rsps: serve_pypi(rsps, {"message": "Not Found"}, status=404),
        lambda rsps: serve_pypi(rsps, pypi_answer("django-fett")),  # {}
        lambda rsps: rsps.add("GET", PYPI, body="{\"info\": {\"name\": "),
        lambda rsps: rsps.add("GET", PYPI, status=503, body="unavailable"),
        lambda rsps: rsps.add("GET", PYPI, body=requests.ConnectTimeout()),
    ],
    ids=["404", "empty object", "truncated", "503", "timeout"],
)
def test_a_failed_pypi_fetch_keeps_every_pypi_fact_and_the_repo_still_applies(rsps, break_pypi):
    serve_github(rsps)
    break_pypi(rsps)
    pkg = good_package()
    refresh_package(pkg.id, now=NOW)
    pkg.refresh_from_db()
    assert pkg.pypi_version == "0.9"
    assert (pkg.license, pkg.classifiers, pkg.requires_python, pkg.supports_python3) == ("kept licence", ["Framework :: Django"], ">=3.6", True)
    assert pkg.repo_watchers == 401  # the other half applied
    assert pkg.fetch_error.startswith("PyPI django-minify-html: ") and pkg.fetch_error_count == 1


def test_when_both_halves_fail_nothing_changes_but_the_error(rsps):
    serve_github(rsps)
    not_found(rsps)
    serve_pypi(rsps, {"message": "Not Found"}, status=404)
    pkg = good_package()
    result = refresh_package(pkg.id, now=NOW)
    assert_repo_facts_kept(pkg)
    assert pkg.pypi_version == "0.9"
    assert pkg.last_fetched is None
    assert len(result.errors) == 2 and pkg.fetch_error == "; ".join(result.errors)


def test_the_error_count_grows_with_each_failure_and_resets_on_success(rsps):
    pkg = good_package()
    for attempt in (1, 2):
        rsps.reset()
        serve_github(rsps)
        server_error(rsps)
        serve_pypi(rsps)
        refresh_package(pkg.id, now=NOW + timedelta(minutes=attempt))
        pkg.refresh_from_db()
        assert pkg.fetch_error_count == attempt and pkg.fetch_error_at == NOW + timedelta(minutes=attempt)
    rsps.reset()
    serve_github(rsps)
    serve_pypi(rsps)
    assert refresh_package(pkg.id, now=NOW).ok
    pkg.refresh_from_db()
    assert (pkg.fetch_error, pkg.fetch_error_at, pkg.fetch_error_count) == ("", None, 0)


def test_a_participation_202_keeps_the_stored_weeks_and_asks_for_a_retry(rsps):
    serve_github(rsps, participation={}, participation_status=202)
    serve_pypi(rsps)
    pkg = good_package()
    result = refresh_package(pkg.id, now=NOW)
    pkg.refresh_from_db()
    assert pkg.commits_over_52 == GOOD["commits_over_52"]
    assert pkg.repo_watchers == 401 and pkg.commit_count == 251
    assert result.retry and result.ok and pkg.fetch_error == ""


def test_a_too_large_contributor_list_keeps_the_participants_and_saves_the_rest(rsps):
    too_large = {"message": "The history or contributor list is too large to list contributors for this repository via the API."}
    serve_github(rsps, contributors={"body": too_large, "status": 403})
    serve_pypi(rsps)
    pkg = good_package()
    assert refresh_package(pkg.id, now=NOW).ok
    pkg.refresh_from_db()
    assert pkg.participants == ["kept"]
    assert pkg.repo_watchers == 401 and pkg.commits_over_52 == WEEKS


def test_a_failed_later_call_keeps_its_stored_facts_while_the_others_apply(rsps):
    serve_github(rsps)
    rsps.replace("GET", f"{GITHUB_API}/contributors", status=503, body="unavailable")
    pkg = package(pypi_url="", **GOOD)  # the repository half only: it succeeded, partly
    result = refresh_package(pkg.id, now=NOW)
    pkg.refresh_from_db()
    assert pkg.participants == ["kept"]
    assert (pkg.repo_watchers, pkg.repo_forks, pkg.commits_over_52, pkg.commit_count) == (401, 85, WEEKS, 251)
    assert pkg.fetch_error.startswith("https://github.com/django/deps: contributors: HTTP 503: GET ")
    assert (pkg.fetch_error_count, pkg.last_fetched) == (1, NOW)
    assert not result.ok and result.retry and result.retry_after is None


def test_a_rate_limit_on_a_later_call_keeps_what_was_read_and_tells_when_to_retry(rsps):
    serve_github(rsps)
    rsps.replace("GET", f"{GITHUB_API}/contributors", status=429, headers={"Retry-After": "30"}, json={})
    serve_pypi(rsps)
    pkg = good_package()
    result = refresh_package(pkg.id, now=NOW)
    pkg.refresh_from_db()
    assert pkg.repo_watchers == 401 and pkg.pypi_version == "1.0.0"
    assert (pkg.participants, pkg.commits_over_52, pkg.commit_count) == (["kept"], [1] * 52, 200)
    assert [error.split(": ")[1] for error in result.errors] == ["contributors", "participation", "commits"]  # host paused
    assert result.retry and result.retry_after > datetime.now(UTC) + timedelta(seconds=25)


def test_nulls_and_missing_keys_never_blank_a_fact(rsps):
    answer(rsps, GITHUB_API, {"full_name": "django/deps", "description": None, "stargazers_count": None, "forks_count": None})
    answer(rsps, f"{GITHUB_API}/contributors?per_page=100", [])
    answer(rsps, f"{GITHUB_API}/stats/participation", {"all": None})
    answer(rsps, f"{GITHUB_API}/commits?per_page=1", [])
    serve_pypi(rsps, {"info": {"version": None, "license": None, "classifiers": None, "requires_python": None}, "releases": None})
    pkg = good_package()
    assert refresh_package(pkg.id, now=NOW).ok
    assert_repo_facts_kept(pkg)
    assert pkg.repo_default_branch == "main"
    assert (pkg.pypi_version, pkg.license, pkg.classifiers, pkg.requires_python) == ("0.9", "kept licence", ["Framework :: Django"], ">=3.6")


def test_an_archived_repository_keeps_the_date_it_was_first_seen_archived(rsps):
    def serve_archived():
        rsps.reset()
        serve_github(rsps)
        rsps.replace("GET", GITHUB_API, json={"full_name": "django/deps", "default_branch": "main", "archived": True})
        serve_pypi(rsps)

    serve_archived()
    pkg = package()
    refresh_package(pkg.id, now=NOW)
    serve_archived()
    refresh_package(pkg.id, now=NOW + timedelta(days=7))
    pkg.refresh_from_db()
    assert pkg.date_repo_archived == NOW


def test_a_moved_repository_is_recorded_for_the_editors(rsps):
    serve_github(rsps)
    serve_pypi(rsps)
    answer(rsps, "https://api.github.com/repos/jacobian/deps", status=301, headers={"Location": GITHUB_API})
    pkg = package(repo_url="https://github.com/jacobian/deps")
    refresh_package(pkg.id, now=NOW)
    pkg.refresh_from_db()
    assert pkg.repo_moved_to == "https://github.com/django/deps"
    assert pkg.repo_url == "https://github.com/jacobian/deps"  # editors decide
    assert pkg.repo_watchers == 401


def test_the_same_repository_in_another_case_is_not_moved(rsps):
    serve_github(rsps)
    serve_pypi(rsps)
    answer(rsps, "https://api.github.com/repos/Django/Deps", {"full_name": "django/deps", "html_url": "https://github.com/django/deps"})
    pkg = package(repo_url="https://github.com/Django/Deps")
    refresh_package(pkg.id, now=NOW)
    pkg.refresh_from_db()
    assert pkg.repo_moved_to == ""


def test_an_unsupported_host_is_left_untouched_and_costs_nothing(rsps):
    serve_pypi(rsps)
    pkg = make_package(repo_url="https://code.google.com/p/django-foo/", pypi_url="django-minify-html", **GOOD)
    result = refresh_package(pkg.id, now=NOW)
    assert_repo_facts_kept(pkg)
    assert result.ok and result.calls == 1
    assert pkg.score == package_score(300, GOOD["last_commit_date"], True, timezone.now())


def test_a_double_prefixed_pypi_url_is_fetched(rsps):
    serve_pypi(rsps)
    pkg = make_package(pypi_url="http://pypi.python.org/pypi/https://pypi.org/project/django-minify-html/")
    assert refresh_package(pkg.id, now=NOW).ok
    pkg.refresh_from_db()
    assert pkg.pypi_version == "1.0.0"


def test_a_pypi_url_naming_no_project_is_a_fetch_error_and_an_empty_one_is_not(rsps):
    serve_github(rsps)
    bad = package(pypi_url="https://pypi.org/simple/")
    result = refresh_package(bad.id, now=NOW)
    bad.refresh_from_db()
    assert bad.fetch_error == "PyPI: cannot read a project name from pypi_url 'https://pypi.org/simple/'"
    assert not result.retry and bad.repo_watchers == 401 and bad.last_fetched == NOW
    empty = package(slug="empty", repo_url="", pypi_url="")
    assert refresh_package(empty.id, now=NOW).ok
    empty.refresh_from_db()
    assert (empty.fetch_error, empty.fetch_error_count) == ("", 0)


def test_the_documentation_url_is_filled_only_when_the_editor_left_it_empty(rsps):
    answer(rsps, PYPI, pypi_answer("django") | {"releases": {}})
    kept = make_package(slug="a", pypi_url="django-minify-html", documentation_url="https://mine.example.org/")
    filled = make_package(slug="b", pypi_url="django-minify-html", documentation_url=None)
    for pkg in (kept, filled):
        refresh_package(pkg.id, now=NOW)
        pkg.refresh_from_db()
    assert kept.documentation_url == "https://mine.example.org/"
    assert filled.documentation_url == "https://docs.djangoproject.com/"


def test_versions_are_updated_not_duplicated(rsps):
    releases = {"1.0": [{"upload_time_iso_8601": "2024-01-01T00:00:00Z", "yanked": False}]}
    body = {"info": {"version": "1.0", "classifiers": []}, "releases": releases}
    answer(rsps, PYPI, body)
    pkg = make_package(pypi_url="django-minify-html")
    refresh_package(pkg.id, now=NOW)
    rsps.reset()
    releases["1.0"][0]["yanked"] = True
    releases["1.1"] = [{"upload_time_iso_8601": "2024-01-05T00:00:00Z", "yanked": False}]
    answer(rsps, PYPI, {"info": {"version": "1.1", "classifiers": []}, "releases": releases})
    result = refresh_package(pkg.id, now=NOW)
    pkg.refresh_from_db()
    assert {(v.number, v.yanked) for v in pkg.versions.all()} == {("1.0", True), ("1.1", False)}
    assert pkg.pypi_version == "1.1" and "versions" in result.changed and "latest_version" in result.changed


@pytest.mark.parametrize("stored_latest", [None, "0.9"], ids=["new package", "older latest version stored"])
def test_when_every_release_is_yanked_the_latest_version_is_pypis_choice(rsps, stored_latest):
    yanked = [{"upload_time_iso_8601": "2024-01-01T00:00:00Z", "yanked": True}]
    answer(rsps, PYPI, {"info": {"version": "1.1", "classifiers": []}, "releases": {"1.0": yanked, "1.1": yanked}})
    pkg = make_package(pypi_url="django-minify-html")
    if stored_latest:
        pkg.latest_version = Version.objects.create(package=pkg, number=stored_latest)
        pkg.save()
    refresh_package(pkg.id, now=NOW)
    pkg.refresh_from_db()
    assert pkg.pypi_version == "1.1" and pkg.latest_version.yanked


def test_a_text_too_long_for_its_column_is_skipped_not_cut(rsps):
    serve_github(rsps)
    serve_pypi(rsps)
    rsps.replace("GET", GITHUB_API, json={"full_name": "django/deps", "default_branch": "b" * 300, "stargazers_count": 7})
    answer(rsps, f"{GITHUB_API}/commits?sha={'b' * 300}&per_page=1", [])
    pkg = good_package()
    assert refresh_package(pkg.id, now=NOW).ok
    pkg.refresh_from_db()
    assert (pkg.repo_default_branch, pkg.repo_watchers) == ("main", 7)


def test_vulnerabilities_are_stored_and_kept_when_pypi_fails(rsps):
    vulnerability = {"id": "GHSA-x", "aliases": ["CVE-2024-2"], "summary": "bad", "fixed_in": ["1.0.1"], "link": "https://osv.dev/GHSA-x"}
    serve_github(rsps)
    serve_pypi(rsps, {**pypi_answer("django-minify-html"), "vulnerabilities": [vulnerability]})
    pkg = package()
    assert pkg.vulnerabilities is None  # never fetched
    refresh_package(pkg.id, now=NOW)
    pkg.refresh_from_db()
    assert pkg.vulnerabilities == [vulnerability]
    rsps.reset()
    serve_github(rsps)
    serve_pypi(rsps, status=503)
    refresh_package(pkg.id, now=NOW + timedelta(days=1))
    pkg.refresh_from_db()
    assert pkg.vulnerabilities == [vulnerability] and "PyPI" in pkg.fetch_error


def test_the_latest_release_time_follows_a_changed_upload_time(rsps):
    body = pypi_answer("django-minify-html")
    serve_github(rsps)
    serve_pypi(rsps, body)
    pkg = package()
    refresh_package(pkg.id, now=NOW)
    for file in body["releases"]["1.0.0"]:
        file["upload_time_iso_8601"] = "2021-12-01T00:00:00Z"
    rsps.reset()
    serve_github(rsps)
    serve_pypi(rsps, body)
    result = refresh_package(pkg.id, now=NOW)
    pkg.refresh_from_db()
    assert pkg.last_released == datetime(2021, 12, 1, tzinfo=UTC) and "last_released" in result.changed


FORGEJO_API = "https://codeberg.org/api/v1/repos/owner/repo"


@pytest.mark.parametrize("archived_at, expected", [("2023-05-06T07:08:09Z", datetime(2023, 5, 6, 7, 8, 9, tzinfo=UTC)), ("1970-01-01T00:00:00Z", NOW)])
def test_forgejos_archived_date_is_taken_else_the_first_time_seen(rsps, archived_at, expected):
    repo = {"full_name": "owner/repo", "archived": True, "archived_at": archived_at, "default_branch": "main", "empty": True}
    answer(rsps, FORGEJO_API, repo)
    pkg = make_package(repo_url="https://codeberg.org/owner/repo")
    refresh_package(pkg.id, now=NOW)
    refresh_package(pkg.id, now=NOW + timedelta(days=3))
    pkg.refresh_from_db()
    assert pkg.date_repo_archived == expected
    rsps.replace("GET", FORGEJO_API, json={**repo, "archived": False, "archived_at": "1970-01-01T00:00:00Z"})
    refresh_package(pkg.id, now=NOW + timedelta(days=4))
    pkg.refresh_from_db()
    assert pkg.date_repo_archived is None
