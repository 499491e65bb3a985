"""The refresh tasks, the sweep and the admin action, in-process (Celery eager, local cache)."""
import time
from datetime import timedelta

import pytest
from celery.canvas import Signature
from celery.exceptions import Reject, Retry
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from kombu.exceptions import OperationalError

from categories.models import Category
from fetchers.http import budget
from fetchers import tasks
from fetchers.http.errors import RateLimited
from fetchers.refresh import RefreshResult
from packages.models import Package
from tests.factories import make_package
from tests.pipeline.conftest import wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_state(settings):
    """An empty cache and fresh in-memory budgets for every test."""
    cache.clear()
    settings.RATE_LIMIT_STORAGE_URL = "memory://"
    budget._limiter.cache_clear()
    yield
    cache.clear()
    budget._limiter.cache_clear()


@pytest.fixture
def sweep():
    """Run a sweep task (beat's message, in-process)."""
    return tasks.sweep


@pytest.fixture
def refreshes(monkeypatch):
    """Replace the refresh itself (no network here): records the ids; ``.outcome["result"]`` makes the result."""

    class Calls(list):
        outcome = {"result": lambda pk: RefreshResult(pk)}

    calls = Calls()
    outcome = calls.outcome

    def fake(package_id):
        calls.append(package_id)
        Package.objects.filter(pk=package_id).update(last_attempted_at=timezone.now())  # as the refresh does
        return outcome["result"](package_id)

    monkeypatch.setattr(tasks.refresh, "refresh_package", fake)
    return calls


def package(slug, repo="https://github.com/o/{}", pypi="", **fields):
    return make_package(slug, repo_url=repo.format(slug), pypi_url=pypi, **fields)


def test_a_package_already_queued_is_not_queued_again(refreshes):
    one, two = package("one"), package("two")
    cache.add(tasks._pending_key(two.pk), 1)  # queued or running
    assert tasks.enqueue_refreshes([one.pk, two.pk]) == tasks.Enqueued(queued=[one.pk], busy=[two.pk])
    assert refreshes == [one.pk]
    assert tasks.enqueue_refreshes([one.pk]).queued == [one.pk]  # the finished task freed it


def test_with_the_broker_down_no_package_is_left_marked(unreachable_broker, sweep, caplog):
    packages = [package(f"p{i}") for i in range(5)]
    started = time.monotonic()
    outcome = tasks.enqueue_refreshes([p.pk for p in packages])
    assert outcome.queued == [] and outcome.failed == [p.pk for p in packages]
    assert outcome.error.startswith("broker unreachable: ")
    assert time.monotonic() - started < 5  # one publish attempt, not one per package
    assert "5 refresh(es) could not be queued: broker unreachable" in caplog.text
    assert sweep() == 0
    assert all(cache.get(tasks._pending_key(p.pk)) is None for p in packages)


def test_refresh_now_with_the_broker_down_says_so_and_the_next_try_is_not_already_queued(admin_client, unreachable_broker):
    pkg = package("stuck")
    url = reverse("admin:packages_package_changelist")
    for _ in range(2):
        response = admin_client.post(url, {"action": "refresh_now", "_selected_action": [pkg.pk]}, follow=True)
        page = response.content.decode()
        assert response.status_code == 200
        assert "0 package(s) queued" in page and "1 could not be queued: broker unreachable" in page
        assert "already queued" not in page
    assert cache.get(tasks._pending_key(pkg.pk)) is None


def _run_in_worker(monkeypatch, package_id, retries):
    """Run the task as a worker would (not eagerly), Celery's own ``retry`` included, with the retry's
    message caught instead of sent; returns ``(return value or "retry", the retry's options)``."""
    asked = {}

    def send(signature):
        asked.update(signature.options, args=signature.args)

    monkeypatch.setattr(Signature, "apply_async", send)
    tasks.refresh_package.push_request(args=[package_id], retries=retries, is_eager=False, called_directly=False)
    try:
        return tasks.refresh_package.run(package_id), asked
    except Retry:
        return "retry", asked
    finally:
        tasks.refresh_package.pop_request()


