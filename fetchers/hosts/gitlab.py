"""GitLab API v4 client (gitlab.com and self-hosted): repository facts of ``<host>/<group>/…/<project>``.

gitlab.com is reached at ``settings.GITLAB_API_URL`` with ``GITLAB_TOKEN``; another host at
``https://<host>/api/v4`` without a token. Calls, 3 for a project with up to 100 commits in the
last 52 weeks: ``/projects/<URL-encoded path>`` (stars ← ``star_count``, forks ←
``forks_count``, description, archived, default branch, web URL ← ``web_url``),
``/projects/<id>/repository/contributors`` (every page; ``name``s, entries of the same name
merged, most ``commits`` first) and ``/projects/<id>/repository/commits`` on the default branch,
100 a page, until a page reaches back past the 52-week window (``committed_date`` →
``commits_over_52`` and ``last_commit_date``). GitLab gives no commit count without
reporter access, so ``commit_count`` stays None. Each call after the first fails alone
(``facts.attempt``); for a project with ``empty_repo: true`` only the first is made.
"""
from datetime import datetime
from urllib.parse import quote

from django.conf import settings

from fetchers.activity import CommitSummary, summarize
from fetchers.facts import RepoFacts, attempt, count, flag, items, moment, obj, ranked_entries, repository_facts, text
from fetchers.http.client import Api, HttpClient
from packages.repourl import KNOWN_HOSTS, RepoRef


def api(ref: RepoRef) -> Api:
    """The API of the GitLab instance holding ``ref``."""
    if KNOWN_HOSTS.get(ref.host) == "gitlab":
        return Api(settings.GITLAB_API_URL, settings.GITLAB_TOKEN)
    return Api(f"https://{ref.host}/api/v4")


def fetch(ref: RepoRef, client: HttpClient, now: datetime) -> RepoFacts:
    """Facts of the project ``ref`` names.

    A failed ``/projects/<path>`` raises the ``fetchers.http.errors`` of ``HttpClient.get_json``
    (``NotFound`` for a missing project); a failed later call is kept in ``failures`` under
    ``contributors`` (GitLab answers 404 there when it cannot list them) or ``commits`` and
    leaves its facts None.
    """
    gitlab = api(ref)
    project = obj(client.get_json(gitlab.url(f"projects/{quote(ref.path, safe='')}"), api=gitlab).data, "a GitLab project")
    facts = repository_facts(project, "star_count", "web_url")
    if flag(project, "empty_repo"):
        return facts
    repository = gitlab.url(f"projects/{count(project, 'id') or quote(ref.path, safe='')}/repository")
    facts.participants = attempt(facts, "contributors", lambda: _contributors(client, gitlab, repository))
    if activity := attempt(facts, "commits", lambda: _activity(client, gitlab, repository, facts.default_branch, now)):
        facts.commits_over_52, facts.last_commit_date = activity.commits_over_52, activity.last_commit_date
    return facts


def _contributors(client: HttpClient, gitlab: Api, repository: str) -> list[str] | None:
    params = {"order_by": "commits", "sort": "desc", "per_page": 100}
    return ranked_entries(client.pages(f"{repository}/contributors", params=params, api=gitlab), "name", "commits", "GitLab contributors")


def _activity(client: HttpClient, gitlab: Api, repository: str, branch: str | None, now: datetime) -> CommitSummary:
    pages = client.pages(f"{repository}/commits", params={"ref_name": branch, "per_page": 100}, api=gitlab)
    return summarize(map(_commits, pages), now)


def _commits(page) -> list:
    return [(moment(commit, "committed_date"), text(commit, "author_name")) for commit in items(page.data, "GitLab commits")]
