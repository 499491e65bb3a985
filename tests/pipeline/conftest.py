"""Real Celery processes on the real Redis broker, against the test database and a local fake upstream.

Each worker or beat runs as its own process (``celery -A djpackages ...``) with an environment
that points it at the test database, two Redis databases (``TEST_REDIS_DBS``, default 14 for the cache and
rate-limit budgets, 15 for the broker), and the fake upstream's URLs.
"""
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection

from tests.upstream import FakeUpstream

# The Redis server and the two database numbers (cache, broker) the suite owns and flushes;
# runs side by side (or a Redis holding other data) set TEST_REDIS_URL / TEST_REDIS_DBS apart.
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
CACHE_DB, BROKER_DB = (int(n) for n in os.environ.get("TEST_REDIS_DBS", "14,15").split(","))
# The key that marks a Redis database as the suite's: only an empty database or one holding it is flushed.
OWNER_KEY = "djpackages-test-suite"
CELERY = str(Path(sys.executable).with_name("celery"))
ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout=60, what="condition"):
    """Poll ``predicate`` every 0.2 s until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


def database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def upstream():
    server = FakeUpstream().start()
    yield server
    server.stop()


def claim_redis_database(number):
    """Empty Redis database ``number`` for a test, and mark it as the suite's (``OWNER_KEY``).

    A database holding keys without that mark was not made by the suite: the test fails, naming it,
    and the database is left as it is."""
    client = redis.Redis.from_url(f"{REDIS}/{number}")
    if client.dbsize() and not client.exists(OWNER_KEY):
        pytest.fail(
            f"Redis database {number} at {REDIS} holds {client.dbsize()} key(s) this suite did not write, so it is left "
            f"alone: set TEST_REDIS_DBS to two free database numbers (cache,broker; now {CACHE_DB},{BROKER_DB})"
        )
    client.flushdb()
    client.set(OWNER_KEY, "the djpackages test suite flushes this database; see tests/pipeline/conftest.py")


@pytest.fixture
def celery_env(transactional_db, upstream):
    """The environment of the Celery processes; both Redis databases start empty, and the queue
    has a name of its own so that no stray worker of an earlier run can take its tasks."""
    try:
        for number in (CACHE_DB, BROKER_DB):
            claim_redis_database(number)
    except redis.ConnectionError as error:  # CI starts Redis first (.ci/run), so there this never skips
        pytest.skip(f"these tests run real Celery processes on Redis at {REDIS}, which is not reachable: {error}")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "djpackages.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": f"{REDIS}/{BROKER_DB}",
        "CACHE_URL": f"{REDIS}/{CACHE_DB}",
        "RATE_LIMIT_STORAGE_URL": f"{REDIS}/{CACHE_DB}",
        "GITHUB_API_URL": upstream.github_url,
        "PYPI_JSON_URL": upstream.pypi_url,
        "CELERY_VISIBILITY_TIMEOUT": "60",
        "CELERY_QUEUE": f"test-{uuid.uuid4().hex}",
        "REFRESH_INTERVAL_HOURS": "1",
    }


class Processes:
    """Celery processes started by a test, each in its own process group, all killed at the end."""

    def __init__(self, env, tmp_path):
        self.env, self.tmp_path, self.started = env, tmp_path, []

    def start(self, *args, name="worker", **env):
        log = open(self.tmp_path / f"{name}-{len(self.started)}.log", "w+")
        proc = subprocess.Popen(
            [CELERY, "-A", "djpackages", *args], cwd=ROOT, env={**self.env, **env},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        proc.log = log
        self.started.append(proc)
        return proc

    def worker(self, concurrency=2, pool="prefork", **env):
        """A worker (``pool``: prefork or threads); returns once it is ready for tasks."""
        proc = self.start("worker", "-P", pool, "-c", str(concurrency), "-n", f"w{len(self.started)}@%h",
                          "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO", **env)
        wait_for(lambda: "ready." in self.output(proc), what="the worker to be ready")
        return proc

    def call(self, task, *args):
        """Send ``task`` to the broker as a client would (``celery call``)."""
        cmd = [CELERY, "-A", "djpackages", "call", task]
        if args:
            cmd.append("--args=" + str(list(args)))
        subprocess.run(cmd, cwd=ROOT, env=self.env, check=True, capture_output=True, timeout=60)

    @staticmethod
    def output(proc):
        proc.log.flush()
        return Path(proc.log.name).read_text()

    @staticmethod
    def kill(proc):
        """SIGKILL the process and every child it forked."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)


@pytest.fixture
def celery_processes(celery_env, tmp_path):
    procs = Processes(celery_env, tmp_path)
    yield procs
    for proc in procs.started:
        procs.kill(proc)
        proc.log.close()


@pytest.fixture
def unreachable_broker(monkeypatch):
    """Tasks are sent for real (not run eagerly) to a Redis broker at a port where nothing listens."""
    from djpackages.celery import app

    with socket.socket() as probe:  # a port that was free a moment ago: connections to it are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.conf, "broker_url", f"redis://127.0.0.1:{port}/0")
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app, "_pool", None)  # the connection pools are made from broker_url on first use
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    yield
    if app._pool is not None:
        app._pool.force_close_all()
