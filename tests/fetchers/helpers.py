"""Helpers of the fetcher tests: registering answers, recorded (``tests.upstream``) or not, with ``responses``."""
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import responses
from responses import matchers

from tests.factories import make_package  # noqa: F401  (the fetcher tests' packages, imported from here too)
from tests.upstream import interaction, pypi_answer  # noqa: F401  (pypi_answer: imported from here by the tests)

NOW = datetime(2024, 1, 13, 12, 0, tzinfo=UTC)  # a day after the recordings were made


def answer(rsps, url: str, body=None, status: int = 200, headers: dict | None = None, match=(), text: str | None = None):
    """Register a GET answer; the query string of ``url`` must match exactly (any order)."""
    parts = urlsplit(url)
    bare = parts._replace(query="").geturl()
    match = [matchers.query_param_matcher(dict(parse_qsl(parts.query))), *match]
    kwargs = {"body": text} if text is not None else {"json": body}
    return rsps.add(responses.GET, bare, status=status, headers=headers or {}, match=match, **kwargs)


def replay(rsps, name: str, index: int, url: str | None = None, **kwargs):
    """Register recorded interaction ``index`` of ``name`` at its URL (or at ``url``)."""
    recorded = interaction(name, index)
    headers = {k: v for k, v in recorded["headers"].items() if k.lower() != "content-type"}
    body = {"text": recorded["text"]} if recorded.get("text") is not None else {"body": recorded["json"]}
    return answer(rsps, url or recorded["url"], status=recorded["status"], headers=headers, **body, **kwargs)


GITHUB_API = "https://api.github.com/repos/django/deps"
WEEKS = [0] * 40 + [1, 0, 2, 0, 0, 3, 0, 0, 1, 0, 0, 4]
PARTICIPATION = {"all": WEEKS, "owner": [0] * 52}


def serve_github(rsps, participation=None, participation_status=200, contributors=None):
    """The four answers of one refresh of django/deps; each can be replaced."""
    replay(rsps, "github_fetch_metadata.json", 0)
    if contributors is None:
        replay(rsps, "github_fetch_metadata.json", 1)
    else:
        answer(rsps, f"{GITHUB_API}/contributors?per_page=100", **contributors)
    answer(rsps, f"{GITHUB_API}/stats/participation", participation if participation is not None else PARTICIPATION,
           status=participation_status, headers={"ETag": '"p1"'})
    newest = interaction("github_fetch_commits.json", 1)["json"][0]
    link = '<https://api.github.com/repositories/18764735/commits?sha=main&per_page=1&page=2>; rel="next", ' \
           '<https://api.github.com/repositories/18764735/commits?sha=main&per_page=1&page=251>; rel="last"'
    answer(rsps, f"{GITHUB_API}/commits?sha=main&per_page=1", [newest], headers={"ETag": '"c1"', "Link": link})
