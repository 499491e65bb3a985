"""The one HTTP setup every fetcher uses.

- a User-Agent naming the project, connect and read timeouts (``FETCH_CONNECT_TIMEOUT``,
  ``FETCH_READ_TIMEOUT``, seconds, per attempt) and urllib3 ``Retry`` for connection errors,
  read errors and 5xx answers (``RETRY_OPTIONS``);
- timeouts are named as such ("read timeout: GET <url>", "connect timeout: GET <url>") also when
  they come, after urllib3's retries, wrapped in a ``MaxRetryError`` inside requests'
  ``ConnectionError``; other failures to get an answer are "connection error: GET <url>: <type>";
- bodies are read streamed, at most ``FETCH_MAX_BODY_BYTES`` (decoded): a larger one is refused
  (``TooLarge``, "body over 5 MiB: GET <url>"), unread when its Content-Length says so, else as
  soon as the bytes read pass the limit, before anything is parsed or stored;
- conditional GETs: the ETag / Last-Modified of each successful answer is stored per URL
  (``StoredResponse``, owned by the refreshed package) and sent back; a 304 is answered from the stored body;
- redirects are followed; the answer carries the final URL;
- rate limits (429, 403 with rate-limit headers or GitHub's "secondary rate limit") block the host for all workers (``ratelimit``),
  and every request spends from the host's configured budget (``budget``);
- a token is sent only to the origin of the API it belongs to.

An ``HttpClient`` makes the GETs of one refresh and counts them, within two budgets of that refresh:

- time: ``REFRESH_TIME_BUDGET_SECONDS`` from the client's creation (its deadline). No call is
  sent after it (``FetchError``, transient: "time budget of 60 s spent: GET <url>"); no attempt,
  retries included, connects or waits for an answer past it (``_DeadlineTimeout``); no retry is
  made whose back-off sleep would reach it; a body still arriving at the deadline is given up
  ("time budget of 60 s spent reading the body"), however slowly its bytes trickle in.
- retries: ``RETRIES`` in all, over every call of the refresh (urllib3 alone counts per call).

How: urllib3 ``Retry`` objects are immutable and each call starts again from the adapter's, and
requests has no per-request ``max_retries``. So each client has its own session and adapter, whose
Retry is a ``RefreshRetry`` carrying the client's ``Allowance`` (retries left, deadline): the one
mutable piece, shared by every Retry urllib3 derives from it during the client's calls; each retry
made spends one. The adapters keep no connection pools of their own: they all use the process's
urllib3 ``PoolManager`` (``_pools``), so keep-alive connections are reused across refreshes (and
by ``session()``, the v4 importer's, which retries per call and has no time budget).
"""
import functools
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies

import requests
import urllib3
from django.conf import settings
from requests.adapters import DEFAULT_POOLSIZE, HTTPAdapter
from requests.utils import parse_header_links
from urllib3 import PoolManager
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError, ReadTimeoutError
from urllib3.util import Retry, Timeout

from fetchers.http import budget, ratelimit
from fetchers.http.errors import BadResponse, FetchError, HttpError, NotFound, TooLarge
from fetchers.models import StoredResponse

USER_AGENT = "djpackages/0.1 (+https://github.com/djpackages/djpackages)"
RETRIES = 3  # urllib3 retries a refresh may make over all its calls (the importer: per call)
RETRY_OPTIONS = {
    "backoff_factor": 0.5,  # seconds: a call's 1st, 2nd, 3rd retry wait 0, 1, 2 s
    "status_forcelist": (500, 502, 503, 504),
    "allowed_methods": frozenset({"GET"}),
    "respect_retry_after_header": False,  # Retry-After is the rate limiter's business, not a reason to sleep here
    "raise_on_status": False,
}
KEPT_HEADERS = ("Link", "X-Total-Count")  # what clients read besides the body, stored for 304s
MAX_PAGES = 50  # a bound on any paginated walk, against loops in Link headers
CHUNK_BYTES = 64 * 1024  # how much of a body is read at a time
SHORTEST_TIMEOUT = 0.001  # seconds; urllib3 refuses 0, and an attempt begun this close to the deadline times out at once


@functools.cache
def _pools() -> PoolManager:
    """The process's connection pools, shared by every session."""
    return PoolManager(num_pools=DEFAULT_POOLSIZE, maxsize=settings.FETCH_POOL_SIZE)


class _PooledAdapter(HTTPAdapter):
    """requests' adapter, over the process's connection pools instead of pools of its own."""

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        self.poolmanager = _pools()


def _new_session(retry: Retry) -> requests.Session:
    new = requests.Session()
    # Proxies from the environment are honoured when set; otherwise requests is spared looking
    # them (and ~/.netrc) up again on every request, and the CA bundle variables it would read
    # then are read here once.
    new.trust_env = bool(getproxies())
    if not new.trust_env:
        new.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    new.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    adapter = _PooledAdapter(max_retries=retry)
    new.mount("https://", adapter)
    new.mount("http://", adapter)
    return new


