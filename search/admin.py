"""A read-only view of the search index, to see what search sees and each item's weight."""
from django.contrib import admin

from search.models import SearchEntry


@admin.register(SearchEntry)
class SearchEntryAdmin(admin.ModelAdmin):
    """Entries by weight; written only by the index (signals and ``rebuild_search_index``)."""

    list_display = ["title", "item_type", "weight", "score", "category", "repo_watchers"]
    list_filter = ["item_type"]
    search_fields = ["title", "slug"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
