"""Admin for grids (with their packages and features inline), memberships, features and cells."""
from django.contrib import admin

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
