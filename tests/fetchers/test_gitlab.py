"""GitLab client, on the recorded answers of a project in a nested group and an archived project."""
from datetime import UTC, datetime

import pytest

from fetchers.hosts import gitlab
from fetchers.http.errors import NotFound
from fetchers.http.client import HttpClient
from packages.repourl import parse_repo_url

from .helpers import NOW, answer, interaction, replay

pytestmark = pytest.mark.django_db
PROJECT = "https://gitlab.com/api/v4/projects/lansharkconsulting%2Fdjango%2Fdjango-encrypted-model-fields"
REPOSITORY = "https://gitlab.com/api/v4/projects/6812925/repository"
FIRST_COMMITS = f"{REPOSITORY}/commits?ref_name=develop&per_page=100"


def serve_gitlab(rsps):
    replay(rsps, "gitlab_fetch_metadata.json", 0, url=PROJECT)
    replay(rsps, "gitlab_fetch_metadata.json", 1, url=f"{REPOSITORY}/contributors?order_by=commits&sort=desc&per_page=100")
    replay(rsps, "gitlab_fetch_commits.json", 1, url=FIRST_COMMITS)
    for index in range(2, 6):
        replay(rsps, "gitlab_fetch_commits.json", index)


def fetch(url="https://gitlab.com/lansharkconsulting/django/django-encrypted-model-fields", now=NOW, repo_host=""):
    client = HttpClient()
    return gitlab.fetch(parse_repo_url(url, repo_host), client, now), client


def test_it_reads_a_project_in_a_nested_group(rsps):
    serve_gitlab(rsps)
    facts, client = fetch()
    assert (facts.stars, facts.forks, facts.archived, facts.default_branch) == (33, 25, False, "develop")
    assert facts.description.startswith("A set of fields that wrap standard Django fields with encryption")
    assert facts.web_url == "https://gitlab.com/lansharkconsulting/django/django-encrypted-model-fields"
    assert facts.participants[:3] == ["Scott Sharkey", "Dana Spiegel", "ghalebkhaled"]  # Dana's two entries merged: 16
    assert len(facts.participants) == 14
    assert facts.last_commit_date == datetime(2022, 7, 12, 13, 28, 12, tzinfo=UTC)
    assert facts.commits_over_52 == [0] * 52  # nothing in the year before January 2024
    assert facts.commit_count is None
    assert client.calls == 3  # the first commit page already reaches back past the window


def test_it_walks_commit_pages_until_the_window_is_passed(rsps):
    serve_gitlab(rsps)
    facts, client = fetch(now=datetime(2022, 8, 1, tzinfo=UTC))
    assert client.calls == 4  # project, contributors, 2 commit pages
    assert facts.commits_over_52[51 - 3] == 1  # 12 July 2022, three weeks before
    assert sum(facts.commits_over_52) == 20  # the first page, 24 August 2021 to 12 July 2022
    assert facts.commits_over_52[51 - 49] == 11  # the week of 23 August 2021


def test_it_reads_an_archived_project(rsps):
    replay(rsps, "gitlab_fetch_metadata_archived_repo.json", 0, url="https://gitlab.com/api/v4/projects/jeff.triplett%2Fdjango-metadata")
    replay(rsps, "gitlab_fetch_metadata_archived_repo.json", 1, url="https://gitlab.com/api/v4/projects/46520/repository/contributors?order_by=commits&sort=desc&per_page=100")
    answer(rsps, "https://gitlab.com/api/v4/projects/46520/repository/commits?ref_name=master&per_page=100", [])
    facts, _ = fetch("https://gitlab.com/jeff.triplett/django-metadata")
    assert (facts.archived, facts.stars, facts.forks) == (True, 0, 0)
    assert facts.participants == ["Rafael Sierra", "Jeff Triplett", "Israel Fruchter", "fruch"]  # Rafael: 5 + 6


def test_a_missing_project_is_not_found(rsps):
    replay(rsps, "gitlab_fetch_metadata_unsupported_repo.json", 0, url="https://gitlab.com/api/v4/projects/jeff.triplett%2Fdoes-not-exist")
    with pytest.raises(NotFound):
        fetch("https://gitlab.com/jeff.triplett/does-not-exist")


def test_a_self_hosted_subgroup_project_uses_its_own_api_without_the_token(rsps, settings):
    settings.GITLAB_TOKEN = "glpat-secret"
    api = "https://git.example.org/api/v4"
    answer(rsps, f"{api}/projects/a%2Fb%2Fc", {"id": 7, "star_count": 2, "forks_count": 1, "archived": False, "default_branch": "main",
                                               "description": "", "web_url": "https://git.example.org/a/b/c"})
    answer(rsps, f"{api}/projects/7/repository/contributors?order_by=commits&sort=desc&per_page=100", [{"name": "Ann", "commits": 3}])
    answer(rsps, f"{api}/projects/7/repository/commits?ref_name=main&per_page=100",
           [{"committed_date": "2024-01-12T10:00:00.000+01:00", "author_name": "Ann"}])
    facts, _ = fetch("https://git.example.org/a/b/c/-/tree/main", repo_host="gitlab")
    assert (facts.stars, facts.forks, facts.participants, facts.description) == (2, 1, ["Ann"], "")
    assert facts.commits_over_52[51] == 1
    assert all("Authorization" not in call.request.headers for call in rsps.calls)


def test_a_404_on_contributors_of_an_existing_project_loses_only_the_participants(rsps):
    serve_gitlab(rsps)
    rsps.replace("GET", f"{REPOSITORY}/contributors", status=404, json={"message": "404 Not Found"})
    facts, _ = fetch()
    assert list(facts.failures) == ["contributors"] and isinstance(facts.failures["contributors"], NotFound)
    assert facts.participants is None
    assert (facts.stars, facts.forks, facts.default_branch) == (33, 25, "develop")
    assert facts.description.startswith("A set of fields")
    assert facts.last_commit_date == datetime(2022, 7, 12, 13, 28, 12, tzinfo=UTC)


def test_a_5xx_on_commits_loses_only_the_commit_facts(rsps):
    serve_gitlab(rsps)
    rsps.replace("GET", f"{REPOSITORY}/commits", status=502, body="bad gateway")
    facts, _ = fetch()
    assert list(facts.failures) == ["commits"] and "HTTP 502" in str(facts.failures["commits"])
    assert (facts.commits_over_52, facts.last_commit_date) == (None, None)
    assert (facts.stars, len(facts.participants)) == (33, 14)


def test_an_empty_project_is_read_with_one_call(rsps):
    project = interaction("gitlab_fetch_metadata.json", 0)["json"] | {"empty_repo": True, "default_branch": None}
    answer(rsps, PROJECT, project)
    facts, client = fetch()
    assert client.calls == 1 and not facts.failures
    assert (facts.stars, facts.forks, facts.participants, facts.last_commit_date) == (33, 25, None, None)
