"""The API data generation: one row that every write to an API-visible table moves forward.

Database triggers (``djpackages.triggers``) bump it on any INSERT, UPDATE or DELETE of categories,
packages, versions, grids and grid memberships, whatever code path wrote (ORM save, bulk
operations, ``QuerySet.update``, raw SQL). The API's ETag and Last-Modified derive from it.
"""
from django.db import models


class DataGeneration(models.Model):
    """``value`` counts writes since the row was created; ``changed_at`` is when the last one happened."""

    value = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "djpackages_datageneration"


def current_generation():
    """``(value, changed_at)`` of the data generation, or ``(0, None)`` before the first write."""
    row = DataGeneration.objects.filter(pk=1).values_list("value", "changed_at").first()
    return row or (0, None)
