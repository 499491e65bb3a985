"""Refresh throughput: N packages through real Celery workers on Redis, against a fake upstream.

    .venv/bin/python benchmarks/refresh.py [--packages 2000] [--latency 0.05] [--pools prefork:1,threads:32,threads:16x2]

Needs PostgreSQL and Redis on 127.0.0.1 (it creates and drops the database ``djpackages_bench``
and uses Redis databases 12 and 13, or the two that ``BENCH_REDIS_DBS`` names, e.g. ``4,5``). For each pool (``prefork:K`` is ``celery worker -P prefork
-c K``, ``threads:K`` one process of K threads, ``threads:KxN`` N such processes) it marks every package due, runs one sweep and
times the refreshes: packages per minute, the worker's CPU time per package (user + system of
every worker process, from /proc) and its peak memory (the sum of every worker process's VmHWM).
It then refreshes again with the last pool and nothing changed (all 304s). Each figure is printed
beside the issue's target. Given several sizes (``--packages 1000,20000``) it runs each in a fresh
database and compares the highest peak memory of the smallest and largest ("flat": at most 10% more).
"""
import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "djpackages_bench"
CACHE_DB, BROKER_DB = (int(n) for n in os.environ.get("BENCH_REDIS_DBS", "12,13").split(","))
os.environ.update(
    DJANGO_SETTINGS_MODULE="djpackages.settings",
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
    CELERY_BROKER_URL=f"redis://127.0.0.1:6379/{BROKER_DB}",
    CACHE_URL=f"redis://127.0.0.1:6379/{CACHE_DB}",
    RATE_LIMIT_STORAGE_URL=f"redis://127.0.0.1:6379/{CACHE_DB}",
    RATE_LIMIT_GITHUB="1000000/hour",
    RATE_LIMIT_PYPI="1000000/hour",
    DEBUG="off",
    SECRET_KEY="benchmark",
    LOG_LEVEL="WARNING",
)


TARGETS = {"first": 1200, "unchanged": 3000, "cpu_ms": 40, "memory_mib": 300, "memory_growth_percent": 10}
TICKS = os.sysconf("SC_CLK_TCK")


