"""The one HTTP setup every fetcher uses.

- one ``requests`` session per process with a User-Agent naming the project, connect and read
  timeouts, and urllib3 ``Retry`` for connection errors, read errors and 5xx answers;
- conditional GETs: the ETag / Last-Modified of each successful answer is stored per URL
  (``StoredResponse``) and sent back; a 304 is answered from the stored body;
- redirects are followed; the answer carries the final URL;
- rate limits (429, 403 with rate-limit headers or GitHub's "secondary rate limit") block the host for all workers (``ratelimit``),
  and every request spends from the host's configured budget (``budget``);
- a token is sent only to the origin of the API it belongs to.

``HttpClient`` counts the calls and 304s of one refresh.
"""
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from requests.utils import parse_header_links
from urllib3.util import Retry

from fetchers import budget, ratelimit
from fetchers.errors import BadResponse, FetchError, HttpError, NotFound
from fetchers.models import StoredResponse

USER_AGENT = "djpackages/0.1 (+https://github.com/djpackages/djpackages)"
RETRY = Retry(
    total=3,
    backoff_factor=0.5,
    status_forcelist=(500, 502, 503, 504),
    allowed_methods=frozenset({"GET"}),
    respect_retry_after_header=False,  # Retry-After is the rate limiter's business, not a reason to sleep here
    raise_on_status=False,
)
KEPT_HEADERS = ("Link", "X-Total-Count")  # what clients read besides the body, stored for 304s
MAX_PAGES = 50  # a bound on any paginated walk, against loops in Link headers

_session = None


def session() -> requests.Session:
    """The process-wide session (created on first use)."""
    global _session
    if _session is None:
        _session = requests.Session()
        _session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        adapter = HTTPAdapter(max_retries=RETRY)
        _session.mount("https://", adapter)
        _session.mount("http://", adapter)
    return _session


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


@dataclass(frozen=True)
class Api:
    """An API's base URL and the token that may be sent to it (``Authorization: <scheme> <token>``)."""

    base_url: str
    token: str = ""
    scheme: str = "Bearer"

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` below the base URL."""
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"

    def auth_headers(self, url: str) -> dict[str, str]:
        """The Authorization header for ``url``, only when it is on this API's own origin."""
        if self.token and _origin(url) == _origin(self.base_url):
            return {"Authorization": f"{self.scheme} {self.token}"}
        return {}


@dataclass
class JsonResponse:
    """A successful answer: ``data`` is the parsed JSON (None for 202 and 204).

    ``url`` is where redirects ended, ``redirected`` whether there were any, ``not_modified``
    whether it was rebuilt from the stored answer after a 304, ``headers`` the ``KEPT_HEADERS``.
    """

    status: int
    data: Any
    url: str
    redirected: bool = False
    not_modified: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def links(self) -> dict[str, str]:
        """The ``Link`` header as {rel: url}."""
        return {link["rel"]: link["url"] for link in parse_header_links(self.headers.get("Link", "")) if "rel" in link}


class HttpClient:
    """Makes the GETs of one refresh and counts them: ``calls`` sent, ``not_modified`` answered 304."""

    def __init__(self):
        self.calls = 0
        self.not_modified = 0

    def get_json(self, url: str, *, params: dict | None = None, api: Api | None = None) -> JsonResponse:
        """GET ``url`` conditionally and return its JSON.

        Raises ``NotFound`` (404/410), ``RateLimited`` (before sending when the host is blocked
        or its budget is spent, or when the answer is a rate limit), ``HttpError`` (other 4xx, 5xx after retries),
        ``BadResponse`` (body not JSON) and ``FetchError`` (timeout, connection error).
        """
        url = requests.Request("GET", url, params=params).prepare().url
        host = urlsplit(url).netloc.lower()
        was_limited = ratelimit.check(host)
        budget.spend(host)
        stored = StoredResponse.objects.filter(url=url).first()
        headers = api.auth_headers(url) if api else {}
        if stored and stored.etag:
            headers["If-None-Match"] = stored.etag
        if stored and stored.last_modified:
            headers["If-Modified-Since"] = stored.last_modified
        response = self._send(url, headers)
        if ratelimit.is_rate_limited(response.status_code, response.headers, response.content):
            raise ratelimit.block(host, response.headers)
        if was_limited:
            ratelimit.clear(host)
        if response.status_code == 304 and stored:
            self.not_modified += 1
            return JsonResponse(200, stored.json(), stored.final_url, bool(response.history), True, stored.headers)
        return self._read(url, response)

    def pages(
        self, url: str, *, params: dict | None = None, api: Api | None = None, next_url: Callable | None = None
    ) -> Iterator[JsonResponse]:
        """Yield the pages of a paginated list, following ``next_url(page)`` (default: the ``next`` Link)."""
        next_url = next_url or (lambda page: page.links.get("next"))
        for _ in range(MAX_PAGES):
            page = self.get_json(url, params=params, api=api)
            yield page
            url, params = next_url(page), None
            if not url:
                return

    def _send(self, url: str, headers: dict) -> requests.Response:
        timeout = (settings.FETCH_CONNECT_TIMEOUT, settings.FETCH_READ_TIMEOUT)
        self.calls += 1
        try:
            return session().get(url, headers=headers, timeout=timeout)
        except requests.Timeout as error:
            raise FetchError(f"timeout: GET {url}") from error
        except requests.RequestException as error:
            raise FetchError(f"connection error: GET {url}: {type(error).__name__}") from error

    @staticmethod
    def _read(url: str, response: requests.Response) -> JsonResponse:
        status = response.status_code
        if status in (404, 410):
            raise NotFound(f"HTTP {status} not found: GET {url}")
        if status >= 300:
            raise HttpError(f"HTTP {status}: GET {url}: {response.content[:200].decode(errors='replace')}", status)
        kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
        answer = JsonResponse(status, None, response.url, bool(response.history), headers=kept)
        if status in (202, 204):
            return answer
        try:
            answer.data = json.loads(response.content)
        except ValueError as error:
            raise BadResponse(f"malformed JSON: GET {url}: {error}") from error
        etag, last_modified = response.headers.get("ETag", ""), response.headers.get("Last-Modified", "")
        if etag or last_modified:
            StoredResponse.objects.update_or_create(
                url=url,
                defaults={
                    "final_url": response.url,
                    "etag": etag,
                    "last_modified": last_modified,
                    "headers": kept,
                    "body": StoredResponse.pack(response.content),
                },
            )
        return answer