def test_a_transient_failure_is_retried_with_jittered_exponential_backoff(refreshes, monkeypatch, settings):
    pkg = package("flaky")
    refreshes.outcome["result"] = lambda pk: RefreshResult(pk, errors=["timeout"], retry=True)
    for retries in range(settings.REFRESH_MAX_RETRIES):
        countdowns = [_run_in_worker(monkeypatch, pkg.pk, retries)[1]["countdown"] for _ in range(30)]
        half_visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] / 2
        ceiling = min(tasks.BACKOFF_FACTOR * 2**retries, tasks.BACKOFF_MAX, half_visibility)
        assert all(0 <= c <= ceiling for c in countdowns)
        assert len(set(countdowns)) > 1  # jitter


def test_a_rate_limited_refresh_waits_for_the_limit_to_end(refreshes, monkeypatch):
    pkg = package("limited")
    until = timezone.now() + timedelta(minutes=4)  # within half the visibility timeout
    refreshes.outcome["result"] = lambda pk: RefreshResult(pk, errors=["rate limited"], retry=True, retry_after=until)
    outcome, asked = _run_in_worker(monkeypatch, pkg.pk, retries=0)
    assert outcome == "retry" and 230 <= asked["countdown"] <= 240


def test_a_wait_beyond_half_the_visibility_timeout_is_left_to_a_later_sweep(refreshes, monkeypatch):
    pkg = package("much-later")
    until = timezone.now() + timedelta(hours=2)
    refreshes.outcome["result"] = lambda pk: RefreshResult(pk, errors=["rate limited"], retry=True, retry_after=until)
    cache.add(tasks._pending_key(pkg.pk), 1)
    outcome, asked = _run_in_worker(monkeypatch, pkg.pk, retries=0)
    assert outcome["errors"] == ["rate limited"] and asked == {}
    assert cache.get(tasks._pending_key(pkg.pk)) is None


def test_an_error_in_the_code_frees_the_package(refreshes, monkeypatch):
    pkg = package("buggy")

    def broken(pk):
        raise RuntimeError("a bug")

    refreshes.outcome["result"] = broken
    cache.add(tasks._pending_key(pkg.pk), 1)
    with pytest.raises(RuntimeError):
        _run_in_worker(monkeypatch, pkg.pk, retries=0)
    assert cache.get(tasks._pending_key(pkg.pk)) is None


@pytest.mark.parametrize("max_retries", [2, 5, 7])
def test_it_retries_as_often_as_the_setting_says_then_gives_up_and_frees_the_package(
    refreshes, monkeypatch, settings, caplog, max_retries
):
    settings.REFRESH_MAX_RETRIES = max_retries
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 10**6}  # no wait is too long here
    pkg = package("hopeless")
    refreshes.outcome["result"] = lambda pk: RefreshResult(pk, errors=["HTTP 502"], retry=True)
    cache.add(tasks._pending_key(pkg.pk), 1)
    for retries in range(max_retries):
        outcome, asked = _run_in_worker(monkeypatch, pkg.pk, retries)
        assert outcome == "retry" and asked["args"] == (pkg.pk,) and asked["retries"] == retries + 1
        assert cache.get(tasks._pending_key(pkg.pk)) == 1  # still queued: its retry is
    outcome, asked = _run_in_worker(monkeypatch, pkg.pk, retries=max_retries)
    assert outcome["errors"] == ["HTTP 502"] and asked == {}
    assert cache.get(tasks._pending_key(pkg.pk)) is None
    assert f"gave up after {max_retries} retries" in caplog.text
    assert not [record for record in caplog.records if record.exc_info]


