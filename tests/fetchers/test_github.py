"""GitHub client, on the recorded answers of django/deps and pydanny/dj-paginator."""
from datetime import UTC, datetime

import pytest
from responses import matchers

from fetchers.hosts import github
from fetchers.http.errors import BadResponse, HttpError, NotFound
from fetchers.http.client import HttpClient
from packages.repourl import parse_repo_url

from .helpers import GITHUB_API as API
from .helpers import NOW, PARTICIPATION, WEEKS, answer, interaction, replay, serve_github

pytestmark = pytest.mark.django_db
def fetch(url="https://github.com/django/deps"):
    client = HttpClient()
    return github.fetch(parse_repo_url(url), client, NOW), client


def test_it_reads_every_fact_of_the_repository(rsps):
    serve_github(rsps)
    facts, client = fetch()
    assert (facts.stars, facts.forks, facts.description) == (401, 85, "Django Enhancement Proposals")
    assert (facts.archived, facts.default_branch, facts.web_url) == (False, "main", "https://github.com/django/deps")
    assert len(facts.participants) == 31
    assert facts.participants[:4] == ["carljm", "jacobian", "aaugustin", "andrewgodwin"]
    assert facts.commits_over_52 == WEEKS
    assert facts.last_commit_date == datetime(2023, 12, 19, 21, 59, 33, tzinfo=UTC)
    assert facts.commit_count == 251
    assert not facts.retry
    assert client.calls == 4


def test_it_reads_an_archived_repository(rsps):
    replay(rsps, "github_fetch_metadata_archived_repo.json", 0)
    replay(rsps, "github_fetch_metadata_archived_repo.json", 1)
    api = "https://api.github.com/repos/pydanny/dj-paginator"
    answer(rsps, f"{api}/stats/participation", PARTICIPATION)
    answer(rsps, f"{api}/commits?sha=master&per_page=1", [{"commit": {"committer": {"date": "2016-11-07T08:42:39Z"}}}])
    facts, _ = fetch("https://github.com/pydanny/dj-paginator")
    assert (facts.archived, facts.stars, facts.forks) == (True, 36, 4)
    assert len(facts.participants) == 2
    assert facts.commit_count == 1  # one commit page without a Link header


def test_a_202_from_participation_keeps_the_weeks_unknown_and_asks_for_a_retry(rsps):
    serve_github(rsps, participation={}, participation_status=202)
    facts, _ = fetch()
    assert facts.commits_over_52 is None
    assert facts.retry
    assert facts.stars == 401


def test_a_participation_answer_of_the_wrong_shape_is_ignored(rsps):
    serve_github(rsps, participation={"all": [1, 2, 3]})
    assert fetch()[0].commits_over_52 is None


TOO_LARGE = "The history or contributor list is too large to list contributors for this repository via the API."


@pytest.mark.parametrize("message", [TOO_LARGE, TOO_LARGE.upper()], ids=["as GitHub writes it", "in another case"])
def test_a_too_large_contributor_list_leaves_participants_unknown(rsps, message):
    serve_github(rsps, contributors={"body": {"message": message}, "status": 403})
    facts, _ = fetch()
    assert facts.participants is None
    assert facts.stars == 401 and facts.commits_over_52 == WEEKS
    assert not facts.failures


def test_another_403_on_contributors_is_a_failure_of_that_call_only(rsps):
    serve_github(rsps, contributors={"body": {"message": "Resource not accessible"}, "status": 403})
    facts, _ = fetch()
    assert list(facts.failures) == ["contributors"] and isinstance(facts.failures["contributors"], HttpError)
    assert facts.participants is None
    assert (facts.stars, facts.commits_over_52, facts.commit_count) == (401, WEEKS, 251)


@pytest.mark.parametrize(
    "label, path, lost",
    [
        ("contributors", "contributors", ["participants"]),
        ("participation", "stats/participation", ["commits_over_52"]),
        ("commits", "commits", ["last_commit_date", "commit_count"]),
    ],
)
def test_a_5xx_on_a_later_call_loses_only_that_calls_facts(rsps, label, path, lost):
    serve_github(rsps)
    rsps.replace("GET", f"{API}/{path}", status=503, body="unavailable")
    facts, _ = fetch()
    assert list(facts.failures) == [label] and "HTTP 503" in str(facts.failures[label])
    assert all(getattr(facts, name) is None for name in lost)
    kept = {"participants", "commits_over_52", "last_commit_date", "commit_count"} - set(lost)
    assert all(getattr(facts, name) is not None for name in kept)
    assert (facts.stars, facts.forks, facts.description) == (401, 85, "Django Enhancement Proposals")


