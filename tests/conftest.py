"""Fixtures shared by the whole suite: the bundled sample of real v4 documents, and a small shelf of packages."""
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from categories.models import Category
from core.models import Change, Validator
from grids.models import Grid, GridPackage
from packages.models import Package, Version

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "djangopackages-v4"
UPSTREAM = "https://djangopackages.org"
# The team's shared folder beside the checkout (DJP_SHARED_DIR overrides where): the real dataset
# and the conformance checker. CI always has it; tests that need it skip, saying so, without it.
SHARED = Path(os.environ.get("DJP_SHARED_DIR", ROOT.parent / "shared"))
DATASET = SHARED / "data" / "djangopackages-v4"


def sample_documents(kind="packages"):
    """``{id: raw text}`` of every bundled document of ``kind``."""
    folder = SAMPLE / kind
    return {int(p.stem): p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.json"))}


def ordered_json(text):
    """Parse JSON keeping key order: objects become lists of (key, value) pairs."""
    return json.loads(text, object_pairs_hook=list)


@pytest.fixture(autouse=True)
def refreshes_inline(settings):
    """Eager tasks run inside the caller, where the test's transaction is visible; the tests of
    background refreshes (``tests/pipeline/test_background.py``) turn the threads back on."""
    settings.REFRESH_THREADS = 0


@pytest.fixture(autouse=True)
def empty_api_cache():
    """Each test starts with no cached API answers (a rolled-back test may reuse a validator value)."""
    caches["api"].clear()


def _table_rows(model):
    """Every row of ``model``'s table, as tuples of its concrete columns' values (attribute names)."""
    return list(model._default_manager.order_by("pk").values_list(*_columns(model)))


def _columns(model):
    return [f.attname for f in model._meta.concrete_fields]


# Tables the database's triggers write (validators, the change feed): copied as the import left them.
TRIGGER_WRITTEN = (Validator, Change)


@pytest.fixture(scope="session")
def sample_rows(django_db_setup, django_db_blocker):
    """What importing the bundled sample writes, imported once per session: ``{model: [row tuples]}``.

    The import runs in a transaction that is rolled back, so the database stays as migrated; the
    ``sample`` fixture writes these rows again inside each test's own transaction. The tables the
    database's triggers write (validators, change feed) are kept whole, as the import left them.
    """
    models = apps.get_models(include_auto_created=True)
    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: _table_rows(model) for model in models}
        call_command("import_v4", str(SAMPLE), stdout=open("/dev/null", "w"))
        after = {model: _table_rows(model) for model in models}
        transaction.set_rollback(True)
    changed = {model: rows for model, rows in after.items() if rows != before[model]}
    # Only tables the migrations left empty can be copied row for row (besides the validators)
    assert all(not before[model] for model in changed if model not in TRIGGER_WRITTEN), "the import changed migrated rows"
    return changed


@pytest.fixture
def sample(db, sample_rows):
    """The bundled sample, as ``import_v4`` leaves it, in the test database; returns its documents."""
    with transaction.atomic():  # the foreign keys are checked at the end, whatever the order of the tables
        for model, rows in sample_rows.items():
            if model in TRIGGER_WRITTEN:
                continue
            names = _columns(model)
            model._default_manager.bulk_create([model(**dict(zip(names, row, strict=True))) for row in rows])
        for model in TRIGGER_WRITTEN:  # what the triggers wrote for the inserts above, replaced by the import's own
            model._default_manager.all().delete()
            names = _columns(model)
            model._default_manager.bulk_create([model(**dict(zip(names, row, strict=True))) for row in sample_rows.get(model, [])])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(sample_rows)):
                cursor.execute(statement)
    return sample_documents()


@pytest.fixture
def shelf(db):
    """Packages on several hosts with known facts, in two categories and two grids."""
    now = timezone.now()
    apps = Category.objects.create(title="App", slug="apps")
    frameworks = Category.objects.create(title="Framework", slug="frameworks")
    rows = {
        "gh": dict(repo_url="https://github.com/a/gh", repo_watchers=50, repo_forks=5, supports_python3=True, last_commit_date=now - timedelta(days=3), last_fetched=now),
        "gl": dict(repo_url="https://gitlab.com/a/b/gl", repo_watchers=10, repo_forks=9, supports_python3=False, last_commit_date=now - timedelta(days=400)),
        "bb": dict(repo_url="https://bitbucket.org/a/bb", repo_watchers=30, repo_forks=1, date_repo_archived=now),
        "cb": dict(repo_url="https://codeberg.org/a/cb", repo_watchers=30, repo_forks=2, category=frameworks),
        "self": dict(repo_url="https://git.example.org/a/self", repo_host="gitlab", repo_watchers=1),
        "none": dict(repo_url="", repo_watchers=0, score=7),
    }
    packages = {}
    for slug, fields in rows.items():
        fields.setdefault("category", apps)
        packages[slug] = Package.objects.create(title=slug.upper(), slug=slug, **fields)
    release = Version.objects.create(package=packages["gh"], number="1.0")
    Package.objects.filter(pk=packages["gh"].pk).update(latest_version=release)
    web = Grid.objects.create(title="Web", slug="web")
    GridPackage.objects.create(grid=web, package=packages["gh"])
    GridPackage.objects.create(grid=web, package=packages["cb"])
    Grid.objects.create(title="Empty", slug="empty")
    return packages, web
