"""Database triggers that move the data generation (``djpackages.models.DataGeneration``) forward.

Every INSERT, UPDATE or DELETE (and TRUNCATE on PostgreSQL) of a table the API reads bumps the
generation, whatever code path wrote. ``install`` runs after every ``migrate`` (see
``djpackages.apps``) rather than in a migration, because SQLite rebuilds a table to alter it
and the rebuild drops the table's triggers.
"""
from django.apps import apps

# The tables API answers are made from, as "app_label.Model".
WATCHED_MODELS = [
    "categories.Category",
    "packages.Package",
    "packages.Version",
    "grids.Grid",
    "grids.GridPackage",
    "search.SearchEntry",
]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION djpackages_bump_generation() RETURNS trigger AS $$
BEGIN
    INSERT INTO djpackages_datageneration (id, value, changed_at) VALUES (1, 1, clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET value = djpackages_datageneration.value + 1, changed_at = clock_timestamp();
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

SQLITE_BUMP = """
INSERT INTO djpackages_datageneration (id, value, changed_at)
VALUES (1, 1, strftime('%Y-%m-%d %H:%M:%f', 'now'))
ON CONFLICT (id) DO UPDATE SET value = value + 1, changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now');
"""


def statements(vendor, tables):
    """The SQL that (re)creates the bump triggers on ``tables``; safe to run again."""
    if vendor == "postgresql":
        return [POSTGRES_FUNCTION] + [
            f"CREATE OR REPLACE TRIGGER {table}_bump_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION djpackages_bump_generation()"
            for table in tables
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_{event}_bump_generation AFTER {event.upper()} ON {table} "
            f"BEGIN {SQLITE_BUMP} END"
            for table in tables
            for event in ("insert", "update", "delete")
        ]
    raise NotImplementedError(f"no data-generation triggers for {vendor}")


def install(using="default", **kwargs):
    """Make sure every watched table has its triggers (a ``post_migrate`` receiver)."""
    from django.db import connections

    connection = connections[using]
    tables = [apps.get_model(label)._meta.db_table for label in WATCHED_MODELS]
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, tables):
            cursor.execute(sql)