def test_a_retry_that_cannot_be_sent_frees_the_package(refreshes, monkeypatch):
    pkg = package("unlucky")
    refreshes.outcome["result"] = lambda pk: RefreshResult(pk, errors=["HTTP 502"], retry=True)
    cache.add(tasks._pending_key(pkg.pk), 1)

    def broker_down(signature):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(Signature, "apply_async", broker_down)
    tasks.refresh_package.push_request(args=[pkg.pk], retries=0, is_eager=False, called_directly=False)
    try:
        with pytest.raises(Reject):  # Celery's answer: the task is dropped, not redelivered
            tasks.refresh_package.run(pkg.pk)
    finally:
        tasks.refresh_package.pop_request()
    assert cache.get(tasks._pending_key(pkg.pk)) is None


def test_a_permanent_failure_is_not_retried(refreshes, monkeypatch):
    pkg = package("gone")
    refreshes.outcome["result"] = lambda pk: RefreshResult(pk, errors=["HTTP 404 not found"], retry=False)
    outcome, asked = _run_in_worker(monkeypatch, pkg.pk, retries=0)
    assert outcome["errors"] == ["HTTP 404 not found"] and asked == {}


def test_a_deleted_package_ends_its_task_quietly(monkeypatch):
    cache.add(tasks._pending_key(987654), 1)
    assert _run_in_worker(monkeypatch, 987654, retries=0)[0] is None
    assert cache.get(tasks._pending_key(987654)) is None


def test_a_sweep_takes_the_longest_unrefreshed_first_and_skips_fresh_ones(refreshes, sweep, settings):
    now = timezone.now()
    never = package("never")
    old = package("old", last_attempted_at=now - timedelta(days=3))
    older = package("older", last_attempted_at=now - timedelta(days=9))
    package("fresh", last_attempted_at=now - timedelta(hours=1))
    settings.REFRESH_SWEEP_SIZE = 2
    assert sweep() == 2
    assert refreshes == [never.pk, older.pk]
    assert sweep() == 1 and refreshes[2:] == [old.pk]  # the attempted ones wait an interval
    assert sweep() == 0


def test_a_sweep_stays_within_each_hosts_budget(refreshes, sweep, settings):
    settings.RATE_LIMITS = {settings.GITHUB_API_URL: "9/hour", settings.PYPI_JSON_URL: "2/hour"}
    github = [package(f"gh{i}") for i in range(4)]
    gitlab = [package(f"gl{i}", repo="https://gitlab.com/g/{}") for i in range(3)]
    with_pypi = package("both", repo="https://gitlab.com/g/{}", pypi="https://pypi.org/project/x/")
    also_pypi = package("both2", repo="https://gitlab.com/g/{}", pypi="y")
    third_pypi = package("both3", repo="https://gitlab.com/g/{}", pypi="z")
    sweep()
    chosen = set(refreshes)
    assert len(chosen & {p.pk for p in github}) == 2  # 4 requests each, 9 allowed
    assert {p.pk for p in gitlab} <= chosen  # GitLab's budget is large
    assert len(chosen & {with_pypi.pk, also_pypi.pk, third_pypi.pk}) == 2  # PyPI: 1 request each, 2 allowed


def test_a_sweep_while_another_is_running_does_nothing(refreshes, sweep):
    package("waiting")
    cache.add(tasks.SWEEP_LOCK, 1)
    assert sweep() == 0 and refreshes == []


def test_requests_beyond_a_hosts_budget_are_refused_before_they_are_sent(settings):
    settings.RATE_LIMITS = {"https://api.example.org": "2/minute"}
    budget.spend("api.example.org")
    budget.spend("api.example.org")
    assert budget.remaining("api.example.org") == 0
    with pytest.raises(RateLimited):
        budget.spend("api.example.org")
    assert budget.remaining("other.example.org") is None
    budget.spend("other.example.org")  # no budget configured: never refused here


