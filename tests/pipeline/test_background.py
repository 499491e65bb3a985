"""The embedded default (no broker): "Refresh now" answers at once and the refresh runs on a
background thread of the same process, against a local fake upstream that answers slowly."""
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
def test_refresh_now_without_a_broker_answers_at_once_and_refreshes_in_the_background(admin_client, slow_upstream):
    category = Category.objects.create(title="App", slug="apps")
    pkg = Package.objects.create(title="bg", slug="bg", category=category, repo_url="https://github.com/o/bg", repo_watchers=1)
    url = reverse("admin:packages_package_changelist")

    started = time.monotonic()
    response = admin_client.post(url, {"action": "refresh_now", "_selected_action": [pkg.pk]}, follow=True)
    answered = time.monotonic() - started

    assert response.status_code == 200
    assert "1 package(s) queued for a background refresh." in response.content.decode()
    assert answered < SLOW  # the request did not wait for the upstream
    assert Package.objects.get(pk=pkg.pk).last_attempted_at is None  # not refreshed yet
    assert cache.get(tasks._pending_key(pkg.pk)) == 1  # and known to be queued

    wait_for(lambda: Package.objects.get(pk=pkg.pk).last_attempted_at is not None, timeout=30, what="the background refresh")
    pkg.refresh_from_db()
    assert pkg.repo_watchers == stars_of("o/bg") and pkg.fetch_error == ""
    wait_for(lambda: cache.get(tasks._pending_key(pkg.pk)) is None, timeout=5, what="the marker to be freed")
    response = admin_client.post(url, {"action": "refresh_now", "_selected_action": [pkg.pk]}, follow=True)
    assert "already queued" not in response.content.decode()
    wait_for(lambda: cache.get(tasks._pending_key(pkg.pk)) is None, timeout=30, what="the second refresh to end")


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
