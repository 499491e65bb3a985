"""Forgejo / Gitea client (Codeberg and self-hosted), on answers written after the API documentation."""
from datetime import UTC, datetime

import pytest
from responses import matchers

from fetchers.hosts import forgejo
from fetchers.http.client import HttpClient
from packages.repourl import parse_repo_url

from .helpers import NOW, answer

pytestmark = pytest.mark.django_db
API = "https://codeberg.org/api/v1/repos/forgejo-contrib/django-forgejo"
REPOSITORY = {
    "id": 123,
    "full_name": "forgejo-contrib/django-forgejo",
    "html_url": "https://codeberg.org/forgejo-contrib/django-forgejo",
    "description": "Django helpers for Forgejo",
    "stars_count": 12,
    "watchers_count": 3,
    "forks_count": 4,
    "archived": False,
    "default_branch": "main",
}
COMMITS_QUERY = "sha=main&limit=50&stat=false&verification=false&files=false"


def commit(date, login=None, name="Someone"):
    return {"sha": "0" * 40, "author": {"login": login} if login else None,
            "commit": {"author": {"name": name}, "committer": {"date": date}}}


def test_it_reads_a_codeberg_repository(rsps, settings):
    settings.CODEBERG_TOKEN = "cb"
    answer(rsps, API, REPOSITORY, match=[matchers.header_matcher({"Authorization": "token cb"})])
    page2 = f"{API}/commits?{COMMITS_QUERY}&page=2"
    answer(rsps, f"{API}/commits?{COMMITS_QUERY}",
           [commit("2024-01-12T09:00:00+01:00", "ann"), commit("2024-01-02T09:00:00Z", "bob"), commit("2023-06-01T00:00:00Z", None, "Ann")],
           headers={"X-Total-Count": "230", "Link": f'<{page2}>; rel="next"'})
    answer(rsps, page2, [commit("2022-12-01T00:00:00Z", "ann")])
    client = HttpClient()
    facts = forgejo.fetch(parse_repo_url("https://codeberg.org/forgejo-contrib/django-forgejo"), client, NOW)
    assert (facts.stars, facts.forks, facts.archived, facts.default_branch) == (12, 4, False, "main")
    assert (facts.description, facts.web_url) == ("Django helpers for Forgejo", "https://codeberg.org/forgejo-contrib/django-forgejo")
    assert facts.commit_count == 230
    assert facts.last_commit_date == datetime(2024, 1, 12, 8, 0, tzinfo=UTC)
    assert facts.commits_over_52[51] == 1 and facts.commits_over_52[50] == 1 and sum(facts.commits_over_52) == 3
    assert facts.participants == ["ann", "bob", "Ann"]
    assert client.calls == 3


def test_a_self_hosted_gitea_is_reached_at_its_own_api(rsps):
    api = "https://git.example.org/api/v1/repos/owner/repo"
    answer(rsps, api, {**REPOSITORY, "full_name": "owner/repo", "archived": True, "stars_count": None})
    answer(rsps, f"{api}/commits?{COMMITS_QUERY}", [])
    facts = forgejo.fetch(parse_repo_url("https://git.example.org/owner/repo", "forgejo"), HttpClient(), NOW)
    assert (facts.archived, facts.stars, facts.commit_count, facts.last_commit_date) == (True, None, None, None)


def test_an_empty_repository_is_read_without_asking_for_its_commits(rsps):
    answer(rsps, API, {**REPOSITORY, "empty": True})
    answer(rsps, f"{API}/commits?{COMMITS_QUERY}", {"message": "Git Repository is empty."}, status=409)
    client = HttpClient()
    facts = forgejo.fetch(parse_repo_url("https://codeberg.org/forgejo-contrib/django-forgejo"), client, NOW)
    assert client.calls == 1 and not facts.failures
    assert (facts.stars, facts.forks, facts.description) == (12, 4, "Django helpers for Forgejo")
    assert (facts.commits_over_52, facts.commit_count, facts.participants) == (None, None, None)


def test_a_5xx_on_commits_loses_only_the_commit_facts(rsps):
    answer(rsps, API, REPOSITORY)
    answer(rsps, f"{API}/commits?{COMMITS_QUERY}", status=500, text="oops")
    facts = forgejo.fetch(parse_repo_url("https://codeberg.org/forgejo-contrib/django-forgejo"), HttpClient(), NOW)
    assert list(facts.failures) == ["commits"] and "HTTP 500" in str(facts.failures["commits"])
    assert (facts.commits_over_52, facts.commit_count, facts.participants, facts.last_commit_date) == (None,) * 4
    assert (facts.stars, facts.forks, facts.archived) == (12, 4, False)


@pytest.mark.parametrize(
    "archived, archived_at, expected",
    [
        (True, "2024-01-05T10:00:00+01:00", datetime(2024, 1, 5, 9, 0, tzinfo=UTC)),
        (False, "1970-01-01T00:00:00Z", None),  # Forgejo's "never archived"
        (True, "1970-01-01T01:00:00+01:00", None),  # the same instant in another zone
        (True, None, None),  # an older Gitea without the field
    ],
)
def test_the_archived_date_comes_from_the_repository_object(rsps, archived, archived_at, expected):
    answer(rsps, API, {**REPOSITORY, "archived": archived, "archived_at": archived_at})
    answer(rsps, f"{API}/commits?{COMMITS_QUERY}", [])
    facts = forgejo.fetch(parse_repo_url("https://codeberg.org/forgejo-contrib/django-forgejo"), HttpClient(), NOW)
    assert (facts.archived, facts.archived_at) == (archived, expected)
