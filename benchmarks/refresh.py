"""Refresh throughput: N packages through real Celery workers on Redis, against a fake upstream.

    .venv/bin/python benchmarks/refresh.py [--packages 2000] [--latency 0.05] [--workers 1,2,4]

Needs PostgreSQL and Redis on 127.0.0.1 (it creates and drops the database ``djpackages_bench``
and uses Redis databases 12 and 13). For each worker count it starts
``celery worker -P prefork -c K``, marks every package due, runs one sweep and times the
refreshes: packages per minute. It then counts upstream requests per package on a first refresh
(no stored ETags) and on a second one with nothing changed (all 304s), and the workers' peak
memory (the sum of every worker process's VmHWM).
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
os.environ.update(
    DJANGO_SETTINGS_MODULE="djpackages.settings",
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
    CELERY_BROKER_URL="redis://127.0.0.1:6379/13",
    CACHE_URL="redis://127.0.0.1:6379/12",
    RATE_LIMIT_STORAGE_URL="redis://127.0.0.1:6379/12",
    RATE_LIMIT_GITHUB="1000000/hour",
    RATE_LIMIT_PYPI="1000000/hour",
    DEBUG="off",
    SECRET_KEY="benchmark",
    LOG_LEVEL="WARNING",
)


def peak_memory_kib(pid):
    """Sum of VmHWM over ``pid`` and its descendants (KiB)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
            todo += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            pass
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per upstream answer")
    parser.add_argument("--workers", default="1,2,4", help="worker process counts to try")
    args = parser.parse_args()

    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {DB}", "-c", f"CREATE DATABASE {DB}"], check=True)
    from tests.upstream import FakeUpstream

    upstream = FakeUpstream(latency=args.latency).start()
    os.environ.update(GITHUB_API_URL=upstream.github_url, PYPI_JSON_URL=upstream.pypi_url)

    import django

    django.setup()
    import redis
    from django.core.management import call_command

    from categories.models import Category
    from fetchers.models import StoredResponse
    from fetchers.tasks import sweep
    from packages.models import Package

    call_command("migrate", verbosity=0)
    category = Category.objects.create(title="App", slug="apps")
    Package.objects.bulk_create(
        Package(title=f"p{i}", slug=f"p{i}", category=category, repo_url=f"https://github.com/bench/p{i}", pypi_url=f"p{i}")
        for i in range(args.packages)
    )
    os.environ["REFRESH_SWEEP_SIZE"] = str(args.packages)
    print(f"{args.packages} packages, upstream latency {args.latency * 1000:.0f} ms")

    def run(processes, forget_etags):
        for number in (12, 13):
            redis.Redis.from_url(f"redis://127.0.0.1:6379/{number}").flushdb()
        Package.objects.update(last_fetched=None, last_attempted_at=None)
        if forget_etags:
            StoredResponse.objects.all().delete()
        before = len(upstream.requests)
        worker = subprocess.Popen(
            [str(Path(sys.executable).with_name("celery")), "-A", "djpackages", "worker", "-P", "prefork",
             "-c", str(processes), "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT, env=os.environ, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(3)
        start = time.monotonic()
        sweep.delay()
        while Package.objects.filter(last_fetched__isnull=True).exists():
            time.sleep(0.5)
        elapsed = time.monotonic() - start
        memory = peak_memory_kib(worker.pid)
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait()
        answers = upstream.requests[before:]
        return elapsed, len(answers), sum(status == 304 for _, status in answers), memory

    for processes in [int(n) for n in args.workers.split(",")]:
        elapsed, calls, _, memory = run(processes, forget_etags=True)
        print(f"{processes} worker process(es): {args.packages / elapsed * 60:8.0f} packages/min "
              f"({elapsed:.1f} s), {calls / args.packages:.2f} requests/package, peak memory {memory / 1024:.0f} MiB")
    elapsed, calls, not_modified, memory = run(max(int(n) for n in args.workers.split(",")), forget_etags=False)
    print(f"second refresh, nothing changed: {calls / args.packages:.2f} requests/package, "
          f"{not_modified / calls:.0%} answered 304, {args.packages / elapsed * 60:.0f} packages/min")
    upstream.stop()


if __name__ == "__main__":
    main()
