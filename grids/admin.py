"""Admin for grids (with their packages and features inline, and a table of their cells), memberships, features and cells."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from grids.cells import GridCellsForm
from grids.models import Element, Feature, Grid, GridPackage


class GridPackageInline(admin.TabularInline):
    model = GridPackage
    raw_id_fields = ["package"]
    extra = 0


class FeatureInline(admin.TabularInline):
    model = Feature
    fields = ["title", "description"]
    extra = 0


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    """Grids, searchable by title and slug, with packages and features inline."""

    list_display = ["title", "slug", "is_locked", "header", "is_placeholder", "modified"]
    list_filter = ["is_locked", "header", "is_placeholder"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["is_placeholder", "created", "modified"]
    inlines = [GridPackageInline, FeatureInline]

    def get_urls(self):
        """The admin's URLs plus the grid editor, ``<id>/cells/`` (``admin:grids_grid_cells``)."""
        cells = path("<int:object_id>/cells/", self.admin_site.admin_view(self.cells_view), name="grids_grid_cells")
        return [cells, *super().get_urls()]

    def cells_view(self, request, object_id):
        """The grid editor: the grid's cells as one table of features × packages, saved together.

        Needs the permissions to change grids and grid cells (403 otherwise); an unknown grid is a 404.
        """
        grid = get_object_or_404(Grid, pk=object_id)
        if not (self.has_change_permission(request, grid) and request.user.has_perms(
                ["grids.add_element", "grids.change_element", "grids.delete_element"])):
            raise PermissionDenied
        form = GridCellsForm(grid, request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            saved, cleared = form.save()
            if saved or cleared:
                self.log_change(request, grid, f"Changed cells: {saved} saved, {cleared} cleared.")
            self.message_user(request, f"{saved} cell(s) saved, {cleared} cleared.", messages.SUCCESS)
            return redirect(reverse("admin:grids_grid_cells", args=[grid.pk]))
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "grid": grid, "form": form,
            "title": f"Cells of {grid}",
        }
        return TemplateResponse(request, "admin/grids/grid/cells.html", context)

    def save_model(self, request, obj, form, change):
        """An editor's save makes a placeholder grid (one the importer made from a link) a real row."""
        obj.is_placeholder = False
        super().save_model(request, obj, form, change)


@admin.register(GridPackage)
class GridPackageAdmin(admin.ModelAdmin):
    list_display = ["grid", "package", "created"]
    list_select_related = ["grid", "package"]
    raw_id_fields = ["grid", "package"]
    search_fields = ["grid__title", "package__title"]


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    list_display = ["title", "grid"]
    list_select_related = ["grid"]
    search_fields = ["title", "grid__title"]


@admin.register(Element)
class ElementAdmin(admin.ModelAdmin):
    list_display = ["grid_package", "feature", "text"]
    list_select_related = ["grid_package__grid", "grid_package__package", "feature__grid"]
    raw_id_fields = ["grid_package", "feature"]