def _tree(pid):
    """``pid`` and its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            todo += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return found


def peak_memory_kib(pid):
    """Sum of VmHWM over ``pid`` and its descendants (KiB)."""
    total = 0
    for current in _tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            pass
    return total


def cpu_seconds(pid):
    """User + system CPU seconds of ``pid`` and its descendants so far."""
    total = 0
    for current in _tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / TICKS


def args_label(pool):
    """``threads:16x2`` for 2 processes of 16 threads."""
    name, concurrency, processes = pool
    return f"{name}:{concurrency}" + (f"x{processes}" if processes > 1 else "")


def versus(value, target, higher_is_better=True):
    """"(target ≥T: met)" or "(target ≤T: NOT met)": ``target`` and whether ``value`` meets it."""
    met = value >= target if higher_is_better else value <= target
    return f"(target {'≥' if higher_is_better else '≤'}{target}: {'met' if met else 'NOT met'})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", default="2000", help="how many packages; several (e.g. 1000,20000) to compare peak memory")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per upstream answer")
    parser.add_argument("--pools", default="prefork:1,threads:32,threads:16x2", help="worker pools to try, pool:concurrency")
    args = parser.parse_args()
    sizes = [int(n) for n in args.packages.split(",")]

    from tests.upstream import FakeUpstream

    upstream = FakeUpstream(latency=args.latency).start()
    os.environ.update(GITHUB_API_URL=upstream.github_url, PYPI_JSON_URL=upstream.pypi_url)
    import django

    django.setup()
    peaks = {size: bench(size, [parse(spec) for spec in args.pools.split(",")], upstream) for size in sizes}
    if len(sizes) > 1:
        low, high = min(sizes), max(sizes)
        growth = peaks[high] / peaks[low] - 1
        print(f"peak memory {peaks[low]:.0f} MiB at {low} packages, {peaks[high]:.0f} MiB at {high}: "
              f"{growth:+.0%} {versus(growth * 100, TARGETS['memory_growth_percent'], False)}")
    upstream.stop()


def parse(spec):
    """``"threads:16x2"`` -> ``("threads", 16, 2)``."""
    pool, _, size = spec.partition(":")
    concurrency, _, processes = size.partition("x")
    return pool, int(concurrency), int(processes or 1)


def bench(packages, pools, upstream):
    """Refresh ``packages`` packages with each pool in turn (first refreshes), then once more with
    the last pool and nothing changed; print each run's figures. Returns the highest peak memory (MiB)."""
    import redis
    from django.core.management import call_command
    from django.db import connections

    from categories.models import Category
    from fetchers.models import StoredResponse
    from fetchers.tasks import sweep
    from packages.models import Package

    connections.close_all()
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {DB}", "-c", f"CREATE DATABASE {DB}"], check=True)
    call_command("migrate", verbosity=0)
    category = Category.objects.create(title="App", slug="apps")
    Package.objects.bulk_create(
        (Package(title=f"p{i}", slug=f"p{i}", category=category, repo_url=f"https://github.com/bench/p{i}", pypi_url=f"p{i}")
         for i in range(packages)), batch_size=1000,
    )
    os.environ["REFRESH_SWEEP_SIZE"] = str(packages)
    print(f"{packages} packages, upstream latency {upstream.latency * 1000:.0f} ms")

    def run(pool, concurrency, processes, forget_etags):
        for number in (CACHE_DB, BROKER_DB):
            redis.Redis.from_url(f"redis://127.0.0.1:6379/{number}").flushdb()
        Package.objects.update(last_fetched=None, last_attempted_at=None)
        if forget_etags:
            StoredResponse.objects.all().delete()
        before = len(upstream.requests)
        workers = [
            subprocess.Popen(
                [str(Path(sys.executable).with_name("celery")), "-A", "djpackages", "worker", "-P", pool,
                 "-c", str(concurrency), "-n", f"bench{n}@%h", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
                cwd=ROOT, env=os.environ, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            for n in range(processes)
        ]
        time.sleep(4)
        start, cpu_before = time.monotonic(), sum(cpu_seconds(w.pid) for w in workers)
        sweep.delay()
        while Package.objects.filter(last_fetched__isnull=True).exists():
            time.sleep(0.5)
        elapsed, cpu = time.monotonic() - start, sum(cpu_seconds(w.pid) for w in workers) - cpu_before
        memory = sum(peak_memory_kib(w.pid) for w in workers) / 1024
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait()
        answers = upstream.requests[before:]
        rate, cpu_ms = packages / elapsed * 60, cpu / packages * 1000
        return rate, cpu_ms, memory, len(answers), sum(status == 304 for _, status in answers)

    peak = 0
    for pool in pools:
        rate, cpu_ms, memory, calls, _ = run(*pool, forget_etags=True)
        peak = max(peak, memory)
        print(f"{args_label(pool)} first refresh: {rate:6.0f} packages/min {versus(rate, TARGETS['first'])}, "
              f"CPU {cpu_ms:.1f} ms/package {versus(cpu_ms, TARGETS['cpu_ms'], False)}, "
              f"peak memory {memory:.0f} MiB {versus(memory, TARGETS['memory_mib'], False)}, "
              f"{calls / packages:.2f} requests/package")
    rate, cpu_ms, memory, calls, not_modified = run(*pools[-1], forget_etags=False)
    peak = max(peak, memory)
    print(f"{args_label(pools[-1])} unchanged refresh: {rate:6.0f} packages/min {versus(rate, TARGETS['unchanged'])}, "
          f"CPU {cpu_ms:.1f} ms/package {versus(cpu_ms, TARGETS['cpu_ms'], False)}, "
          f"peak memory {memory:.0f} MiB {versus(memory, TARGETS['memory_mib'], False)}, "
          f"{calls / packages:.2f} requests/package, {not_modified / max(calls, 1):.0%} answered 304")
    return peak


if __name__ == "__main__":
    main()
