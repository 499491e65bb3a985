"""API throughput next to a bare Django view, under gunicorn on PostgreSQL, measured with wrk.

    .venv/bin/python benchmarks/api.py [--duration 20] [--warmup 5] [--rounds 3] [--connections 16]

Builds the database ``djpackages_apibench`` (dropped and created again) from the real documents
(``../shared/data/djangopackages-v4``, else the bundled sample) plus synthetic packages and grids
up to 5,000 packages and 400 grids (1-3 grids per synthetic package), starts gunicorn with the
production settings (DEBUG off, 2 sync workers, Redis cache) and runs ``wrk -t2 -c16`` on each
request in interleaved rounds. Prints req/s, p50 and p99 per request and round, the median over
rounds as a share of the bare view, queries per request (first and repeated), and the workers'
peak memory. ``--no-cache`` measures the answers rendered every time, as right after a write.

``--mixed`` measures the production case instead: wrk (a Lua script) rotates over more than 1,000
paths (package details by id and slug, lists with several limits and offsets and filters, grids,
categories, searches, browsable pages) while a writer process changes served facts of random
packages (through ``save()``, as a refresh does: search entries follow) 0, 1 and 10 times a
second, or only their refresh bookkeeping 10 times a second. Each run prints req/s, p50/p99,
errors, the response cache's hit rate (``X-Cache``) and its ratio to the no-write run of the
same round. Needs PostgreSQL and Redis on 127.0.0.1 and Debian's ``wrk``.
"""
import argparse
import multiprocessing
import os
import random
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
    ("search q=django", "/api/v4/search/?q=django", None),
]
# Targets as shares of the bare view: answers from the cache, and answers rendered every time.
CACHED_TARGETS = {"/api/v4/packages/1327/": 0.50, "/api/v4/packages/": 0.25, "/api/v4/packages/?limit=100": 0.10,
           "/api/v4/grids/": 0.10, "/api/v4/packages/1327/?format=api": 0.10}
RENDERED_TARGETS = {"/api/v4/packages/1327/": 0.25, "/api/v4/packages/": 0.10, "/api/v4/packages/?limit=100": 0.04,
                    "/api/v4/grids/": 0.08, "/api/v4/packages/1327/?format=api": 0.10, "/api/v4/search/?q=django": 0.05}
# (name, kind of write, writes a second, target ratio to the no-write run)
MIXED_RUNS = [("no writes", None, 0, None), ("1 write/s of served facts", "served", 1, 0.8),
              ("10 writes/s of served facts", "served", 10, 0.5), ("10 writes/s of bookkeeping only", "bookkeeping", 10, 0.95)]
LUA = """
local paths = {}
for line in io.lines("%s") do
  local kind, path = line:match("^(%%a) (.*)$")
  paths[#paths + 1] = {path = path, headers = {Accept = kind == "h" and "text/html" or "application/json"}}
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) hits, misses, counter = 0, 0, math.random(#paths) end
function request()
  counter = counter %% #paths + 1
  return wrk.format("GET", paths[counter].path, paths[counter].headers)
end
function response(status, headers, body)
  if headers["X-Cache"] == "hit" then hits = hits + 1 elseif headers["X-Cache"] == "miss" then misses = misses + 1 end
end
function done(summary, latency, requests)
  local h, m = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); m = m + t:get("misses") end
  io.write(string.format("cache hits %%d misses %%d\\n", h, m))
end
"""


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


