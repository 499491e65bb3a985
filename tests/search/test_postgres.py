"""PostgreSQL-only search: full-text with stemming and web-search syntax, trigram misspellings, the migration."""
import pytest
from django.db import connection

from search.models import SearchEntry
from tests.factories import make_package
from tests.search.conftest import found_slugs as slugs

pytestmark = pytest.mark.usefixtures("on_postgresql")


def test_framewrok_finds_framework_titles(client, catalogue):
    found = slugs(client, "Framewrok")
    assert "djangorestframework-composed-permissions" in found
    assert "djangorestframework-expiring-authtoken" in found


def test_a_misspelt_title_word_is_found(client, catalogue):
    assert "satchmo" in slugs(client, "Satchmoo")
    assert "django-calendarium" in slugs(client, "calendarum")


def test_words_are_matched_by_their_stem(client, catalogue):
    # "Django REST framework composed permissions" found by the singular
    assert "djangorestframework-composed-permissions" in slugs(client, "permission")


def test_or_between_words_finds_either(client, catalogue):
    found = slugs(client, "gevent or hstore")
    assert {"django-chatrooms", "django-hstore"} <= set(found)


def test_the_category_and_participants_are_searched(client, catalogue):
    assert "servewell" in slugs(client, "evansd")
    assert "servewell" in slugs(client, "frameworks")  # the category title, stemmed


def test_the_document_column_follows_a_direct_update(client, db):
    package = make_package("plain", description="nothing special")
    SearchEntry.objects.filter(object_id=package.pk).update(description="quintessential widgets")
    assert slugs(client, "quintessential") == ["plain"]


def test_the_migration_added_pg_trgm_the_document_column_and_gin_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone()
        cursor.execute(
            "SELECT data_type, is_generated FROM information_schema.columns "
            "WHERE table_name = 'search_searchentry' AND column_name = 'document'"
        )
        assert cursor.fetchone() == ("tsvector", "ALWAYS")
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_searchentry'")
        indexes = dict(cursor.fetchall())
    assert "USING gin (document)" in indexes["searchentry_document_gin"]
    assert "gin_trgm_ops" in indexes["searchentry_title_trgm"] and "gin_trgm_ops" in indexes["searchentry_slug_trgm"]
