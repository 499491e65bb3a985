"""The refresh pipeline end to end, with real Celery workers and beat on the real Redis broker."""
import json

import redis
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from categories.models import Category
from packages.models import Package
from tests.pipeline.conftest import BROKER_DB, REDIS, wait_for
from tests.upstream import PARTICIPATION, PYPI, stars_of


def make_packages(count):
    category = Category.objects.create(title="App", slug="apps")
    return [
        Package.objects.create(
            title=f"P{i}", slug=f"p{i}", category=category,
            repo_url=f"https://github.com/owner/p{i}", pypi_url=f"https://pypi.org/project/p{i}/",
        )
        for i in range(count)
    ]


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
    every_two_seconds = IntervalSchedule.objects.create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.exclude(name="Tick test").update(enabled=False)
    PeriodicTask.objects.create(name="Tick test", task="fetchers.tasks.sweep", interval=every_two_seconds, expire_seconds=2)
    beat = celery_processes.start("beat", "--loglevel=INFO", "-s", str(celery_processes.tmp_path / "beat-schedule"), name="beat")

    def ticks():
        return celery_processes.output(beat).count("Sending due task Tick test")

    wait_for(lambda: ticks() >= 2, timeout=30, what="two beat ticks")
    celery_processes.kill(beat)
    queue = celery_processes.env["CELERY_QUEUE"]
    queued = [json.loads(m) for m in redis.Redis.from_url(f"{REDIS}/{BROKER_DB}").lrange(queue, 0, -1)]
    assert len(queued) == ticks() >= 2
    assert {m["headers"]["task"] for m in queued} == {"fetchers.tasks.sweep"}
    assert all(m["headers"]["expires"] for m in queued)  # a sweep left waiting drops instead of piling up
