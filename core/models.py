"""Validators: version counters of what the API's answers show, one per document or list shard.

Database triggers (``core.triggers``) bump them on every write that changes what an answer
shows, whatever code path wrote (ORM save, bulk operations, ``QuerySet.update``, raw SQL), and
only then: a write of bookkeeping columns, or one that leaves the values as they were, bumps
nothing. The API's ETags, Last-Modified dates and cached answers derive from them
(``core.conditional``).

Two kinds of row:

- a document's own counter: ``scope`` ``package``, ``grid`` or ``category`` and ``key`` its id,
  and a grid's comparison (``comparison``, ``key`` the grid's id);
- a list's counters: ``scope`` ``package-list``, ``grid-list``, ``category-list`` or ``search``,
  split into shards (``key`` 0 to ``LIST_SHARDS - 1``, picked per database connection), so
  concurrent writers rarely wait on one another's row. A list's version is the sum of its
  shards, which grows with every committed bump.
"""
from datetime import UTC, datetime

from django.db import connection, models

LIST_SHARDS = 16


class Validator(models.Model):
    """``value`` counts the changes of one document or list shard; ``changed_at`` is the last one (UTC)."""

    scope = models.CharField(max_length=20)
    key = models.BigIntegerField()
    value = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "djpackages_validator"
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="validator_unique_scope_key")]

    def __str__(self):
        return f"{self.scope} {self.key}: {self.value}"


def _aware(value):
    if isinstance(value, str):  # SQLite keeps the triggers' timestamps as text
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def document_version(scope, table, lookup_column, lookup_value):
    """``(value, changed_at)`` of the document of ``scope`` whose row in ``table`` has
    ``lookup_column = lookup_value`` (its id or slug), or None when no such row exists.

    One query, joined with the document's table so that a deleted row has no version.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.value, v.changed_at FROM djpackages_validator v JOIN {table} t ON t.id = v.key "
            f"WHERE v.scope = %s AND t.{lookup_column} = %s",
            [scope, lookup_value],
        )
        row = cursor.fetchone()
    return (row[0], _aware(row[1])) if row else None


def list_versions(scopes):
    """``{scope: (sum of its shards, latest changed_at)}`` for each of ``scopes`` (``(0, None)``
    for a list never written); one query."""
    placeholders = ", ".join(["%s"] * len(scopes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, SUM(value), MAX(changed_at) FROM djpackages_validator WHERE scope IN ({placeholders}) GROUP BY scope",
            list(scopes),
        )
        found = {scope: (int(total), _aware(changed_at)) for scope, total, changed_at in cursor.fetchall()}
    return {scope: found.get(scope, (0, None)) for scope in scopes}


class Change(models.Model):
    """One entry of the change feed (``/api/v4/changes/``), written by the triggers (``core.triggers``).

    ``kind`` is ``package``, ``grid`` or ``category`` and ``key`` the document's id; ``op`` is
    ``create``, ``update`` or ``delete``; ``at`` when it was written (UTC). ``seq`` is the feed's
    cursor: numbered in commit order as the writing transaction commits (null until then).
    """

    seq = models.BigIntegerField(null=True, unique=True)
    kind = models.CharField(max_length=10)
    key = models.BigIntegerField()
    op = models.CharField(max_length=6)
    at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "djpackages_change"

    def __str__(self):
        return f"{self.seq}: {self.op} {self.kind} {self.key}"


class ChangeHorizon(models.Model):
    """One row: ``pruned_through``, the largest ``seq`` the feed's pruning removed (0: none yet)."""

    pruned_through = models.BigIntegerField(default=0)

    class Meta:
        db_table = "djpackages_change_horizon"

    def __str__(self):
        return f"changes pruned through {self.pruned_through}"
