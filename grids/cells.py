"""The grid editor's form: every cell of a grid (features × packages) as one table of texts.

A cell is an ``Element``: the text a package (through its ``GridPackage``) has for a feature.
Only the cells an editor changed are written, so two editors of one grid keep each other's
edits unless they change the same cell; a cell left blank is deleted (a blank cell and a
missing one read the same).
"""
from django import forms
from django.db import transaction

from grids.models import Element


def cell_name(feature, membership):
    """The form field of the cell of ``feature`` (a Feature) and ``membership`` (a GridPackage): ``cell-<id>-<id>``."""
    return f"cell-{feature.pk}-{membership.pk}"


class GridCellsForm(forms.Form):
    """One optional text field per cell of ``grid``, rows by feature (in id order), columns by package title.

    A field the posted data leaves out is unchanged (the page sends only the cells an editor
    touched, so a large grid stays below Django's ``DATA_UPLOAD_MAX_NUMBER_FIELDS``).
    """

    def __init__(self, grid, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        self.features = list(grid.features.order_by("id"))
        self.memberships = list(grid.gridpackage_set.select_related("package").order_by("package__title", "id"))
        self.elements = {(e.feature_id, e.grid_package_id): e for e in Element.objects.filter(feature__grid=grid)}
        for feature in self.features:
            for membership in self.memberships:
                element = self.elements.get((feature.pk, membership.pk))
                label = f"{feature.title} / {membership.package.title}"
                self.fields[cell_name(feature, membership)] = forms.CharField(
                    required=False,
                    initial=element.text if element else "",
                    label=label,
                    widget=forms.Textarea(attrs={"rows": 2, "cols": 18, "aria-label": label}),
                )

    def rows(self):
        """``[(feature, [bound field of each package's cell, ...]), ...]`` in the table's order."""
        return [(f, [self[cell_name(f, m)] for m in self.memberships]) for f in self.features]

    def save(self):
        """Write the changed cells in one transaction; returns ``(saved, cleared)``, the counts of
        cells given a text and of cells emptied (deleted)."""
        saved = cleared = 0
        with transaction.atomic():
            for feature in self.features:
                for membership in self.memberships:
                    name = cell_name(feature, membership)
                    if name not in self.data or name not in self.changed_data:
                        continue
                    text = self.cleaned_data[name]
                    element = self.elements.get((feature.pk, membership.pk))
                    if text:
                        element = element or Element(feature=feature, grid_package=membership)
                        element.text = text
                        element.save()
                        saved += 1
                    elif element is not None:
                        element.delete()
                        cleared += 1
        return saved, cleared
