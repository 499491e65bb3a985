"""The embedded default (no broker): "Refresh now" runs the refresh on a background thread of the
same process and waits for it a bounded time, against a local fake upstream that answers slowly."""
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from categories.models import Category
from fetchers.http import budget
from fetchers import tasks
from packages.models import Package
from tests.pipeline.conftest import wait_for
from tests.upstream import FakeUpstream, stars_of

SLOW = 1.5  # seconds the fake GitHub waits before its first repository answer


@pytest.fixture
def slow_upstream(settings):
    server = FakeUpstream(stall={"/repos/": SLOW}).start()
    settings.GITHUB_API_URL, settings.PYPI_JSON_URL = server.github_url, server.pypi_url
    settings.RATE_LIMIT_STORAGE_URL = "memory://"
    settings.REFRESH_THREADS = 2
    settings.CELERY_TASK_ALWAYS_EAGER = True
    budget._limiter.cache_clear()
    cache.clear()
    yield server
    server.stop()
    cache.clear()


@pytest.mark.django_db(transaction=True)  # the background thread sees only committed rows
def test_refresh_now_without_a_broker_waits_a_bounded_time_then_leaves_the_refresh_to_the_background(
    admin_client, slow_upstream, settings
):
    settings.REFRESH_NOW_WAIT_SECONDS = 0.2
    category = Category.objects.create(title="App", slug="apps")
    pkg = Package.objects.create(title="bg", slug="bg", category=category, repo_url="https://github.com/o/bg", repo_watchers=1)
    url = reverse("admin:packages_package_changelist")

    started = time.monotonic()
    response = admin_client.post(url, {"action": "refresh_now", "_selected_action": [pkg.pk]}, follow=True)
    answered = time.monotonic() - started

    assert response.status_code == 200
    assert [m.message for m in response.context["messages"]] == ["bg: still refreshing after 0.2 s; the fetch state will show the outcome."]
    assert answered < SLOW  # the request did not wait for the upstream
    assert Package.objects.get(pk=pkg.pk).last_attempted_at is None  # not refreshed yet
    assert cache.get(tasks._pending_key(pkg.pk)) == 1  # and known to be running

    wait_for(lambda: Package.objects.get(pk=pkg.pk).last_attempted_at is not None, timeout=30, what="the background refresh")
    pkg.refresh_from_db()
    assert pkg.repo_watchers == stars_of("o/bg") and pkg.fetch_error == ""
    wait_for(lambda: cache.get(tasks._pending_key(pkg.pk)) is None, timeout=5, what="the marker to be freed")

    settings.REFRESH_NOW_WAIT_SECONDS = 30  # long enough: the editor hears how it went
    started = time.monotonic()
    response = admin_client.post(url, {"action": "refresh_now", "_selected_action": [pkg.pk]}, follow=True)
    assert time.monotonic() - started < 30
    assert "Refreshed bg: nothing changed." in response.content.decode()  # every answer a 304
    assert cache.get(tasks._pending_key(pkg.pk)) is None


@pytest.mark.django_db(transaction=True)
def test_a_background_refresh_that_crashes_frees_its_package_and_is_logged(slow_upstream, monkeypatch, caplog):
    category = Category.objects.create(title="App", slug="apps")
    pkg = Package.objects.create(title="boom", slug="boom", category=category, repo_url="https://github.com/o/boom")

    def crash(package_id):
        raise RuntimeError("a bug in the refresh")

    monkeypatch.setattr(tasks.refresh, "refresh_package", crash)
    assert tasks.enqueue_refreshes([pkg.pk]).queued == [pkg.pk]
    wait_for(lambda: "background refresh failed" in caplog.text, timeout=10, what="the logged failure")
    assert "a bug in the refresh" in caplog.text
    assert cache.get(tasks._pending_key(pkg.pk)) is None
