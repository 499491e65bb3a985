"""The refresh pipeline end to end, with real Celery workers and beat on the real Redis broker."""
import json

import redis
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from packages.models import Package
from tests.factories import make_packages
from tests.pipeline.conftest import BROKER_DB, REDIS, wait_for
from tests.test_compose import beat_health_check
from tests.upstream import PARTICIPATION, PYPI, stars_of


def refreshed(ids):
    return Package.objects.filter(pk__in=ids, last_fetched__isnull=False).count() == len(ids)


def test_a_sweep_refreshes_due_packages_on_a_worker_and_the_api_shows_the_new_values(celery_processes, upstream, client):
    packages = make_packages(5)
    ids = [p.pk for p in packages]
    celery_processes.worker()
    celery_processes.call("fetchers.tasks.sweep")
    wait_for(lambda: refreshed(ids), what="the sweep's refreshes")
    for package in Package.objects.filter(pk__in=ids):
        full_name = package.repo_url.removeprefix("https://github.com/")
        assert package.repo_watchers == stars_of(full_name)
        assert package.commits_over_52 == PARTICIPATION["all"]
        assert package.pypi_version == PYPI["info"]["version"]
        assert package.participants and package.fetch_error == ""
        body = json.loads(client.get(f"/api/v4/packages/{package.slug}/").content)
        assert body["repo_watchers"] == stars_of(full_name) and body["pypi_version"] == PYPI["info"]["version"]
    assert all(status == 200 for _, status in upstream.requests)

    # A second refresh of the unchanged packages is answered by 304s only.
    first = len(upstream.requests)
    Package.objects.filter(pk__in=ids).update(last_fetched=None, last_attempted_at=None)
    celery_processes.call("fetchers.tasks.sweep")
    wait_for(lambda: refreshed(ids), what="the second sweep")
    assert len(upstream.requests) == 2 * first
    assert {status for _, status in upstream.requests[first:]} == {304}


def test_a_refresh_whose_worker_is_killed_is_redelivered_and_applied_once(celery_processes, upstream):
    (package,) = make_packages(1)
    upstream.stall["/stats/participation"] = 120  # the first attempt hangs mid-refresh
    # Redis hands a task whose worker vanished to another worker after the visibility timeout.
    first = celery_processes.worker(concurrency=1, CELERY_VISIBILITY_TIMEOUT="3")
    celery_processes.call("fetchers.tasks.refresh_package", package.pk)
    wait_for(lambda: not upstream.stall, what="the first attempt to reach the stalled request")
    celery_processes.kill(first)
    package.refresh_from_db()
    assert package.last_fetched is None and package.repo_watchers == 0 and package.participants == []

    celery_processes.worker(concurrency=1, CELERY_VISIBILITY_TIMEOUT="3")
    wait_for(lambda: refreshed([package.pk]), timeout=90, what="the redelivered task")
    package.refresh_from_db()
    assert package.repo_watchers == stars_of("owner/p0") and package.commits_over_52 == PARTICIPATION["all"]
    assert package.pypi_version == PYPI["info"]["version"] and package.versions.count() == len(PYPI["releases"])
    assert upstream.count("/repos/owner/p0/contributors") == 2  # one killed attempt, one that finished
    assert upstream.count("/pypi/p0/json") == 1


def test_a_sweep_while_the_previous_ones_work_is_running_enqueues_nothing_twice(celery_processes, upstream):
    packages = make_packages(4)
    ids = [p.pk for p in packages]
    upstream.latency = 0.3
    celery_processes.worker(concurrency=1)
    celery_processes.call("fetchers.tasks.sweep")
    wait_for(lambda: upstream.count("/repos/") > 0, what="the first refresh to start")
    celery_processes.call("fetchers.tasks.sweep")
    celery_processes.call("fetchers.tasks.sweep")
    wait_for(lambda: refreshed(ids), what="all refreshes")
    for package in packages:
        assert upstream.count(f"/repos/owner/{package.slug}/contributors") == 1
    broker = redis.Redis.from_url(f"{REDIS}/{BROKER_DB}")
    wait_for(lambda: broker.llen(celery_processes.env["CELERY_QUEUE"]) == 0, what="an empty queue")


