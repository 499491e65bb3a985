"""API throughput next to a bare Django view, under gunicorn on PostgreSQL, measured with wrk.

    .venv/bin/python benchmarks/api.py [--duration 20] [--warmup 5] [--rounds 3] [--connections 16]

Builds the database ``djpackages_apibench`` (dropped and created again) from the real documents
(``../shared/data/djangopackages-v4``, else the bundled sample) plus synthetic packages and grids
up to 5,000 packages and 400 grids (1-3 grids per synthetic package), starts gunicorn with the
production settings (DEBUG off, 2 sync workers, Redis cache) and runs ``wrk -t2 -c16`` on each
request in interleaved rounds. Prints req/s, p50 and p99 per request and round, the median over
rounds as a share of the bare view, queries per request (first and repeated), and the workers'
peak memory. ``--no-cache`` measures the answers rendered every time, as right after a write. Needs PostgreSQL and Redis on 127.0.0.1 and Debian's ``wrk``.
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "djpackages_apibench"
PORT = 18901
ENV = {
    "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "CACHE_URL": "redis://127.0.0.1:6379/11",
    "DEBUG": "off",
    "SECRET_KEY": "benchmark-only",
    "ALLOWED_HOSTS": "127.0.0.1",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)
REQUESTS = [
    ("bare Django view (the limit)", "/bench/bare/", None),
    ("package detail (JSON)", "/api/v4/packages/1327/", None),
    ("package list, 20 items", "/api/v4/packages/", None),
    ("package list, limit=100", "/api/v4/packages/?limit=100", None),
    ("grid list", "/api/v4/grids/", None),
    ("package detail (browsable HTML)", "/api/v4/packages/1327/?format=api", "text/html"),
]
TARGETS = {"/api/v4/packages/1327/": 0.50, "/api/v4/packages/": 0.25, "/api/v4/packages/?limit=100": 0.10,
           "/api/v4/grids/": 0.10, "/api/v4/packages/1327/?format=api": 0.10}


def build_database():
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {DB}",
                    "-c", f"CREATE DATABASE {DB}"], check=True)
    import django

    django.setup()
    from django.core.management import call_command

    from categories.models import Category
    from grids.models import Grid, GridPackage
    from packages.models import Package

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    shared = ROOT.parent / "shared" / "data" / "djangopackages-v4"
    call_command("import_v4", str(shared if shared.is_dir() else ROOT / "sample_data" / "djangopackages-v4"), stdout=open(os.devnull, "w"))
    category = Category.objects.order_by("pk").first()
    grids = list(Grid.objects.all()) + Grid.objects.bulk_create(
        Grid(title=f"Synthetic grid {i}", slug=f"synthetic-grid-{i}", description="A grid made up for the benchmark.")
        for i in range(400 - Grid.objects.count())
    )
    missing = 5000 - Package.objects.count()
    synthetic = Package.objects.bulk_create(
        Package(title=f"django-synthetic-{i:04}", slug=f"django-synthetic-{i:04}", category=category,
                repo_url=f"https://github.com/synthetic/p{i}", repo_description="A package made up for the benchmark.",
                repo_watchers=i % 3000, repo_forks=i % 300, participants=[f"dev{i % 50}", f"dev{i % 7}"],
                commits_over_52=[i % 5] * 52, pypi_url=f"https://pypi.org/project/django-synthetic-{i:04}/")
        for i in range(missing)
    )
    GridPackage.objects.bulk_create(
        GridPackage(grid=grids[(i * 7 + k * 131) % len(grids)], package=p)
        for i, p in enumerate(synthetic) for k in range(1 + i % 3)
    )
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))
    with django.db.connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"data: {Package.objects.count()} packages, {Grid.objects.count()} grids, "
          f"{GridPackage.objects.count()} memberships")


def query_counts():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for name, path, accept in REQUESTS:
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                client.get(path, HTTP_ACCEPT=accept or "application/json")
            counts.append(len(ctx.captured_queries))
        print(f"  {name:34} {counts[0]} queries the first time, {counts[1]} when repeated")


def wrk(path, accept, seconds, connections):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{PORT}{path}"]
    if accept:
        cmd[1:1] = ["-H", f"Accept: {accept}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {p: _ms(v) for p, v in re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M)}
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    status = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = (sum(map(int, socket.groups())) if socket else 0) + (int(status.group(1)) if status else 0)
    return rps, pct["50"], pct["99"], errors


def _ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def peak_memory_mib(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    total = 0
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    return total / 1024, len(children)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-cache", action="store_true", help="render every answer (API_CACHE=off): the cost after a write")
    args = parser.parse_args()
    if args.no_cache:
        ENV["API_CACHE"] = os.environ["API_CACHE"] = "off"
    build_database()
    subprocess.run(["redis-cli", "-n", "11", "flushdb"], check=True, capture_output=True)
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "djpackages.wsgi", "-w", "2", "-b", f"127.0.0.1:{PORT}",
         "--access-logfile", "/dev/null"],
        cwd=ROOT, env={**os.environ, **ENV}, start_new_session=True,
    )
    try:
        time.sleep(3)
        results = {path: [] for _, path, _ in REQUESTS}
        for round_number in range(1, args.rounds + 1):
            for name, path, accept in REQUESTS:
                wrk(path, accept, args.warmup, args.connections)
                rps, p50, p99, errors = wrk(path, accept, args.duration, args.connections)
                results[path].append((rps, p50, p99, errors))
                print(f"round {round_number}  {name:34} {rps:8.0f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  errors {errors}")
        memory, workers = peak_memory_mib(gunicorn.pid)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait()
    bare = statistics.median(r[0] for r in results["/bench/bare/"])
    print(f"\nmedian of {args.rounds} rounds, wrk -t2 -c{args.connections} {args.duration}s, gunicorn 2 sync workers:")
    for name, path, _ in REQUESTS:
        rps = statistics.median(r[0] for r in results[path])
        p50 = statistics.median(r[1] for r in results[path])
        p99 = statistics.median(r[2] for r in results[path])
        target = TARGETS.get(path)
        verdict = "" if target is None else f"  target {target:.0%}: {'met' if rps / bare >= target else 'NOT met'}"
        tail = "ok" if p99 < 4 * p50 else "NOT under 4x p50"
        print(f"  {name:34} {rps:8.0f} req/s  {rps / bare:6.1%} of bare  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms ({tail}){verdict}")
    print(f"  errors: {sum(r[3] for rs in results.values() for r in rs)}")
    print(f"queries per request (in-process, same settings):")
    query_counts()
    print(f"gunicorn workers' peak memory: {memory:.0f} MiB over {workers} workers")


if __name__ == "__main__":
    main()
