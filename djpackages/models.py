"""The API data generation: one row that every write to an API-visible table moves forward.

Database triggers (``djpackages.triggers``) bump it on any INSERT, UPDATE or DELETE of categories,
packages, versions, grids and grid memberships, whatever code path wrote (ORM save, bulk
operations, ``QuerySet.update``, raw SQL). The API's ETag and Last-Modified derive from it.
"""
from datetime import UTC, datetime

from django.db import connection, models


class DataGeneration(models.Model):
    """``value`` counts writes since the row was created; ``changed_at`` is when the last one happened."""

    value = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "djpackages_datageneration"


def current_generation():
    """``(value, changed_at)`` of the data generation, or ``(0, None)`` before the first write.

    Read on every API request, so it skips the ORM's query building; ``changed_at`` is an aware
    datetime in UTC (SQLite stores it as text).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT value, changed_at FROM djpackages_datageneration WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return 0, None
    value, changed_at = row
    if isinstance(changed_at, str):
        changed_at = datetime.fromisoformat(changed_at).replace(tzinfo=UTC)
    return value, changed_at
