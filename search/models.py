"""SearchEntry: the denormalised row the search endpoint ranks and serves, one per package or grid.

Only portable field types live here. On PostgreSQL, migration 0002 adds what the model does not
know about: a generated, weighted ``tsvector`` column ``document`` with a GIN index, and trigram
GIN indexes on ``title`` and ``slug`` (see ``search.postgres``).
"""
from django.db import models


class ItemType(models.TextChoices):
    """What an entry stands for."""

    PACKAGE = "package", "Package"
    GRID = "grid", "Grid"


class SearchEntry(models.Model):
    """A package or grid as search sees it.

    ``weight`` (0–100) adds to the rank; ``grid_shortfalls`` (grids only) counts the grid weight
    penalties so grid weights can follow the top package weight in one UPDATE. ``created`` and
    ``modified`` are the item's own timestamps; ``participants`` is comma-joined.
    """

    item_type = models.CharField(max_length=10, choices=ItemType.choices)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=100)
    slug = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=50, blank=True)
    participants = models.TextField(blank=True)
    absolute_url = models.CharField(max_length=255)
    weight = models.IntegerField(default=0)
    grid_shortfalls = models.PositiveSmallIntegerField(default=0)
    repo_watchers = models.IntegerField(default=0)
    repo_forks = models.IntegerField(default=0)
    pypi_downloads = models.BigIntegerField(default=0)
    score = models.IntegerField(default=0)
    usage = models.IntegerField(default=0)
    last_committed = models.DateTimeField(null=True, blank=True)
    last_released = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField()
    modified = models.DateTimeField()

    class Meta:
        ordering = ["-weight", "id"]
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["item_type", "object_id"], name="searchentry_unique_item"),
        ]
        indexes = [models.Index(fields=["item_type", "weight"], name="searchentry_type_weight")]

    def __str__(self):
        return f"{self.item_type} {self.slug} ({self.weight})"
