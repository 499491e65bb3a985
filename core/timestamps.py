"""The ``created``/``modified`` pair every row carries.

Kept outside the apps because categories, packages and grids all use it. ``modified`` is set on
every ``save()`` unless the caller passes ``touch=False``, which the v4 importer does to keep
upstream's timestamps exactly as given.
"""
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """Abstract model with ``created`` (set once) and ``modified`` (set on each save), both aware datetimes."""

    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, touch=True, **kwargs):
        """Save the row; ``touch=False`` keeps ``modified`` as it is."""
        if touch:
            self.modified = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "modified"}
        super().save(*args, **kwargs)
