"""The Category model."""
from django.db import models

from core.timestamps import TimeStampedModel


class Category(TimeStampedModel):
    """A kind of package ("App", "Framework", ...); every package belongs to one.

    ``is_placeholder`` marks a row the v4 importer created from a link alone (id known, real
    title and slug not yet); a later import of the category's own document fills it in.
    """

    title = models.CharField(max_length=50)
    slug = models.SlugField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    title_plural = models.CharField(max_length=50, blank=True)
    show_pypi = models.BooleanField(default=True)
    is_placeholder = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.title
