"""Search latency over the bundled sample and over a synthetic 20,000-package catalogue.

Run from the project folder; it uses the database ``DATABASE_URL`` names (SQLite by default) but
works in a throwaway test database, so no real data is touched:

    .venv/bin/python benchmarks/search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/djpackages .venv/bin/python benchmarks/search.py

Prints, per query, the median and 95th percentile of ``GET /api/v4/search/?q=`` (the whole
request: ranking, serializing, JSON), and how long indexing the synthetic set took.
"""
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djpackages.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from categories.models import Category  # noqa: E402
from grids.models import Grid, GridPackage  # noqa: E402
from packages.models import Package  # noqa: E402
from search.index import rebuild  # noqa: E402

QUERIES = [
    "django", "hstore", "static", "chat", "Framewrok", "rest framework", '"rest framework" -token', "dj",
    "permissions", "zzyzx", "!@#$%^&*()", "x" * 10_000,
]
RUNS = 25
SYNTHETIC_PACKAGES = 20_000
SYNTHETIC_GRIDS = 500
COMMON = ["django", "app", "framework", "rest", "api", "admin", "static", "files", "forms", "cache", "auth", "tags"]


def measure(client, label):
    """Print median and p95 latency (ms) of each query."""
    print(f"\n{label} ({connection.vendor}, {RUNS} runs per query)")
    print(f"  {'query':<28} {'results':>7} {'median ms':>10} {'p95 ms':>8}")
    for query in QUERIES:
        timings, count = [], 0
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.get("/api/v4/search/", {"q": query})
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
            count = len(response.json())
        timings.sort()
        shown = query if len(query) <= 26 else query[:12] + f"...({len(query)} chars)"
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"  {shown:<28} {count:>7} {statistics.median(timings):>10.2f} {p95:>8.2f}")


def pseudo_word(rng):
    """A pronounceable made-up word, so the vocabulary is large like real descriptions."""
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))


def synthesize(rng):
    """Bulk-create the synthetic catalogue (no signals) and return the seconds a full rebuild took."""
    vocabulary = [pseudo_word(rng) for _ in range(3000)] + COMMON * 20
    category = Category.objects.create(title="Synthetic", slug="synthetic", title_plural="Synthetics")
    now = timezone.now()
    packages = []
    for i in range(SYNTHETIC_PACKAGES):
        name = f"{rng.choice(COMMON)}-{pseudo_word(rng)}-{i}"
        packages.append(Package(
            title=name.replace("-", " ").title(), slug=name, category=category,
            repo_description=" ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 25))),
            repo_watchers=int(rng.paretovariate(1.2)) - 1, repo_forks=rng.randint(0, 50),
            participants=[pseudo_word(rng) for _ in range(rng.randint(0, 6))],
            last_commit_date=now - timezone.timedelta(days=rng.randint(0, 3000)),
            supports_python3=rng.random() < 0.8, pypi_downloads=rng.randint(0, 100_000),
        ))
    created = Package.objects.bulk_create(packages, batch_size=2000)
    grids = Grid.objects.bulk_create(
        Grid(title=f"{rng.choice(COMMON).title()} {pseudo_word(rng)}", slug=f"synthetic-grid-{i}",
             description=" ".join(rng.choice(vocabulary) for _ in range(10)), is_locked=rng.random() < 0.3)
        for i in range(SYNTHETIC_GRIDS)
    )
    GridPackage.objects.bulk_create(
        (GridPackage(grid=grid, package=package) for grid in grids for package in rng.sample(created, 8)),
        batch_size=2000,
    )
    start = time.perf_counter()
    rebuild()
    seconds = time.perf_counter() - start
    if connection.vendor == "postgresql":  # what autovacuum would do after a bulk load (GIN pending lists)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return seconds


def main():
    """Create a throwaway database, measure on the sample, then on the synthetic catalogue."""
    if connection.vendor == "postgresql":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "djpackages_search_benchmark"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("import_v4", str(ROOT / "sample_data" / "djangopackages-v4"), stdout=open(os.devnull, "w"))
        client = Client()
        measure(client, f"Sample: {Package.objects.count()} packages")
        seconds = synthesize(random.Random(5))
        print(f"\nIndexed {Package.objects.count()} packages and {Grid.objects.count()} grids in {seconds:.1f} s")
        measure(client, f"Synthetic: {Package.objects.count()} packages, {Grid.objects.count()} grids")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