def test_a_malformed_commit_list_is_a_failure_of_that_call_only(rsps):
    serve_github(rsps)
    rsps.replace("GET", f"{API}/commits", json={"not": "a list"})
    facts, _ = fetch()
    assert list(facts.failures) == ["commits"] and isinstance(facts.failures["commits"], BadResponse)
    assert facts.stars == 401 and facts.commits_over_52 == WEEKS


def test_contributors_are_read_from_every_page_without_repeats(rsps):
    replay(rsps, "github_fetch_metadata.json", 0)
    page2 = "https://api.github.com/repositories/18764735/contributors?per_page=100&page=2"
    answer(rsps, f"{API}/contributors?per_page=100", [{"login": "a", "contributions": 9}, {"login": "b", "contributions": 5}],
           headers={"Link": f'<{page2}>; rel="next"'})
    answer(rsps, page2, [{"login": "a", "contributions": 1}, {"login": "", "contributions": 1}, {"login": None}, {"login": "c", "contributions": 2}])
    answer(rsps, f"{API}/stats/participation", PARTICIPATION)
    answer(rsps, f"{API}/commits?sha=main&per_page=1", [])
    facts, _ = fetch()
    assert facts.participants == ["a", "b", "c"]
    assert facts.last_commit_date is None and facts.commit_count is None


def test_an_empty_repository_has_no_commit_facts(rsps):
    serve_github(rsps, contributors={"body": None, "status": 204})
    rsps.replace("GET", f"{API}/commits", json={"message": "Git Repository is empty."}, status=409)
    facts, _ = fetch()
    assert (facts.participants, facts.last_commit_date, facts.commit_count) == (None, None, None)
    assert not facts.failures


def test_a_missing_repository_is_not_found(rsps):
    replay(rsps, "github_fetch_metadata_unsupported_repo.json", 0)
    with pytest.raises(NotFound):
        fetch("https://github.com/djangopackages/does-not-exist")


def test_nulls_and_missing_keys_are_unknown_facts(rsps):
    answer(rsps, API, {"full_name": "django/deps", "description": None, "stargazers_count": None, "archived": None})
    answer(rsps, f"{API}/contributors?per_page=100", [])
    answer(rsps, f"{API}/stats/participation", {"all": None})
    answer(rsps, f"{API}/commits?per_page=1", [{"commit": None}])
    facts, _ = fetch()
    assert (facts.description, facts.stars, facts.forks, facts.archived, facts.default_branch) == (None,) * 5
    assert (facts.participants, facts.commits_over_52, facts.last_commit_date) == (None, None, None)


def test_a_renamed_repository_is_followed_and_later_calls_use_its_new_name(rsps):
    answer(rsps, "https://api.github.com/repos/django/old-deps", status=301, headers={"Location": "https://api.github.com/repositories/18764735"})
    metadata = interaction("github_fetch_metadata.json", 0)
    answer(rsps, "https://api.github.com/repositories/18764735", metadata["json"])
    serve_github(rsps)
    facts, _ = fetch("https://github.com/django/old-deps")
    assert facts.web_url == "https://github.com/django/deps"
    assert facts.stars == 401


def test_the_token_is_sent_to_the_github_api(rsps, settings):
    settings.GITHUB_TOKEN = "ghp_x"
    answer(rsps, API, status=404, match=[matchers.header_matcher({"Authorization": "Bearer ghp_x"})])
    with pytest.raises(NotFound):
        fetch()


def test_the_base_url_is_a_setting(rsps, settings):
    settings.GITHUB_API_URL = "https://ghe.example.org/api/v3"
    answer(rsps, "https://ghe.example.org/api/v3/repos/django/deps", {"message": "Not Found"}, status=404)
    with pytest.raises(NotFound):
        fetch()
