"""Database triggers that bump the validators (``core.models.Validator``) of what a write changes.

Each table the API reads has a rule: which validators an inserted, deleted or changed row bumps,
and which of its columns no answer shows (an UPDATE that changes only those, or changes nothing,
bumps nothing). Row-level triggers carry the rules out whatever code path wrote. ``install``
runs after every ``migrate`` (see ``core.apps``) rather than in a migration, because
SQLite rebuilds a table to alter it and the rebuild drops the table's triggers; it also gives
every existing document a validator row.

What each rule follows from:

- a package document shows the package's columns, its latest version and its grid memberships
  (grid ids, in membership order); the package list also filters by category and grid slug;
- a package's facts (``package-facts``) show its columns, the refresh's bookkeeping and score
  included, and its versions, but not its grid memberships;
- a grid document shows the grid's columns and its packages' ids in package title order; the
  grid list also filters by package slug;
- a grid's comparison (``comparison``, keyed by grid id) shows the grid's title and slug, its
  features, its packages' comparison facts (``COMPARED_PACKAGE_FIELDS``, their category's title,
  their latest version's number and development status) and its cells;
- a category document shows the category's columns alone;
- search answers show the search entries alone.
"""
from dataclasses import dataclass, field

from django.apps import apps

from core.models import LIST_SHARDS

VALIDATOR_TABLE = "djpackages_validator"
CHANGE_TABLE = "djpackages_change"  # the change feed (``core.models.Change``)
CHANGE_SEQUENCE = "djpackages_change_seq"
# Held from the moment a PostgreSQL transaction numbers its changes until it commits, so that
# numbers follow commit order (an arbitrary constant, the lock's name).
CHANGE_LOCK = 720117
NOW = {"postgresql": "clock_timestamp()", "sqlite": "strftime('%Y-%m-%d %H:%M:%f', 'now')"}
# The list shard a connection bumps: one per PostgreSQL backend, so that concurrent writers
# rarely share a row; SQLite has one writer at a time.
SHARD = {"postgresql": f"pg_backend_pid() % {LIST_SHARDS}", "sqlite": "0"}


def _upsert(vendor, scope, key):
    return (
        f"INSERT INTO {VALIDATOR_TABLE} (scope, key, value, changed_at) VALUES ('{scope}', {key}, 1, {NOW[vendor]}) "
        f"ON CONFLICT (scope, key) DO UPDATE SET value = {VALIDATOR_TABLE}.value + 1, changed_at = excluded.changed_at;"
    )


@dataclass(frozen=True)
class Document:
    """Bump the validator of the document ``scope`` whose id is the row's ``column``."""

    scope: str
    column: str

    def sql(self, vendor, row, event="update"):
        return _upsert(vendor, self.scope, f"{row}.{self.column}")


@dataclass(frozen=True)
class Listing:
    """Bump a shard of the list ``scope``."""

    scope: str

    def sql(self, vendor, row, event="update"):
        return _upsert(vendor, self.scope, SHARD[vendor])


@dataclass(frozen=True)
class GridsOfPackage:
    """Bump the ``scope`` validator (``grid`` or ``comparison``) of every grid that holds the
    package whose id is the row's ``column``."""

    column: str
    scope: str = "grid"

    def sql(self, vendor, row, event="update"):
        return (
            f"UPDATE {VALIDATOR_TABLE} SET value = value + 1, changed_at = {NOW[vendor]} WHERE scope = '{self.scope}' "
            f"AND key IN (SELECT grid_id FROM grids_gridpackage WHERE package_id = {row}.{self.column});"
        )


@dataclass(frozen=True)
class ComparisonsOfCategory:
    """Bump the comparison of every grid that holds a package of the category whose id is the row's ``column``."""

    column: str

    def sql(self, vendor, row, event="update"):
        return (
            f"UPDATE {VALIDATOR_TABLE} SET value = value + 1, changed_at = {NOW[vendor]} WHERE scope = 'comparison' "
            f"AND key IN (SELECT m.grid_id FROM grids_gridpackage m JOIN packages_package p ON p.id = m.package_id "
            f"WHERE p.category_id = {row}.{self.column});"
        )


