"""Grid, GridPackage, Feature and Element: a grid compares packages feature by feature."""
from django.core.exceptions import ValidationError
from django.db import models

from core.timestamps import TimeStampedModel
from packages.models import Package


class Grid(TimeStampedModel):
    """A comparison grid of packages.

    ``header`` grids are featured on the site's home page; ``is_locked`` ones are edited by staff
    only. ``is_placeholder`` marks a row the v4 importer created from a link alone.
    """

    title = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_locked = models.BooleanField(default=False)
    header = models.BooleanField(default=False)
    packages = models.ManyToManyField(Package, through="GridPackage", related_name="grids")
    is_placeholder = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return self.title


class KeepsItsCellsInItsGrid:
    """For the models a grid cell points at (``Feature``, ``GridPackage``): once one has cells it
    cannot move to another grid, since its cells would then pair two grids. ``clean`` (so an admin
    form shows the error on ``grid``) and ``save`` (so no code path stores it) raise ValidationError.
    """

    @classmethod
    def from_db(cls, db, field_names, values):
        """The row as loaded, remembering the grid it was stored under."""
        instance = super().from_db(db, field_names, values)
        instance._stored_grid_id = instance.__dict__.get("grid_id")
        return instance

    def clean(self):
        """Refuse a move to another grid of a row that has cells."""
        super().clean()
        if self._state.adding or self.pk is None:
            return
        stored = getattr(self, "_stored_grid_id", None)
        if stored is None:
            stored = type(self).objects.filter(pk=self.pk).values_list("grid_id", flat=True).first()
        if stored is not None and self.grid_id != stored and self.elements.exists():
            raise ValidationError({"grid": (
                f"This {self._meta.verbose_name} has cells in its grid; it cannot move to another grid "
                f"(empty its cells in the grid editor first)."
            )})

    def save(self, *args, **kwargs):
        """Save the row; a move to another grid of a row with cells raises ValidationError."""
        KeepsItsCellsInItsGrid.clean(self)
        super().save(*args, **kwargs)
        self._stored_grid_id = self.grid_id


class GridPackage(KeepsItsCellsInItsGrid, TimeStampedModel):
    """Membership of a package in a grid.

    A package lists its grids by ``position`` (set by the v4 importer, which keeps upstream's
    order without recreating memberships and so without losing their cells), then in the order
    it joined them (id): memberships made since, without a position, come last.
    """

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE)
    package = models.ForeignKey(Package, on_delete=models.CASCADE)
    position = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = [models.F("position").asc(nulls_last=True), "id"]
        verbose_name = "grid package"
        constraints = [
            models.UniqueConstraint(fields=["grid", "package"], name="gridpackage_unique"),
        ]

    def __str__(self):
        return f"{self.grid} / {self.package}"


class Feature(KeepsItsCellsInItsGrid, TimeStampedModel):
    """A row of a grid: one property the grid compares across its packages."""

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="features")
    title = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.grid}: {self.title}"


class Element(TimeStampedModel):
    """One cell of a grid: what a package (through its GridPackage) offers for a feature."""

    grid_package = models.ForeignKey(GridPackage, on_delete=models.CASCADE, related_name="elements")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="elements")
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["grid_package", "feature"], name="element_unique"),
        ]

    def __str__(self):
        return f"{self.grid_package} / {self.feature.title}"

    def clean(self):
        """A cell pairs a feature and a package membership of the same grid (ValidationError otherwise)."""
        if self.feature_id and self.grid_package_id and self.feature.grid_id != self.grid_package.grid_id:
            raise ValidationError({"feature": "This feature belongs to another grid than the package membership."})

    def save(self, *args, **kwargs):
        """Save the cell; one that pairs two grids raises ValidationError whatever code path saves it."""
        self.clean()
        super().save(*args, **kwargs)
