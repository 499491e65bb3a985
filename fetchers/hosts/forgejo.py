"""Forgejo / Gitea API v1 client (Codeberg and self-hosted): repository facts of ``<host>/<owner>/<name>``.

codeberg.org is reached at ``settings.CODEBERG_API_URL`` with ``CODEBERG_TOKEN``; another host at
``https://<host>/api/v1`` without a token. Calls, 2 for a repository with up to 50 commits in the
last 52 weeks: ``/repos/{owner}/{name}`` (stars ← ``stars_count``, forks ← ``forks_count``,
description, archived, ``archived_at`` (Forgejo sends 1970-01-01 for a repository never archived,
which gives None), default branch, web URL ← ``html_url``) and
``/repos/{owner}/{name}/commits?sha=<branch>&limit=50`` (without stats, verification or file
lists) until a page reaches back past the 52-week window (``commit.committer.date`` →
``commits_over_52``, ``last_commit_date``; the ``X-Total-Count`` header of the first page →
``commit_count``; authors' ``author.login`` or ``commit.author.name`` → ``participants``, as the
API lists no contributors). The commits call fails alone (``facts.attempt``) and is not made for
a repository with ``empty: true`` (Forgejo answers 409 there).
"""
from datetime import UTC, datetime
from itertools import chain

from django.conf import settings

from fetchers.activity import summarize
from fetchers.facts import RepoFacts, attempt, flag, items, moment, obj, repository_facts, text
from fetchers.http.client import Api, HttpClient
from packages.repourl import KNOWN_HOSTS, RepoRef

PAGE_SIZE = 50  # Forgejo's default maximum page size
NEVER = datetime(1970, 1, 2, tzinfo=UTC)  # an archived_at before this is Forgejo's "not archived" (the Unix epoch)


def api(ref: RepoRef) -> Api:
    """The API of the Forgejo/Gitea instance holding ``ref``."""
    if KNOWN_HOSTS.get(ref.host) == "forgejo":
        return Api(settings.CODEBERG_API_URL, settings.CODEBERG_TOKEN, scheme="token")
    return Api(f"https://{ref.host}/api/v1")


def fetch(ref: RepoRef, client: HttpClient, now: datetime) -> RepoFacts:
    """Facts of the repository ``ref`` names.

    A failed ``/repos/{owner}/{name}`` raises the ``fetchers.http.errors`` of ``HttpClient.get_json``
    (``NotFound`` for a missing repository); a failed commits call is kept in ``failures`` under
    ``commits`` and leaves the commit facts and ``participants`` None.
    """
    forgejo = api(ref)
    repo = obj(client.get_json(forgejo.url(f"repos/{ref.path}"), api=forgejo).data, "a Forgejo repository")
    facts = repository_facts(repo, "stars_count")
    archived_at = moment(repo, "archived_at")
    facts.archived_at = archived_at if archived_at and archived_at >= NEVER else None
    if not flag(repo, "empty"):
        url = forgejo.url(f"repos/{text(repo, 'full_name') or ref.path}/commits")
        attempt(facts, "commits", lambda: _add_commits(facts, client, forgejo, url, now))
    return facts


def _add_commits(facts: RepoFacts, client: HttpClient, forgejo: Api, url: str, now: datetime) -> None:
    params = {"sha": facts.default_branch, "limit": PAGE_SIZE, "stat": "false", "verification": "false", "files": "false"}
    pages = client.pages(url, params=params, api=forgejo)
    first = next(pages)
    activity = summarize(map(_commits, chain([first], pages)), now)
    total = first.headers.get("X-Total-Count", "")
    facts.commits_over_52, facts.last_commit_date = activity.commits_over_52, activity.last_commit_date
    facts.participants, facts.commit_count = activity.participants, int(total) if total.isdigit() else None


def _commits(page) -> list:
    return [
        (moment(commit, "commit", "committer", "date"), text(commit, "author", "login") or text(commit, "commit", "author", "name"))
        for commit in items(page.data, "Forgejo commits")
    ]