def mixed_paths():
    """``[(accept kind "j" or "h", path)]``: more than 1,000 paths a mix of clients asks for."""
    from categories.models import Category
    from grids.models import Grid
    from packages.models import Package

    ids = list(Package.objects.order_by("?").values_list("pk", "slug")[:900])
    paths = [("j", f"/api/v4/packages/{pk}/") for pk, _ in ids[:400]]
    paths += [("j", f"/api/v4/packages/{slug}/") for _, slug in ids[400:800]]
    paths += [("h", f"/api/v4/packages/{pk}/?format=api") for pk, _ in ids[800:860]]
    paths += [("j", f"/api/v4/packages/?limit={limit}&offset={offset}") for limit in (20, 50, 100) for offset in range(0, 1000, 100)]
    paths += [("j", f"/api/v4/packages/?ordering={order}") for order in ("-repo_watchers", "title", "-last_updated", "-score")]
    paths += [("j", f"/api/v4/packages/?category={c}") for c in Category.objects.values_list("slug", flat=True)]
    paths += [("h", "/api/v4/packages/?format=api"), ("h", "/api/v4/grids/?format=api"), ("j", "/api/v4/")]
    grids = list(Grid.objects.order_by("?").values_list("pk", "slug")[:120])
    paths += [("j", f"/api/v4/grids/{pk}/") for pk, _ in grids[:100]]
    paths += [("j", f"/api/v4/packages/?grid={slug}") for _, slug in grids[100:]]
    paths += [("j", f"/api/v4/grids/?limit=20&offset={offset}") for offset in range(0, 400, 40)]
    paths += [("j", f"/api/v4/categories/{pk}/") for pk in Category.objects.values_list("pk", flat=True)]
    paths += [("j", "/api/v4/categories/")]
    words = ["django", "rest", "admin", "auth", "cache", "celery", "forms", "api", "search", "hstore", "debug", "test",
             "filter", "storage", "email", "json", "graphql", "oauth", "cms", "tags", "synthetic", "grid", "djngo", "csv"]
    paths += [("j", f"/api/v4/search/?q={word}") for word in words]
    random.Random(1).shuffle(paths)
    return paths


def write_loop(kind, rate, seconds, done):
    """Change ``rate`` random packages a second for ``seconds``: their stars through ``save()``
    (``served``) or only their refresh bookkeeping (``bookkeeping``); puts the count in ``done``."""
    from django.db import connection
    from django.db.models import F
    from django.utils import timezone

    from packages.models import Package

    connection.close()  # the forked process opens its own
    ids = list(Package.objects.values_list("pk", flat=True))
    pick, count, start = random.Random(2), 0, time.monotonic()
    while time.monotonic() - start < seconds:
        pk = pick.choice(ids)
        if kind == "served":
            package = Package.objects.get(pk=pk)
            package.repo_watchers += 1
            package.save(update_fields=["repo_watchers"])
        else:
            Package.objects.filter(pk=pk).update(last_attempted_at=timezone.now(), fetch_error_count=F("fetch_error_count") + 1)
        count += 1
        time.sleep(max(0.0, start + count / rate - time.monotonic()))
    done.put(count)


def wrk(path, accept, seconds, connections, script=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{PORT}{path}"]
    if accept:
        cmd[1:1] = ["-H", f"Accept: {accept}"]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {p: _ms(v) for p, v in re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M)}
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    status = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = (sum(map(int, socket.groups())) if socket else 0) + (int(status.group(1)) if status else 0)
    cache = re.search(r"cache hits (\d+) misses (\d+)", out)
    hit_rate = int(cache.group(1)) / max(1, int(cache.group(1)) + int(cache.group(2))) if cache else None
    return rps, pct["50"], pct["99"], errors, hit_rate


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


def single_requests(args):
    """Each request of ``REQUESTS`` alone, in interleaved rounds; the table against the targets."""
    results = {path: [] for _, path, _ in REQUESTS}
    for round_number in range(1, args.rounds + 1):
        for name, path, accept in REQUESTS:
            wrk(path, accept, args.warmup, args.connections)
            rps, p50, p99, errors, _ = wrk(path, accept, args.duration, args.connections)
            results[path].append((rps, p50, p99, errors))
            print(f"round {round_number}  {name:34} {rps:8.0f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  errors {errors}")
    targets = RENDERED_TARGETS if args.no_cache else CACHED_TARGETS
    bare = statistics.median(r[0] for r in results["/bench/bare/"])
    print(f"\nmedian of {args.rounds} rounds, wrk -t2 -c{args.connections} {args.duration}s, gunicorn 2 sync workers, "
          f"{'rendered every time' if args.no_cache else 'from the cache'}:")
    for name, path, _ in REQUESTS:
        rps = statistics.median(r[0] for r in results[path])
        p50 = statistics.median(r[1] for r in results[path])
        p99 = statistics.median(r[2] for r in results[path])
        target = targets.get(path)
        verdict = "" if target is None else f"  target {target:.0%}: {'met' if rps / bare >= target else 'NOT met'}"
        print(f"  {name:34} {rps:8.0f} req/s  {rps / bare:6.1%} of bare  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms{verdict}")
    print(f"  errors: {sum(r[3] for rs in results.values() for r in rs)}")