@functools.cache
def session() -> requests.Session:
    """The process-wide session of the v4 importer (created on first use): ``RETRIES`` retries per call."""
    return _new_session(Retry(total=RETRIES, **RETRY_OPTIONS))


@dataclass
class Allowance:
    """What one refresh may still spend: ``retries`` (a count) until ``deadline`` (``time.monotonic()`` seconds)."""

    retries: int
    deadline: float

    def left(self) -> float:
        """Seconds until the deadline, negative once it is past."""
        return self.deadline - time.monotonic()


class RefreshRetry(Retry):
    """urllib3's ``Retry`` drawing on an ``Allowance`` shared by all the calls of one refresh.

    Every Retry urllib3 derives from it (``new``) carries the same allowance; each retry made spends
    one. urllib3 asks ``is_exhausted`` before each retry: true once none is left, or when the
    back-off sleep before the retry would reach the deadline. Create it with ``total=None``: the
    allowance does the counting.
    """

    def __init__(self, *args, allowance: Allowance, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowance = allowance

    def new(self, **kw) -> "RefreshRetry":
        """A copy with ``kw`` changed, on the same allowance (urllib3 makes one per retry)."""
        return super().new(allowance=self.allowance, **kw)

    def increment(self, *args, **kwargs) -> "RefreshRetry":
        """urllib3's ``increment`` (raises ``MaxRetryError`` when exhausted), spending one retry of the allowance."""
        retry = super().increment(*args, **kwargs)
        self.allowance.retries -= 1
        return retry

    def is_exhausted(self) -> bool:
        """Whether no retry may follow: none left, or its back-off would reach the deadline."""
        return self.allowance.retries <= 0 or self.get_backoff_time() >= self.allowance.left()


class _DeadlineTimeout(Timeout):
    """urllib3's ``Timeout`` (connect, read: seconds) whose ``total`` is the time left before ``deadline``.

    urllib3 clones the timeout for every attempt, retries included, so each attempt gets what is
    left then: no attempt connects or waits for an answer past the deadline.
    """

    def __init__(self, connect: float, read: float, deadline: float):
        super().__init__(connect=connect, read=read, total=max(deadline - time.monotonic(), SHORTEST_TIMEOUT))
        self.limits, self.deadline = (connect, read), deadline

    def clone(self) -> "_DeadlineTimeout":
        return _DeadlineTimeout(*self.limits, self.deadline)


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
    """Makes the GETs of one refresh and counts them: ``calls`` sent, ``not_modified`` answered 304.

    Its time budget, ``REFRESH_TIME_BUDGET_SECONDS`` (``time_budget``, seconds), runs from its
    creation; its ``RETRIES`` retries are for all its calls together (see the module docstring).
    With ``package_id``, the stored answers of that package are read in one query at the first
    call, the answers it stores are that package's, and ``urls`` collects every URL it asked for.
    """

    def __init__(self, package_id: int | None = None):
        self.calls = 0
        self.not_modified = 0
        self.package_id = package_id
        self.urls: set[str] = set()
        self._stored: dict[str, StoredResponse] | None = None
        self.time_budget = settings.REFRESH_TIME_BUDGET_SECONDS
        self._allowance = Allowance(RETRIES, time.monotonic() + self.time_budget)
        self._session = _new_session(RefreshRetry(total=None, allowance=self._allowance, **RETRY_OPTIONS))

    def get_json(self, url: str, *, params: dict | None = None, api: Api | None = None) -> JsonResponse:
        """GET ``url`` conditionally and return its JSON.

        Raises ``NotFound`` (404/410), ``RateLimited`` (before sending when the host is blocked
        or its budget is spent, or when the answer is a rate limit), ``HttpError`` (other 4xx, 5xx after retries),
        ``TooLarge`` (body over ``FETCH_MAX_BODY_BYTES``), ``BadResponse`` (body not JSON) and
        ``FetchError`` (the time budget spent, before sending; read or connect timeout; connection error).
        """
        url = requests.Request("GET", url, params=params).prepare().url
        if self._allowance.left() <= 0:
            raise FetchError(f"time budget of {self.time_budget:g} s spent: GET {url}")
        host = urlsplit(url).netloc.lower()
        was_limited = ratelimit.check(host)
        budget.spend(host)
        stored = self._stored_answer(url)
        headers = api.auth_headers(url) if api else {}
        if stored and stored.etag:
            headers["If-None-Match"] = stored.etag
        if stored and stored.last_modified:
            headers["If-Modified-Since"] = stored.last_modified
        response, body = self._send(url, headers)
        if ratelimit.is_rate_limited(response.status_code, response.headers, body):
            raise ratelimit.block(host, response.headers)
        if was_limited:
            ratelimit.clear(host)
        if response.status_code == 304 and stored:
            self.not_modified += 1
            return JsonResponse(200, stored.json(), stored.final_url, bool(response.history), True, stored.headers)
        return self._read(url, response, body, self.package_id)

    def _stored_answer(self, url: str) -> StoredResponse | None:
        """The stored answer to ``url``: from the package's rows (read once), else looked up by URL
        (a row another package stored, or one stored before rows had a package, which this package
        then takes)."""
        self.urls.add(url)
        if self.package_id is None:
            return StoredResponse.objects.filter(url=url).first()
        if self._stored is None:
            self._stored = {row.url: row for row in StoredResponse.objects.filter(package_id=self.package_id)}
        if url in self._stored:
            return self._stored[url]
        stored = StoredResponse.objects.filter(url=url).first()
        if stored and stored.package_id is None:
            StoredResponse.objects.filter(pk=stored.pk, package__isnull=True).update(package_id=self.package_id)
        return stored

    def forget_unasked(self) -> int:
        """Delete the package's stored answers to URLs this client did not ask for (its repository or
        PyPI URL changed); call it only after a refresh that made every call it needed. Returns how many."""
        unasked = set(self._stored or ()) - self.urls
        if not unasked:
            return 0
        return StoredResponse.objects.filter(package_id=self.package_id, url__in=unasked).delete()[0]

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

    def _send(self, url: str, headers: dict) -> tuple[requests.Response, bytes]:
        """The answer to a GET of ``url`` (closed) and its body, read whole (the connection goes back to the pool)."""
        timeout = _DeadlineTimeout(settings.FETCH_CONNECT_TIMEOUT, settings.FETCH_READ_TIMEOUT, self._allowance.deadline)
        self.calls += 1
        try:
            with self._session.get(url, headers=headers, timeout=timeout, stream=True) as response:
                return response, self._body(url, response)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as error:
            if kind := _timeout_kind(error):
                raise FetchError(f"{kind}: GET {url}") from error
            raise FetchError(f"connection error: GET {url}: {type(error).__name__}") from error

    def _body(self, url: str, response: requests.Response) -> bytes:
        """The body of a streamed ``response``, decoded; raises ``TooLarge`` past ``FETCH_MAX_BODY_BYTES``
        (unread when its Content-Length says so, else once the bytes read pass the limit) and the
        transient ``FetchError`` "time budget ... spent" when the bytes still come past the deadline
        (each read takes what has arrived, so a server trickling a body is stopped too)."""
        limit = settings.FETCH_MAX_BODY_BYTES
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise TooLarge(f"body over {_size(limit)}: GET {url}")
        body = bytearray()
        while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
            body += chunk
            if len(body) > limit:
                raise TooLarge(f"body over {_size(limit)}: GET {url}")
            if self._allowance.left() <= 0:
                raise FetchError(f"time budget of {self.time_budget:g} s spent reading the body: GET {url}")
        return bytes(body)

    @staticmethod
    def _read(url: str, response: requests.Response, body: bytes, package_id: int | None) -> JsonResponse:
        status = response.status_code
        if status in (404, 410):
            raise NotFound(f"HTTP {status} not found: GET {url}")
        if status >= 300:
            raise HttpError(f"HTTP {status}: GET {url}: {body[:200].decode(errors='replace')}", status)
        kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
        answer = JsonResponse(status, None, response.url, bool(response.history), headers=kept)
        if status in (202, 204):
            return answer
        try:
            answer.data = json.loads(body)
        except ValueError as error:
            raise BadResponse(f"malformed JSON: GET {url}: {error}") from error
        etag, last_modified = response.headers.get("ETag", ""), response.headers.get("Last-Modified", "")
        if etag or last_modified:
            StoredResponse.store(url, final_url=response.url, etag=etag, last_modified=last_modified, headers=kept,
                                 body=body, package_id=package_id)
        return answer


def _size(count: int) -> str:
    """``count`` bytes in the largest binary unit that divides it: "5 MiB", "64 KiB", "1000 bytes"."""
    for unit, factor in (("MiB", 2**20), ("KiB", 2**10)):
        if count and count % factor == 0:
            return f"{count // factor} {unit}"
    return f"{count} bytes"


def _timeout_kind(error: BaseException) -> str | None:
    """"read timeout" or "connect timeout" when ``error`` is or wraps one, else None.

    requests wraps urllib3's errors: a timeout that used up the retries is the ``reason`` of a
    ``MaxRetryError`` inside requests' ``ConnectTimeout`` or, for a read timeout, a plain
    ``ConnectionError``; a read timeout in a streamed body is a ``ConnectionError`` around it.
    A refused connection (``NewConnectionError``, a ``ConnectTimeoutError`` to urllib3) is no timeout.
    """
    pending = [error]
    while pending:
        cause = pending.pop()
        if isinstance(cause, (requests.ReadTimeout, ReadTimeoutError)):
            return "read timeout"
        if isinstance(cause, requests.ConnectTimeout) or (
            isinstance(cause, ConnectTimeoutError) and not isinstance(cause, NewConnectionError)
        ):
            return "connect timeout"
        pending += [arg for arg in cause.args if isinstance(arg, BaseException)]
        if isinstance(cause, MaxRetryError) and cause.reason:
            pending.append(cause.reason)
    return None
