"""Fixtures and helpers for the search tests: database guards, a catalogue on top of the bundled sample."""
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from categories.models import Category
from packages.models import Package
from tests.factories import make_grid, make_package


@pytest.fixture
def on_postgresql(db):
    """Skip on any database but PostgreSQL (full-text, trigram and tsquery behaviour)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only behaviour; set DATABASE_URL=postgres://... to run it")


@pytest.fixture
def on_sqlite(db):
    """Skip on any database but SQLite (the portable ranking's own behaviour)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only behaviour; run without DATABASE_URL to test it")


def search_items(client, query):
    """The items ``/api/v4/search/?q=query`` answers (asserting a 200)."""
    response = client.get("/api/v4/search/", {"q": query})
    assert response.status_code == 200
    return json.loads(response.content)


def found_slugs(client, query):
    """The slugs of the items found for ``query``, best first."""
    return [item["slug"] for item in search_items(client, query)]


@pytest.fixture
def catalogue(sample):
    """The real sample plus what it lacks: a static-files package, a real grid, a real category."""
    now = timezone.now()
    framework = Category.objects.create(title="Framework", slug="framework", title_plural="Frameworks")
    static = make_package(
        "servewell",
        "servewell",
        "Radically simplified static file serving for Python web apps",
        category=framework,
        repo_watchers=2600,
        repo_forks=150,
        participants=["evansd", "adamchainz"],
        last_commit_date=now - timedelta(days=20),
        supports_python3=True,
    )
    chat = make_grid(
        "chat", "Chat", [Package.objects.get(slug="django-chatrooms")], "Chat rooms and messaging for sites",
        is_locked=True,
    )
    return {"static": static, "chat": chat, "framework": framework}
