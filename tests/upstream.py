"""A local stand-in for GitHub's REST API and PyPI's JSON API, for the pipeline tests and the benchmark.

It answers for any repository ``<owner>/<name>`` and any project with recorded real answers
(django/deps on GitHub, django-crispy-forms on PyPI) adapted to the name asked for, sends an
ETag with every answer and a 304 when ``If-None-Match`` matches. ``latency`` delays every
answer; ``stall`` maps a path fragment to seconds that the first request containing it waits
(to catch a worker mid-refresh); ``failing`` maps a path fragment to the status (e.g. 502) that
every request containing it gets.
Each request is logged as ``(path, status)``. Serve it with ``FakeUpstream().start()`` and point
``GITHUB_API_URL`` at ``.github_url`` and ``PYPI_JSON_URL`` at ``.pypi_url``.

Also the pieces every local stand-in of the tests is made of: ``LocalServer`` (an HTTP server on a
free port, in a thread), ``QuietHandler`` (a request handler that logs nothing), and the loaders
of the recorded real answers in ``fetchers/recorded`` (``interaction``, ``pypi_answer``).
"""
import hashlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

RECORDED = Path(__file__).parent / "fetchers" / "recorded"


def interaction(name: str, index: int) -> dict:
    """One recorded request/answer of ``fetchers/recorded/<name>``: ``url``, ``status``, ``headers``, and
    ``json`` or ``text``."""
    return json.loads((RECORDED / name).read_text())["interactions"][index]


def pypi_answer(project: str) -> dict:
    """The recorded PyPI JSON answer for ``project`` (``fetchers/recorded/pypi/<project>.json``)."""
    return json.loads((RECORDED / "pypi" / f"{project}.json").read_text())


REPO = interaction("github_fetch_metadata.json", 0)["json"]
CONTRIBUTORS = interaction("github_fetch_metadata.json", 1)["json"]
NEWEST_COMMIT = interaction("github_fetch_commits.json", 1)["json"][0]
PYPI = pypi_answer("django-crispy-forms")
PARTICIPATION = {"all": [i % 4 for i in range(52)], "owner": [0] * 52}


class QuietHandler(BaseHTTPRequestHandler):
    """An HTTP/1.1 request handler that logs nothing; ``send_body`` answers with a whole body."""

    protocol_version = "HTTP/1.1"

    def send_body(self, status, body, headers=()):
        """Answer ``status`` with ``body`` (bytes) as JSON, a Content-Length and ``headers`` (name, value pairs)."""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class LocalServer:
    """A threaded HTTP server on a free port of 127.0.0.1 (``base_url``, no trailing slash), answering
    with ``handler`` (a ``BaseHTTPRequestHandler`` class). ``start()`` serves it from a daemon thread;
    ``close()`` stops it and frees the port (so ``contextlib.closing`` fits)."""

    def __init__(self, handler):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_port}"

    def start(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def stars_of(full_name):
    """The star count the fake GitHub reports for a repository (stable per name)."""
    return int(hashlib.sha1(full_name.encode()).hexdigest()[:4], 16) % 5000


class FakeUpstream:
    """The server; ``requests`` is the log, ``latency``/``stall`` shape its timing, ``failing`` its errors."""

    def __init__(self, latency=0.0, stall=None, failing=None):
        self.latency, self.stall, self.failing = latency, dict(stall or {}), dict(failing or {})
        self.requests = []
        self.lock = threading.Lock()
        self.server = LocalServer(self._handler())
        base = self.server.base_url
        self.github_url, self.pypi_url = f"{base}/github", f"{base}/pypi"

    def start(self):
        self.server.start()
        return self

    def stop(self):
        self.server.close()

    def count(self, fragment):
        """How many requests had ``fragment`` in their path."""
        with self.lock:
            return sum(fragment in path for path, _ in self.requests)

    def answer(self, path):
        """``(status, body object, extra headers)`` for a GET of ``path`` (without query)."""
        for fragment, status in self.failing.items():
            if fragment in path:
                return status, {"message": "failing on purpose"}, {}
        if m := re.fullmatch(r"/github/repos/([^/]+/[^/]+)", path):
            full = m.group(1)
            return 200, {**REPO, "full_name": full, "html_url": f"https://github.com/{full}", "stargazers_count": stars_of(full)}, {}
        if re.fullmatch(r"/github/repos/[^/]+/[^/]+/contributors", path):
            return 200, CONTRIBUTORS, {}
        if re.fullmatch(r"/github/repos/[^/]+/[^/]+/stats/participation", path):
            return 200, PARTICIPATION, {}
        if m := re.fullmatch(r"/github/repos/([^/]+/[^/]+)/commits", path):
            last = f"<{self.github_url}/repos/{m.group(1)}/commits?per_page=1&page=321>; rel=\"last\""
            return 200, [NEWEST_COMMIT], {"Link": last}
        if m := re.fullmatch(r"/pypi/([^/]+)/json", path):
            return 200, {**PYPI, "info": {**PYPI["info"], "name": m.group(1)}}, {}
        return 404, {"message": "Not Found"}, {}

    def _handler(self):
        upstream = self

        class Handler(QuietHandler):
            disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms delayed-ACK stall between them

            def do_GET(self):
                path = urlsplit(self.path).path
                with upstream.lock:
                    stalls = [frag for frag in upstream.stall if frag in path]
                    delay = upstream.latency + sum(upstream.stall.pop(frag) for frag in stalls)
                if delay:
                    time.sleep(delay)
                # every answer is a function of the path and the failures set, so that is what the ETag
                # hashes: a 304 costs no encoding
                etag = '"%s"' % hashlib.sha1(repr((path, sorted(upstream.failing.items()))).encode()).hexdigest()
                status, data, headers = upstream.answer(path)
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
                else:
                    body = json.dumps(data).encode()
                with upstream.lock:
                    upstream.requests.append((path, status))
                etag_header = [("ETag", etag)] if status in (200, 304) else []
                self.send_body(status, body, etag_header + list(headers.items()))

        return Handler
