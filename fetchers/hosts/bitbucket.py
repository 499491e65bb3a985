"""Bitbucket Cloud API 2.0 client: repository facts of ``bitbucket.org/<workspace>/<slug>``.

Calls (``settings.BITBUCKET_API_URL``, token ``BITBUCKET_TOKEN``), 4 for a repository with up
to 100 commits in the last 52 weeks: ``/repositories/{full_name}`` (description, default
branch ← ``mainbranch.name``, web URL ← ``links.html.href``, owner), ``/forks?pagelen=1`` and
``/watchers?pagelen=1`` (forks and stars ← the paginated ``size`` total, not one page's
length), and ``/commits/{branch}?pagelen=100`` until a page reaches back past the 52-week window
(``date`` → ``commits_over_52``, ``last_commit_date``; authors' ``user.nickname`` or raw
name → ``participants``, else the owner). Bitbucket has no archived flag and no commit count.
Each call after the first fails alone (``facts.attempt``).
"""
from datetime import datetime
from urllib.parse import quote

from django.conf import settings

from fetchers.activity import CommitSummary, summarize
from fetchers.facts import RepoFacts, attempt, count, description, items, moment, obj, text
from fetchers.http.client import Api, HttpClient
from packages.repourl import RepoRef


def api(ref: RepoRef) -> Api:
    """The configured Bitbucket API."""
    return Api(settings.BITBUCKET_API_URL, settings.BITBUCKET_TOKEN)


def fetch(ref: RepoRef, client: HttpClient, now: datetime) -> RepoFacts:
    """Facts of the repository ``ref`` names.

    A failed ``/repositories/{full_name}`` raises the ``fetchers.http.errors`` of
    ``HttpClient.get_json`` (``NotFound`` for a missing repository); a failed later call is kept
    in ``failures`` under ``watchers``, ``forks`` or ``commits`` and leaves its facts None.
    """
    bitbucket = api(ref)
    repo = obj(client.get_json(bitbucket.url(f"repositories/{ref.path}"), api=bitbucket).data, "a Bitbucket repository")
    repo_url = bitbucket.url(f"repositories/{text(repo, 'full_name') or ref.path}")
    branch = text(repo, "mainbranch", "name")
    facts = RepoFacts(web_url=text(repo, "links", "html", "href"), description=description(repo), default_branch=branch)
    commits_url = f"{repo_url}/commits/{quote(branch, safe='')}" if branch else f"{repo_url}/commits"
    if activity := attempt(facts, "commits", lambda: _activity(client, bitbucket, commits_url, now)):
        owner = text(repo, "owner", "nickname") or text(repo, "owner", "display_name")
        facts.participants = activity.participants or ([owner] if owner else None)
        facts.commits_over_52, facts.last_commit_date = activity.commits_over_52, activity.last_commit_date
    facts.stars = attempt(facts, "watchers", lambda: _total(client, bitbucket, f"{repo_url}/watchers"))
    facts.forks = attempt(facts, "forks", lambda: _total(client, bitbucket, f"{repo_url}/forks"))
    return facts


def _activity(client: HttpClient, bitbucket: Api, url: str, now: datetime) -> CommitSummary:
    pages = client.pages(url, params={"pagelen": 100}, api=bitbucket, next_url=lambda page: text(page.data, "next"))
    return summarize(map(_commits, pages), now)


def _total(client: HttpClient, bitbucket: Api, url: str) -> int | None:
    return count(client.get_json(url, params={"pagelen": 1}, api=bitbucket).data, "size")


def _commits(page) -> list:
    values = items(obj(page.data, "Bitbucket commits").get("values"), "Bitbucket commits")
    return [(moment(commit, "date"), _author(commit)) for commit in values]


def _author(commit: dict) -> str | None:
    raw = text(commit, "author", "raw") or ""
    return text(commit, "author", "user", "nickname") or raw.split("<")[0].strip() or None
