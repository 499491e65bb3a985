"""Admin for categories: slugs prepopulated from the title."""
from django.contrib import admin
from django.db.models import Count

from categories.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Categories, searchable by title and slug."""

    list_display = ["title", "slug", "title_plural", "package_count", "show_pypi", "is_placeholder", "modified"]
    list_filter = ["show_pypi", "is_placeholder"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["is_placeholder", "created", "modified"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(package_count=Count("packages"))

    @admin.display(description="packages", ordering="package_count")
    def package_count(self, category):
        return category.package_count

    def save_model(self, request, obj, form, change):
        """An editor's save makes a placeholder category (one the importer made from a link) a real row."""
        obj.is_placeholder = False
        super().save_model(request, obj, form, change)
