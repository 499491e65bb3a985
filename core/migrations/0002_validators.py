"""Per-document validators replace the one data generation (their triggers: ``core.triggers``)."""
from django.db import migrations, models

OLD_TABLES = ["categories_category", "packages_package", "packages_version", "grids_grid", "grids_gridpackage", "search_searchentry"]


def drop_generation_triggers(apps, schema_editor):
    """The generation's triggers write to the table this migration drops: remove them first."""
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS djpackages_bump_generation() CASCADE")
        elif schema_editor.connection.vendor == "sqlite":
            for table in OLD_TABLES:
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_bump_generation")


class Migration(migrations.Migration):
    dependencies = [("djpackages", "0001_initial")]

    operations = [
        migrations.RunPython(drop_generation_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(name="DataGeneration"),
        migrations.CreateModel(
            name="Validator",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(max_length=20)),
                ("key", models.BigIntegerField()),
                ("value", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(null=True)),
            ],
            options={"db_table": "djpackages_validator"},
        ),
        migrations.AddConstraint(
            model_name="validator",
            constraint=models.UniqueConstraint(fields=("scope", "key"), name="validator_unique_scope_key"),
        ),
    ]