@dataclass(frozen=True)
class ComparisonOfMembership:
    """Bump the comparison of the grid of the membership whose id is the row's ``column``."""

    column: str

    def sql(self, vendor, row, event="update"):
        return (
            f"UPDATE {VALIDATOR_TABLE} SET value = value + 1, changed_at = {NOW[vendor]} WHERE scope = 'comparison' "
            f"AND key IN (SELECT grid_id FROM grids_gridpackage WHERE id = {row}.{self.column});"
        )


def _record(vendor, kind, op, source):
    """Record a change of ``kind`` for every id that the SQL ``source`` (``SELECT <id> FROM ...``) gives,
    and bump a shard of the feed's validator (``changes``)."""
    return (
        f"INSERT INTO {CHANGE_TABLE} (kind, key, op, at) SELECT '{kind}', ids.id, '{op}', {NOW[vendor]} "
        f"FROM ({source}) AS ids WHERE ids.id IS NOT NULL; "
        f"{_upsert(vendor, 'changes', SHARD[vendor])}"
    )


@dataclass(frozen=True)
class Changed:
    """Record a change of the document ``kind`` whose id is the row's ``column``: with ``own``,
    the row is that document's (an insert records ``create``, a delete ``delete``), else a
    related row of it (always an ``update``)."""

    kind: str
    column: str
    own: bool = False

    def sql(self, vendor, row, event="update"):
        op = {"insert": "create", "delete": "delete"}.get(event, "update") if self.own else "update"
        return _record(vendor, self.kind, op, f"SELECT {row}.{self.column} AS id")


@dataclass(frozen=True)
class ChangedGridsOfPackage:
    """Record an update of every grid that holds the package whose id is the row's ``column``."""

    column: str

    def sql(self, vendor, row, event="update"):
        return _record(vendor, "grid", "update", f"SELECT grid_id AS id FROM grids_gridpackage WHERE package_id = {row}.{self.column}")


@dataclass(frozen=True)
class ChangedGridOfMembership:
    """Record an update of the grid of the membership whose id is the row's ``column``."""

    column: str

    def sql(self, vendor, row, event="update"):
        return _record(vendor, "grid", "update", f"SELECT grid_id AS id FROM grids_gridpackage WHERE id = {row}.{self.column}")


@dataclass(frozen=True)
class ChangedPackageOfLatestVersion:
    """Record an update of the package whose latest version is the row (whose id is ``column``)."""

    column: str

    def sql(self, vendor, row, event="update"):
        return _record(vendor, "package", "update", f"SELECT id FROM packages_package WHERE latest_version_id = {row}.{self.column}")


@dataclass(frozen=True)
class Rule:
    """What a row of ``model`` bumps when inserted, deleted, or updated in a shown column.

    ``unshown``: columns no answer shows; ``moved``: an update bumps for the old row as well
    (the row may have moved to another parent); ``also``: ``(columns, bumps)`` run in addition
    when an update changes one of ``columns``; ``seeds``: scopes of document validators keyed by
    the row's id that an insert (and ``install``, for existing rows) creates but that only ``also``
    bumps afterwards.
    """

    model: str
    bumps: tuple
    unshown: frozenset = frozenset()
    moved: bool = False
    also: tuple = field(default=())
    seeds: tuple = ()


# The package columns a grid's comparison shows (``grids.serializers.GridComparisonSerializer``).
COMPARED_PACKAGE_FIELDS = (
    "title", "slug", "repo_description", "category", "usage_count", "supports_python3", "last_commit_date",
    "latest_version", "license", "commits_over_52", "repo_watchers", "repo_forks", "participants", "documentation_url",
)


