"""GitHub REST API client: repository facts of ``github.com/<owner>/<name>``.

Calls (``settings.GITHUB_API_URL``, token ``GITHUB_TOKEN``), 4 on a small repository:
``/repos/{owner}/{name}`` (stars ← ``stargazers_count``, forks ← ``forks_count``,
description, archived, default branch, web URL ← ``html_url``), ``/contributors`` (every page;
``login`` in GitHub's order, most contributions first), ``/stats/participation`` (``all`` →
``commits_over_52``) and ``/commits?sha=<default branch>&per_page=1`` (newest commit's
committer date → ``last_commit_date``; the ``last`` page number of that one-per-page list →
``commit_count``). Calls after the first use the repository's current ``full_name``, so a
renamed repository costs one redirect only; each of them fails alone (``facts.attempt``).
"""
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

from fetchers.activity import WEEKS
from fetchers.http.errors import HttpError
from fetchers.facts import RepoFacts, attempt, count, dig, items, moment, obj, ranked_entries, repository_facts, text
from fetchers.http.client import Api, HttpClient
from packages.repourl import RepoRef

TOO_LARGE = "too large"  # in GitHub's 403 for contributor lists it will not compute, in any case


def api(ref: RepoRef) -> Api:
    """The configured GitHub API."""
    return Api(settings.GITHUB_API_URL, settings.GITHUB_TOKEN)


def fetch(ref: RepoRef, client: HttpClient, now: datetime) -> RepoFacts:
    """Facts of the repository ``ref`` names.

    A failed ``/repos/{owner}/{name}`` raises the ``fetchers.http.errors`` of ``HttpClient.get_json``
    (``NotFound`` for a missing repository). A failed later call is kept in ``failures`` under
    ``contributors``, ``participation`` or ``commits`` and leaves its facts None. Not failures: a
    202 from ``stats/participation`` (GitHub still computing) leaves ``commits_over_52`` None and
    sets ``retry``; a 403 "too large" on contributors leaves ``participants`` None; an empty
    repository (409 on commits, 204 on contributors) leaves the commit facts None.
    """
    github = api(ref)
    repo = obj(client.get_json(github.url(f"repos/{ref.path}"), api=github).data, "a GitHub repository")
    full_name = text(repo, "full_name") or ref.path
    facts = repository_facts(repo, "stargazers_count")
    facts.participants = attempt(facts, "contributors", lambda: _contributors(client, github, full_name))
    attempt(facts, "participation", lambda: _add_participation(facts, client, github, full_name))
    attempt(facts, "commits", lambda: _add_latest_commit(facts, client, github, full_name))
    return facts


def _contributors(client: HttpClient, github: Api, full_name: str) -> list[str] | None:
    pages = client.pages(github.url(f"repos/{full_name}/contributors"), params={"per_page": 100}, api=github)
    try:
        return ranked_entries(pages, "login", "contributions", "GitHub contributors")
    except HttpError as error:
        if error.status == 403 and TOO_LARGE in str(error).lower():
            return None
        raise


def _add_participation(facts: RepoFacts, client: HttpClient, github: Api, full_name: str) -> None:
    participation = client.get_json(github.url(f"repos/{full_name}/stats/participation"), api=github)
    if participation.status == 202:
        facts.retry = True
        return
    weeks = dig(participation.data, "all")
    if isinstance(weeks, list) and len(weeks) == WEEKS and all(count(weeks, i) is not None for i in range(WEEKS)):
        facts.commits_over_52 = weeks


def _add_latest_commit(facts: RepoFacts, client: HttpClient, github: Api, full_name: str) -> None:
    params = {"sha": facts.default_branch, "per_page": 1}
    try:
        page = client.get_json(github.url(f"repos/{full_name}/commits"), params=params, api=github)
    except HttpError as error:
        if error.status == 409:  # "Git Repository is empty."
            return
        raise
    commits = items(page.data, "GitHub commits")
    if not commits:
        return
    facts.last_commit_date = moment(commits[0], "commit", "committer", "date")
    last = page.links.get("last")
    facts.commit_count = _page_number(last) if last else len(commits)


def _page_number(url: str) -> int | None:
    number = text(parse_qs(urlsplit(url).query), "page", 0) or ""
    return int(number) if number.isdigit() else None
