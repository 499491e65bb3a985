"""What a refresh may spend and accept: its time budget, its retries, body sizes, description lengths.

The timing tests run against real local servers: one that accepts connections and never answers,
one whose backlog is full (connecting to it times out), the fake upstream, and one that streams
a chunked body.
"""
import socket
import threading
import time
from contextlib import closing

import pytest

from fetchers.hosts import bitbucket
from fetchers.http import client as http
from fetchers.http.errors import FetchError, HttpError, TooLarge
from fetchers.facts import DESCRIPTION_MAX_CHARS
from fetchers.http.client import HttpClient
from fetchers.models import StoredResponse
from fetchers.refresh import refresh_package
from packages.repourl import parse_repo_url
from tests.upstream import FakeUpstream, LocalServer, QuietHandler

from .helpers import GITHUB_API, NOW, serve_github
from .test_bitbucket import API as BITBUCKET_API, serve_bitbucket
from .test_refresh import GOOD, assert_repo_facts_kept, good_package, serve_pypi

pytestmark = pytest.mark.django_db
URL = "https://api.example.org/things/1"


@pytest.fixture
def silent_server():
    """The base URL of a server that takes connections (its backlog does) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.fixture
def full_server():
    """The base URL of a server whose backlog is full: a connection to it is never completed."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(4)]
        for filler in fillers:
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
        time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
        for filler in fillers:
            filler.close()


@pytest.fixture
def upstream():
    server = FakeUpstream().start()
    yield server
    server.stop()


def point_at(settings, base_url):
    settings.GITHUB_API_URL, settings.PYPI_JSON_URL = f"{base_url}/github", f"{base_url}/pypi"


def test_no_call_is_sent_once_the_time_budget_is_spent(rsps, settings):
    settings.REFRESH_TIME_BUDGET_SECONDS = 0
    rsps.add("GET", URL, json={})
    with pytest.raises(FetchError, match=f"^time budget of 0 s spent: GET {URL}$") as error:
        HttpClient().get_json(URL)
    assert error.value.transient
    assert len(rsps.calls) == 0


def test_no_attempt_waits_for_an_answer_past_the_deadline(settings, silent_server):
    settings.REFRESH_TIME_BUDGET_SECONDS, settings.FETCH_READ_TIMEOUT = 1, 5
    started = time.monotonic()
    with pytest.raises(FetchError, match=f"^read timeout: GET {silent_server}/x$"):
        HttpClient().get_json(f"{silent_server}/x")
    assert time.monotonic() - started < 1.5


def test_a_connect_timeout_is_named_so_after_the_retries(settings, full_server):
    settings.REFRESH_TIME_BUDGET_SECONDS, settings.FETCH_CONNECT_TIMEOUT = 1.2, 0.5
    started = time.monotonic()
    with pytest.raises(FetchError, match=f"^connect timeout: GET {full_server}/x$"):
        HttpClient().get_json(f"{full_server}/x")
    assert time.monotonic() - started < 1.7


def test_no_retry_is_made_whose_back_off_would_reach_the_deadline(settings, monkeypatch, upstream):
    monkeypatch.setitem(http.RETRY_OPTIONS, "backoff_factor", 3)  # waits 0, 6, 12 s before retries 1, 2, 3
    settings.REFRESH_TIME_BUDGET_SECONDS = 5
    upstream.failing["/things"] = 503
    started = time.monotonic()
    with pytest.raises(HttpError, match="HTTP 503"):
        HttpClient().get_json(f"{upstream.github_url}/things")
    assert time.monotonic() - started < 1
    assert upstream.count("/things") == 2  # the first retry waits 0 s; the second would wait 6


def test_a_hanging_upstream_costs_a_refresh_its_time_budget_and_is_named_a_read_timeout(settings, silent_server):
    settings.REFRESH_TIME_BUDGET_SECONDS, settings.FETCH_READ_TIMEOUT = 2, 1
    point_at(settings, silent_server)
    pkg = good_package()
    started = time.monotonic()
    result = refresh_package(pkg.id, now=NOW)
    assert time.monotonic() - started < 3
    assert_repo_facts_kept(pkg)
    assert (pkg.pypi_version, pkg.license, pkg.requires_python) == ("0.9", GOOD["license"], GOOD["requires_python"])
    assert pkg.fetch_error == (
        f"https://github.com/django/deps: read timeout: GET {silent_server}/github/repos/django/deps; "
        f"PyPI django-minify-html: time budget of 2 s spent: GET {silent_server}/pypi/django-minify-html/json"
    )
    assert result.retry and pkg.fetch_error_count == 1