def test_two_beat_ticks_enqueue_one_sweep_each(celery_processes):
    """...and beat, starting, sets the sweep's interval from REFRESH_SWEEP_MINUTES, keeping it disabled."""
    every_two_seconds = IntervalSchedule.objects.create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.exclude(name="Tick test").update(enabled=False)
    PeriodicTask.objects.create(name="Tick test", task="fetchers.tasks.sweep", interval=every_two_seconds, expire_seconds=2)
    heartbeat = celery_processes.tmp_path / "beat-heartbeat"
    beat = celery_processes.start("beat", "--loglevel=INFO", "-s", str(celery_processes.tmp_path / "beat-schedule"), name="beat",
                                  BEAT_HEARTBEAT_FILE=str(heartbeat), REFRESH_SWEEP_MINUTES="9")

    def ticks():
        return celery_processes.output(beat).count("Sending due task Tick test")

    broker, queue = redis.Redis.from_url(f"{REDIS}/{BROKER_DB}"), celery_processes.env["CELERY_QUEUE"]
    wait_for(lambda: ticks() >= 2 and broker.llen(queue) >= 2, timeout=30, what="two beat ticks sent")
    assert beat_health_check(BEAT_HEARTBEAT_FILE=str(heartbeat)).returncode == 0  # compose's check, on this beat
    sweep = PeriodicTask.objects.get(name="Refresh sweep")
    assert (sweep.interval.every, sweep.expire_seconds, sweep.enabled) == (9, 540, False)
    celery_processes.kill(beat)
    queued = [json.loads(m) for m in broker.lrange(queue, 0, -1)]
    # beat logs a tick just before it sends it: the kill may fall between the two for the last one
    assert ticks() - 1 <= len(queued) <= ticks() and len(queued) >= 2
    assert {m["headers"]["task"] for m in queued} == {"fetchers.tasks.sweep"}
    assert all(m["headers"]["expires"] for m in queued)  # a sweep left waiting drops instead of piling up


def other_host(url):
    """``url`` by another name of the same server: budgets and rate limits are kept per host name."""
    return url.replace("127.0.0.1", "localhost")


def attempted(ids):
    return Package.objects.filter(pk__in=ids, last_attempted_at__isnull=False).count() == len(ids)


def test_a_hosts_budget_holds_across_the_threads_of_a_worker_and_pauses_only_that_host(celery_processes, upstream):
    ids = [p.pk for p in make_packages(12)]
    celery_processes.worker(concurrency=8, pool="threads", RATE_LIMIT_GITHUB="10/hour", PYPI_JSON_URL=other_host(upstream.pypi_url))
    for pk in ids:
        celery_processes.call("fetchers.tasks.refresh_package", pk)
    wait_for(lambda: attempted(ids), what="every package's first attempt")
    assert upstream.count("/github/") == 10  # 4 calls a package: two packages and a half, then refused unsent
    assert upstream.count("/pypi/") == 12  # PyPI's budget is its own
    assert Package.objects.filter(pk__in=ids, latest_version__number=PYPI["info"]["version"]).count() == 12


def test_a_rate_limit_answer_pauses_that_host_for_every_thread_and_no_other(celery_processes, upstream):
    ids = [p.pk for p in make_packages(12)]
    upstream.failing["/github/"] = 429
    celery_processes.worker(concurrency=4, pool="threads", PYPI_JSON_URL=other_host(upstream.pypi_url))
    for pk in ids:
        celery_processes.call("fetchers.tasks.refresh_package", pk)
    wait_for(lambda: attempted(ids), what="every package's first attempt")
    assert upstream.count("/github/") <= 4  # at most the threads that were already waiting for an answer
    assert upstream.count("/pypi/") == 12
    assert all("rate limited by" in error for error in Package.objects.filter(pk__in=ids).values_list("fetch_error", flat=True))
