"""GitLab API v4 client (gitlab.com and self-hosted): repository facts of ``<host>/<group>/…/<project>``.

gitlab.com is reached at ``settings.GITLAB_API_URL`` with ``GITLAB_TOKEN``; another host at
``https://<host>/api/v4`` without a token. Calls, 3 for a project with up to 100 commits in the
last 52 weeks: ``/projects/<URL-encoded path>`` (stars ← ``star_count``, forks ←
``forks_count``, description, archived, default branch, web URL ← ``web_url``),
``/projects/<id>/repository/contributors`` (every page; ``name``s, entries of the same name
merged, most ``commits`` first) and ``/projects/<id>/repository/commits`` on the default branch,
100 a page, until a page reaches back past the 52-week window (``committed_date`` →
``commits_over_52`` and ``last_commit_date``). GitLab gives no commit count without
reporter access, so ``commit_count`` stays None.
"""
from dataclasses import asdict
from datetime import datetime
from urllib.parse import quote

from django.conf import settings

from fetchers.activity import summarize
from fetchers.facts import RepoFacts, count, items, moment, obj, ranked_entries, repository_facts, text
from fetchers.http import Api, HttpClient
from fetchers.repourl import KNOWN_HOSTS, RepoRef


def api(ref: RepoRef) -> Api:
    """The API of the GitLab instance holding ``ref``."""
    if KNOWN_HOSTS.get(ref.host) == "gitlab":
        return Api(settings.GITLAB_API_URL, settings.GITLAB_TOKEN)
    return Api(f"https://{ref.host}/api/v4")


def fetch(ref: RepoRef, client: HttpClient, now: datetime) -> RepoFacts:
    """Facts of the project ``ref`` names; raises the ``fetchers.errors`` of ``HttpClient.get_json``."""
    gitlab = api(ref)
    project = obj(client.get_json(gitlab.url(f"projects/{quote(ref.path, safe='')}"), api=gitlab).data, "a GitLab project")
    project_url = gitlab.url(f"projects/{count(project, 'id') or quote(ref.path, safe='')}/repository")
    branch = text(project, "default_branch")
    contributors = client.pages(
        f"{project_url}/contributors", params={"order_by": "commits", "sort": "desc", "per_page": 100}, api=gitlab
    )
    participants = ranked_entries(contributors, "name", "commits", "GitLab contributors")
    pages = client.pages(f"{project_url}/commits", params={"ref_name": branch, "per_page": 100}, api=gitlab)
    activity = summarize(map(_commits, pages), now)
    return repository_facts(project, "star_count", "web_url", **{**asdict(activity), "participants": participants})


def _commits(page) -> list:
    return [(moment(commit, "committed_date"), text(commit, "author_name")) for commit in items(page.data, "GitLab commits")]