def test_a_refresh_makes_at_most_its_retries_over_all_its_calls(settings, monkeypatch, upstream):
    monkeypatch.setitem(http.RETRY_OPTIONS, "backoff_factor", 0)
    point_at(settings, upstream.github_url.removesuffix("/github"))
    upstream.failing.update({"/github/": 502, "/pypi/": 502})
    pkg = good_package()
    result = refresh_package(pkg.id, now=NOW)
    assert upstream.count("/github/") == 1 + http.RETRIES  # the first call used them all
    assert upstream.count("/pypi/") == 1  # none left for the second
    assert [error.split(": ")[1] for error in result.errors] == ["HTTP 502", "HTTP 502"]
    assert result.calls == 2 and result.retry
    assert_repo_facts_kept(pkg)


def test_a_body_over_the_limit_by_its_content_length_is_refused_unread(rsps):
    # Reading the two bytes of a body announced as 6 MiB would fail as a broken connection.
    rsps.add("GET", URL, body="{}", headers={"Content-Length": str(6 * 2**20), "ETag": '"e"'})
    with pytest.raises(TooLarge, match=f"^body over 5 MiB: GET {URL}$") as error:
        HttpClient().get_json(URL)
    assert not error.value.transient
    assert not StoredResponse.objects.exists()


class ChunkedServer(LocalServer):
    """Answers every GET with a chunked body of ``total`` bytes and no Content-Length, in chunks of
    ``size`` bytes ``pause`` seconds apart; ``sent`` counts the bytes it could write before the
    client hung up."""

    def __init__(self, total, size=65536, pause=0.0):
        self.total, self.sent, self.done = total, 0, threading.Event()
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"x" * size
                try:
                    while server.sent < server.total:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                        server.sent += len(chunk)
                        time.sleep(pause)
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    server.done.set()

        super().__init__(Handler)
        self.url = f"{self.base_url}/big"
        self.start()


def test_a_streamed_body_over_the_limit_is_refused_once_the_bytes_read_pass_it(settings):
    settings.FETCH_MAX_BODY_BYTES = 2**20
    with closing(ChunkedServer(total=64 * 2**20)) as server:
        with pytest.raises(TooLarge, match=f"^body over 1 MiB: GET {server.url}$"):
            HttpClient().get_json(server.url)
        assert server.done.wait(10)
        assert server.sent < 32 * 2**20  # it stopped reading: the server could not send it all


def test_a_body_trickling_in_is_given_up_at_the_deadline(settings):
    settings.REFRESH_TIME_BUDGET_SECONDS, settings.FETCH_READ_TIMEOUT = 1.0, 5.0
    with closing(ChunkedServer(total=100, size=1, pause=0.1)) as server:  # 10 s for the whole body
        started = time.monotonic()
        with pytest.raises(FetchError, match=f"^time budget of 1 s spent reading the body: GET {server.url}$") as error:
            HttpClient().get_json(server.url)
        assert time.monotonic() - started < 2
        assert error.value.transient


def test_a_body_over_the_limit_is_recorded_and_changes_no_stored_fact(rsps, settings):
    settings.FETCH_MAX_BODY_BYTES = 64 * 2**10
    serve_github(rsps)
    rsps.replace("GET", GITHUB_API, json={"full_name": "django/deps", "default_branch": "main", "stargazers_count": 1, "description": "d" * 70_000})
    serve_pypi(rsps)
    pkg = good_package()
    result = refresh_package(pkg.id, now=NOW)
    assert_repo_facts_kept(pkg)
    assert pkg.fetch_error == f"https://github.com/django/deps: body over 64 KiB: GET {GITHUB_API}"
    assert pkg.pypi_version == "1.0.0"  # the other half applied
    assert not result.retry and not StoredResponse.objects.filter(url=GITHUB_API).exists()


def test_a_description_over_the_limit_is_recorded_and_changes_no_repo_fact(rsps):
    serve_github(rsps)
    too_long = "d" * (DESCRIPTION_MAX_CHARS + 1)
    rsps.replace("GET", GITHUB_API, json={"full_name": "django/deps", "default_branch": "main", "stargazers_count": 1, "description": too_long})
    serve_pypi(rsps)
    pkg = good_package()
    result = refresh_package(pkg.id, now=NOW)
    assert_repo_facts_kept(pkg)
    assert pkg.fetch_error == f"https://github.com/django/deps: description over 2048 characters ({len(too_long)})"
    assert pkg.pypi_version == "1.0.0" and pkg.requires_python == ">=3.8"  # the other half applied
    assert not result.retry and "repo_description" not in result.changed


def test_a_bitbucket_description_over_the_limit_is_refused(rsps):
    serve_bitbucket(rsps)
    rsps.replace("GET", BITBUCKET_API, json={"full_name": "Manfre/django-mssql", "mainbranch": {"name": "master"}, "description": "d" * 5000})
    ref = parse_repo_url("https://bitbucket.org/Manfre/django-mssql/src/master/")
    with pytest.raises(TooLarge, match="description over 2048 characters"):
        bitbucket.fetch(ref, HttpClient(), NOW)