RULES = [
    Rule(
        "packages.Package",
        (Document("package", "id"), Document("package-facts", "id"), Listing("package-list"), Changed("package", "id", own=True)),
        # The refresh's bookkeeping; no document shows it. ``score`` (it decays with time) and
        # ``repo_kind`` (derived from shown columns) no document shows either, but the list filters
        # and orders by them.
        unshown=frozenset(
            {"last_attempted_at", "fetch_error", "fetch_error_at", "fetch_error_count", "score", "repo_kind"}
        ),
        also=(
            (("title", "slug"), (Listing("grid-list"), GridsOfPackage("id"))),
            (("title",), (ChangedGridsOfPackage("id"),)),  # a grid lists its packages by title
            (("score", "repo_kind"), (Listing("package-list"),)),
            (COMPARED_PACKAGE_FIELDS, (GridsOfPackage("id", "comparison"),)),
            (("last_attempted_at", "fetch_error", "fetch_error_count", "score", "repo_kind"), (Document("package-facts", "id"),)),
        ),
    ),
    Rule("packages.Version", (Document("package", "package_id"), Document("package-facts", "package_id"), Listing("package-list")),
         unshown=frozenset({"created", "modified"}), moved=True,
         also=((("number", "development_status"), (GridsOfPackage("package_id", "comparison"), ChangedPackageOfLatestVersion("id"))),)),
    Rule("categories.Category", (Document("category", "id"), Listing("category-list"), Changed("category", "id", own=True)),
         also=((("slug",), (Listing("package-list"),)), (("title",), (ComparisonsOfCategory("id"),)))),
    Rule(
        "grids.Grid",
        (Document("grid", "id"), Listing("grid-list"), Changed("grid", "id", own=True)),
        also=((("slug",), (Listing("package-list"),)), (("title", "slug"), (Document("comparison", "id"),))),
        seeds=("comparison",),
    ),
    Rule(
        "grids.GridPackage",
        (
            Document("grid", "grid_id"), Document("package", "package_id"), Listing("package-list"), Listing("grid-list"),
            Document("comparison", "grid_id"), Changed("grid", "grid_id"), Changed("package", "package_id"),
        ),
        # ``position`` orders a package's grids: a grid document does not show it.
        unshown=frozenset({"created", "modified", "position"}),
        moved=True,
        also=((("position",), (Document("package", "package_id"), Listing("package-list"), Changed("package", "package_id"))),),
    ),
    Rule("grids.Feature", (Document("comparison", "grid_id"), Changed("grid", "grid_id")),
         unshown=frozenset({"created", "modified"}), moved=True),
    Rule("grids.Element", (ComparisonOfMembership("grid_package_id"), ChangedGridOfMembership("grid_package_id")),
         unshown=frozenset({"created", "modified"}), moved=True),
    Rule("search.SearchEntry", (Listing("search"),)),
]


def _columns(model, names=None):
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return [f.column for f in fields if (f.name in names if names is not None else True)]


def _changed(vendor, columns):
    if vendor == "postgresql":
        old = ", ".join(f"OLD.{c}" for c in columns)
        new = ", ".join(f"NEW.{c}" for c in columns)
        return f"ROW({old}) IS DISTINCT FROM ROW({new})"
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def _statements(vendor, bumps, row, event="update"):
    return " ".join(bump.sql(vendor, row, event) for bump in bumps)


def _update_cases(vendor, rule, model):
    """``[(condition, body)]`` for an UPDATE of a row of ``rule``'s table."""
    shown = [c for c in _columns(model) if c not in {model._meta.get_field(n).column for n in rule.unshown}]
    body = _statements(vendor, rule.bumps, "NEW") + (" " + _statements(vendor, rule.bumps, "OLD") if rule.moved else "")
    cases = [(_changed(vendor, shown), body)]
    for names, bumps in rule.also:
        cases.append((_changed(vendor, _columns(model, names)), _statements(vendor, bumps, "NEW")))
    return cases