def test_the_default_schedule_runs_a_sweep_that_expires_rather_than_piles_up(settings):
    sweep = PeriodicTask.objects.get(name="Refresh sweep")
    assert sweep.task == "fetchers.tasks.sweep" and sweep.enabled
    assert sweep.interval.every == settings.REFRESH_SWEEP_MINUTES and sweep.interval.period == "minutes"
    assert sweep.expire_seconds == settings.REFRESH_SWEEP_MINUTES * 60


def test_editors_can_refresh_now_and_see_when_the_next_refresh_is_due(admin_client, refreshes, settings):
    pkg = package("edited", last_attempted_at=timezone.now() - timedelta(hours=2))
    url = reverse("admin:packages_package_changelist")
    response = admin_client.post(url, {"action": "refresh_now", "_selected_action": [pkg.pk]}, follow=True)
    assert refreshes == [pkg.pk]
    assert "Refreshed edited: nothing changed." in response.content.decode()  # the embedded default, inline here
    cache.add(tasks._pending_key(pkg.pk), 1)
    response = admin_client.post(url, {"action": "refresh_now", "_selected_action": [pkg.pk]}, follow=True)
    assert "1 already queued or running: edited." in response.content.decode() and refreshes == [pkg.pk]
    page = admin_client.get(reverse("admin:packages_package_change", args=[pkg.pk])).content.decode()
    pkg.refresh_from_db()
    due = timezone.localtime(pkg.last_attempted_at + timedelta(hours=settings.REFRESH_INTERVAL_HOURS))
    assert "next refresh due" in page.lower() and due.strftime("%Y") in page


def test_a_package_whose_repository_is_gone_does_not_crowd_out_the_others(sweep, settings):
    """The real refresh against a recorded 404: the failed attempt counts, so the next sweep moves on."""
    import responses

    from tests.fetchers.helpers import replay

    settings.REFRESH_SWEEP_SIZE = 1
    gone = package("does-not-exist", repo="https://github.com/djangopackages/{}")
    waiting = package("waiting", repo="", last_attempted_at=timezone.now() - timedelta(days=2))
    with responses.RequestsMock() as rsps:
        replay(rsps, "github_fetch_metadata_unsupported_repo.json", 0)
        assert sweep() == 1
    gone.refresh_from_db()
    assert gone.fetch_error.startswith("https://github.com/djangopackages/does-not-exist: HTTP 404")
    assert gone.last_fetched is None and gone.last_attempted_at is not None
    assert sweep() == 1  # the next sweep takes the other package
    waiting.refresh_from_db()
    assert waiting.last_attempted_at > gone.last_attempted_at
    assert sweep() == 0


def test_the_sweep_interval_follows_the_setting_after_every_migrate(settings):
    from django.core.management import call_command

    settings.REFRESH_SWEEP_MINUTES = 7
    call_command("migrate", verbosity=0)  # nothing to migrate: post_migrate still runs
    sweep = PeriodicTask.objects.get(name="Refresh sweep")
    assert (sweep.interval.every, sweep.interval.period, sweep.expire_seconds) == (7, "minutes", 420)



@pytest.mark.django_db(transaction=True)  # the refresh is requested when the admin's transaction commits
def test_a_package_added_in_the_admin_gets_its_first_refresh_and_the_editor_sees_it(admin_client, refreshes):
    category = Category.objects.create(title="Apps", slug="apps")
    data = {
        "title": "New one", "slug": "new-one", "category": category.pk, "repo_url": "https://github.com/a/new-one",
        "repo_host": "", "pypi_url": "", "documentation_url": "", "usage_count": 0,
        "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0,
    }
    refreshes.outcome["result"] = lambda pk: RefreshResult(pk, errors=["https://github.com/a/new-one: HTTP 404 Not Found"])
    response = admin_client.post(reverse("admin:packages_package_add"), data, follow=True)
    added = Package.objects.get(slug="new-one")
    assert refreshes == [added.pk]
    shown = [(m.level_tag, m.message) for m in response.context["messages"]]
    assert shown[-1] == ("error", "Refresh of New one failed: https://github.com/a/new-one: HTTP 404 Not Found")
    assert "was added successfully" in shown[0][1]


