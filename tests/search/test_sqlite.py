"""SQLite-only: the PostgreSQL migration is a no-op, and the portable ranking stands on its own."""
import pytest
from django.db import connection

from tests.factories import make_package
from tests.search.conftest import found_slugs as slugs

pytestmark = pytest.mark.usefixtures("on_sqlite")


def test_the_table_has_only_the_portable_columns(db):
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "search_searchentry")]
    assert "document" not in columns


def test_a_word_inside_a_longer_word_is_found(client, db):
    make_package("mailqueue", title="Mailqueue", description="")
    assert slugs(client, "queue") == ["mailqueue"]


def test_a_misspelling_is_not_caught_without_postgresql(client, catalogue):
    assert "satchmo" not in slugs(client, "Satchmoo")


def test_the_category_and_participants_are_searched(client, catalogue):
    assert "servewell" in slugs(client, "evansd")
    assert "servewell" in slugs(client, "framework")
