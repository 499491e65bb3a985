"""On PostgreSQL: pg_trgm, a weighted ``document`` tsvector column and the GIN indexes.

``document`` is generated and stored (title A, slug B, description C, category and participants
D), so it follows every write with no trigger or signal. ``title`` and ``slug`` get trigram
indexes for misspellings. Every operation is a no-op on other databases. A later migration that
changes the type of a column used here must drop ``document`` first.
"""
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = [
    """
    ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(slug, '')), 'B')
        || setweight(to_tsvector('english', coalesce(description, '')), 'C')
        || setweight(to_tsvector('english', coalesce(category, '') || ' ' || coalesce(participants, '')), 'D')
    ) STORED
    """,
    "CREATE INDEX searchentry_document_gin ON search_searchentry USING gin (document)",
    "CREATE INDEX searchentry_title_trgm ON search_searchentry USING gin (title gin_trgm_ops)",
    "CREATE INDEX searchentry_slug_trgm ON search_searchentry USING gin (slug gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS searchentry_slug_trgm",
    "DROP INDEX IF EXISTS searchentry_title_trgm",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
