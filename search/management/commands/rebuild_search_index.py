"""``manage.py rebuild_search_index``: rebuild every search entry from the data."""
from django.core.management.base import BaseCommand

from search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the whole search index from packages and grids."

    def handle(self, *args, **options):
        packages, grids = rebuild()
        self.stdout.write(f"Indexed {packages} packages and {grids} grids.")