def mixed_workload(args):
    """``MIXED_RUNS`` in interleaved rounds over ``mixed_paths()``; each run's ratio to the no-write run."""
    paths = mixed_paths()
    listing = ROOT / "benchmarks" / ".mixed-paths.txt"
    listing.write_text("".join(f"{kind} {path}\n" for kind, path in paths))
    script = ROOT / "benchmarks" / ".mixed.lua"
    script.write_text(LUA % listing)
    print(f"mixed workload over {len(paths)} paths")
    from django.db import connection

    connection.close()
    fork = multiprocessing.get_context("fork")
    results = {name: [] for name, *_ in MIXED_RUNS}
    try:
        for round_number in range(1, args.rounds + 1):
            for name, kind, rate, _ in MIXED_RUNS:
                done, writer = fork.Queue(), None
                if kind:
                    writer = fork.Process(target=write_loop, args=(kind, rate, args.warmup + args.duration + 1, done))
                    writer.start()
                wrk("/", None, args.warmup, args.connections, script=str(script))
                rps, p50, p99, errors, hits = wrk("/", None, args.duration, args.connections, script=str(script))
                writes = 0
                if writer:
                    writer.join()
                    writes = done.get()
                results[name].append((rps, p50, p99, errors, hits))
                print(f"round {round_number}  {name:32} {rps:8.0f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  "
                      f"errors {errors}  cache hits {hits:.1%}  writes {writes}")
    finally:
        listing.unlink(missing_ok=True)
        script.unlink(missing_ok=True)
    print(f"\nmedian of {args.rounds} rounds, wrk -t2 -c{args.connections} {args.duration}s, gunicorn 2 sync workers:")
    for name, _, _, target in MIXED_RUNS:
        runs = results[name]
        ratios = [run[0] / base[0] for run, base in zip(runs, results["no writes"], strict=True)]
        ratio = statistics.median(ratios)
        verdict = "" if target is None else f"  target {target:.2f}x: {'met' if ratio >= target else 'NOT met'}"
        print(f"  {name:32} {statistics.median(r[0] for r in runs):8.0f} req/s  {ratio:5.2f}x of no writes  "
              f"p50 {statistics.median(r[1] for r in runs):6.2f} ms  p99 {statistics.median(r[2] for r in runs):6.2f} ms  "
              f"errors {sum(r[3] for r in runs)}  cache hits {statistics.median(r[4] for r in runs):.1%}{verdict}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-cache", action="store_true", help="render every answer (API_CACHE=off): the cost after a write")
    parser.add_argument("--mixed", action="store_true", help="the production case: many paths, with writes")
    parser.add_argument("--reuse-database", action="store_true", help="keep the benchmark database of an earlier run")
    args = parser.parse_args()
    if args.no_cache:
        ENV["API_CACHE"] = os.environ["API_CACHE"] = "off"
    if args.reuse_database:
        import django

        django.setup()
    else:
        build_database()
    subprocess.run(["redis-cli", "-n", "11", "flushdb"], check=True, capture_output=True)
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "djpackages.wsgi", "-w", "2", "-b", f"127.0.0.1:{PORT}",
         "--access-logfile", "/dev/null"],
        cwd=ROOT, env={**os.environ, **ENV}, start_new_session=True,
    )
    try:
        time.sleep(3)
        (mixed_workload if args.mixed else single_requests)(args)
        memory, workers = peak_memory_mib(gunicorn.pid)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait()
    print("queries per request (in-process, same settings):")
    query_counts()
    print(f"gunicorn workers' peak memory: {memory:.0f} MiB over {workers} workers")


if __name__ == "__main__":
    main()
