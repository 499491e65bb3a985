"""Real-browser tests: Debian's headless Chromium (``/usr/bin/chromium``) driven by Playwright for Python.

No browser is downloaded (never ``playwright install``): the tests launch the system's Chromium, and
each one skips, saying why, when it or Playwright is missing. Pages are served by pytest-django's
``live_server`` (a thread of this process, on the test database). The ``page`` fixture watches
everything the page does and fails the test on a console error, an uncaught exception, a failed
request, a subresource answered with a status of 400 or more, or any request to a host other than
the live server's (such a request is also aborted, so nothing leaves the machine).
"""
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium phones home at start-up (and a closed network
# refuses it); --disable-quic keeps it on plain TCP to the live server.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 15_000

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


def _why_not():
    """The reason browser tests cannot run here, or ``None``."""
    if sync_playwright is None:
        return "Playwright is not installed (it is in the dev dependencies: make install)"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium; .ci/run installs it)"
    return None


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the browser tests, closed when they are done.

    Playwright's sync API keeps an asyncio loop on the tests' thread while it runs, which makes
    Django refuse ORM calls there (SynchronousOnlyOperation); the tests' own set-up queries are
    plain sync code, so Django is told to allow them, for these tests only."""
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


class PageProblems(list):
    """What went wrong on the page, one line each."""

    def __init__(self, origin):
        super().__init__()
        self.origin = origin

    def report(self):
        return "the page had problems:\n  " + "\n  ".join(self)


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser page on the live server (``page.goto("/api/v4/")``), watched for problems."""
    yield from _watched_page(browser, live_server, request)


@pytest.fixture
def phone(browser, live_server, request):
    """Like ``page``, on a phone: a 390 × 844 CSS pixel touch screen that honours the viewport meta."""
    yield from _watched_page(
        browser, live_server, request, viewport={"width": 390, "height": 844}, device_scale_factor=3,
        is_mobile=True, has_touch=True,
    )


@pytest.fixture
def page_of_anyone(browser, live_server, request):
    """A second ``page``, in a browser context of its own (no cookies shared with ``page``)."""
    yield from _watched_page(browser, live_server, request)


def _watched_page(browser, live_server, request, **options):
    origin = urlsplit(live_server.url)
    problems = PageProblems(live_server.url)
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)

    def route(route):
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != origin.netloc:
            problems.append(f"request to another host: {route.request.method} {route.request.url}")
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    new_page = context.new_page()
    new_page.on("console", lambda message: message.type == "error" and problems.append(
        f"console error: {message.text} ({message.location.get('url', '')})"))
    new_page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))

    def failed(req):
        if not any(p.endswith(req.url) for p in problems if p.startswith("request to another host")):
            problems.append(f"request failed: {req.method} {req.url}: {req.failure}")

    new_page.on("requestfailed", failed)

    def answered(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"subresource answered {response.status}: {response.request.method} {response.url}")

    new_page.on("response", answered)
    new_page.problems = problems
    request.node.__dict__.setdefault("_page_problems", []).append(problems)
    yield new_page
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test whose page had a problem fails (in its call, not as a teardown error)."""
    result = yield
    reports = [problems.report() for problems in getattr(item, "_page_problems", []) if problems]
    if reports:
        raise AssertionError("\n".join(reports))
    return result


@pytest.fixture
def editor(db):
    """A superuser to log in to the admin with (username ``editor``, password ``pass-word-9``)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("editor", "editor@example.org", "pass-word-9")


@pytest.fixture
def logged_in(page, editor):
    """The page, logged in to the admin through its login form."""
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pass-word-9")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page
