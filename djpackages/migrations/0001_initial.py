"""The data generation table and the triggers that bump it on every write to an API table."""
from django.db import migrations, models

TABLES = [
    "categories_category",
    "packages_package",
    "packages_version",
    "grids_grid",
    "grids_gridpackage",
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


def create_triggers(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(POSTGRES_FUNCTION)
        for table in TABLES:
            run(
                f"CREATE TRIGGER {table}_bump_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION djpackages_bump_generation()"
            )
    elif schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                run(f"CREATE TRIGGER {table}_{event.lower()}_bump_generation AFTER {event} ON {table} BEGIN {SQLITE_BUMP} END")
    else:
        raise NotImplementedError(f"no data-generation triggers for {schema_editor.connection.vendor}")


def drop_triggers(apps, schema_editor):
    run = schema_editor.execute
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            run(f"DROP TRIGGER IF EXISTS {table}_bump_generation ON {table}")
        else:
            for event in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS {table}_{event}_bump_generation")
    if schema_editor.connection.vendor == "postgresql":
        run("DROP FUNCTION IF EXISTS djpackages_bump_generation()")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("categories", "0001_initial"),
        ("packages", "0001_initial"),
        ("grids", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(null=True)),
            ],
            options={"db_table": "djpackages_datageneration"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