def statements(vendor):
    """The SQL that (re)creates every rule's triggers and seeds missing document validators; safe to run again."""
    sql = []
    for rule in RULES:
        model = apps.get_model(rule.model)
        table = model._meta.db_table
        seeded = tuple(Document(scope, "id") for scope in rule.seeds)
        insert, delete = _statements(vendor, rule.bumps + seeded, "NEW", "insert"), _statements(vendor, rule.bumps, "OLD", "delete")
        cases = _update_cases(vendor, rule, model)
        if vendor == "postgresql":
            updates = " ".join(f"IF {condition} THEN {body} END IF;" for condition, body in cases)
            truncate = _statements(vendor, [b for b in rule.bumps if isinstance(b, Listing)], "NEW")
            sql += [
                f"CREATE OR REPLACE FUNCTION {table}_validate() RETURNS trigger AS $$ BEGIN "
                f"IF TG_OP = 'INSERT' THEN {insert} ELSIF TG_OP = 'DELETE' THEN {delete} "
                f"ELSIF TG_OP = 'UPDATE' THEN {updates} ELSE {truncate} END IF; RETURN NULL; END $$ LANGUAGE plpgsql;",
                f"CREATE OR REPLACE TRIGGER {table}_validate AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_validate();",
                f"CREATE OR REPLACE TRIGGER {table}_validate_truncate AFTER TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_validate();",
            ]
        elif vendor == "sqlite":
            triggers = [("insert", "INSERT", "", insert), ("delete", "DELETE", "", delete)] + [
                (f"update{n}", "UPDATE", f"WHEN {condition}", body) for n, (condition, body) in enumerate(cases)
            ]
            for name, event, when, body in triggers:
                sql += [
                    f"DROP TRIGGER IF EXISTS {table}_{name}_validate;",
                    f"CREATE TRIGGER {table}_{name}_validate AFTER {event} ON {table} {when} BEGIN {body} END;",
                ]
        else:
            raise NotImplementedError(f"no validator triggers for {vendor}")
        sql += [
            f"INSERT INTO {VALIDATOR_TABLE} (scope, key, value, changed_at) "
            f"SELECT '{bump.scope}', id, 1, {NOW[vendor]} FROM {table} WHERE true ON CONFLICT (scope, key) DO NOTHING;"
            for bump in rule.bumps + seeded
            if isinstance(bump, Document) and bump.column == "id"
        ]
    return sql + _numbering(vendor)


def _numbering(vendor):
    """The SQL that numbers each change (``seq``, the feed's cursor) in commit order.

    SQLite has one writer at a time, so a change's row id is already in commit order. On PostgreSQL
    a deferred trigger numbers a transaction's changes as it commits, under ``CHANGE_LOCK``, which
    it holds until the commit is done: a change numbered after another was committed after it, and
    a reader never sees a number before all smaller ones are visible. The lock is held only during
    commits, so writers do not wait for one another's open transactions.
    """
    if vendor == "sqlite":
        return [
            "DROP TRIGGER IF EXISTS djpackages_change_number;",
            f"CREATE TRIGGER djpackages_change_number AFTER INSERT ON {CHANGE_TABLE} BEGIN "
            f"UPDATE {CHANGE_TABLE} SET seq = NEW.id WHERE id = NEW.id; END;",
        ]
    return [
        f"CREATE SEQUENCE IF NOT EXISTS {CHANGE_SEQUENCE} AS bigint;",
        f"CREATE OR REPLACE FUNCTION djpackages_change_number() RETURNS trigger AS $$ BEGIN "
        f"PERFORM pg_advisory_xact_lock({CHANGE_LOCK}); "
        f"UPDATE {CHANGE_TABLE} SET seq = nextval('{CHANGE_SEQUENCE}') WHERE id = NEW.id; RETURN NULL; END $$ LANGUAGE plpgsql;",
        f"DROP TRIGGER IF EXISTS djpackages_change_number ON {CHANGE_TABLE};",
        f"CREATE CONSTRAINT TRIGGER djpackages_change_number AFTER INSERT ON {CHANGE_TABLE} "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION djpackages_change_number();",
    ]


def install(using="default", **kwargs):
    """Make sure every table has its current triggers (a ``post_migrate`` receiver)."""
    from django.db import connections

    connection = connections[using]
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor):
            cursor.execute(sql)