def _refresh_now(admin_client, *packages):
    """Post "Refresh now" for ``packages``; the messages shown, as ``[(level tag, text)]``."""
    url = reverse("admin:packages_package_changelist")
    response = admin_client.post(url, {"action": "refresh_now", "_selected_action": [p.pk for p in packages]}, follow=True)
    assert response.status_code == 200
    return [(m.level_tag, m.message) for m in response.context["messages"]]


def test_refresh_now_without_a_broker_says_what_each_refresh_changed_or_why_it_failed(admin_client, refreshes, monkeypatch):
    changed, partly, failed, crashed = (package(slug) for slug in ("changed", "partly", "failed", "crashed"))
    results = {
        changed.pk: RefreshResult(changed.pk, changed=["repo_watchers", "repo_forks"], calls=4),
        partly.pk: RefreshResult(partly.pk, changed=["repo_watchers"], errors=["https://pypi.org/pypi/partly/json: HTTP 503"]),
        failed.pk: RefreshResult(failed.pk, errors=["https://github.com/o/failed: HTTP 404 Not Found"]),
    }

    def result(pk):
        if pk == crashed.pk:
            raise RuntimeError("a bug in the refresh")
        return results[pk]

    refreshes.outcome["result"] = result
    assert _refresh_now(admin_client, changed, partly, failed, crashed) == [
        ("error", "Refresh of crashed failed: the refresh failed: RuntimeError('a bug in the refresh')"),
        ("error", "Refresh of failed failed: https://github.com/o/failed: HTTP 404 Not Found"),
        ("warning", "Refreshed partly in part (repo_watchers changed); failed: https://pypi.org/pypi/partly/json: HTTP 503"),
        ("success", "Refreshed changed: repo_watchers, repo_forks changed."),
    ]  # the admin lists its selection newest first
    assert all(cache.get(tasks._pending_key(p.pk)) is None for p in (changed, partly, failed, crashed))


def test_refresh_now_with_a_broker_says_queued_and_runs_nothing_in_the_request(admin_client, refreshes, monkeypatch):
    from djpackages.celery import app

    sent = []
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks.refresh_package, "delay", sent.append)
    one, two = package("one"), package("two")
    assert _refresh_now(admin_client, one, two) == [("success", "2 package(s) queued for a background refresh.")]
    assert sorted(sent) == sorted([one.pk, two.pk]) and refreshes == []


@pytest.mark.django_db(transaction=True)  # the background threads see committed rows only
def test_without_a_broker_a_few_refresh_at_once_the_rest_are_queued_and_a_slow_one_goes_on_in_the_background(
    admin_client, refreshes, settings
):
    from threading import Event

    settings.REFRESH_THREADS, settings.REFRESH_NOW_LIMIT, settings.REFRESH_NOW_WAIT_SECONDS = 2, 2, 0.5
    later, quick, slow = package("later"), package("quick"), package("slow")  # the admin takes them newest first
    release = Event()

    def result(pk):
        if pk == slow.pk:
            release.wait(10)
        return RefreshResult(pk)

    refreshes.outcome["result"] = result
    started = time.monotonic()
    shown = _refresh_now(admin_client, slow, quick, later)
    assert time.monotonic() - started < 5
    assert shown[:2] == [
        ("success", "Refreshed quick: nothing changed."),
        ("info", "slow: still refreshing after 0.5 s; the fetch state will show the outcome."),
    ]
    assert shown[2] == ("success", "1 package(s) queued for a background refresh.")  # beyond REFRESH_NOW_LIMIT
    assert cache.get(tasks._pending_key(slow.pk)) == 1
    release.set()
    wait_for(lambda: sorted(refreshes) == sorted([slow.pk, quick.pk, later.pk]), timeout=10, what="the refreshes")
    wait_for(lambda: cache.get(tasks._pending_key(slow.pk)) is None, timeout=10, what="the slow refresh to end")
