"""``manage.py recompute_packages``: bring every package's derived fields up to date."""
from django.core.management.base import BaseCommand

from packages.models import Package


class Command(BaseCommand):
    help = (
        "Recompute each package's derived fields (repo_kind from repo_url and repo_host, score as of now) and save "
        "the packages whose values changed, as Package.save would have. Run it after writes that skip Package.save "
        "(loaddata, QuerySet.update, bulk_create)."
    )

    def handle(self, *args, **options):
        changed = 0
        for package in Package.objects.iterator(chunk_size=500):
            before = (package.repo_kind, package.score)
            package.set_derived()
            if (package.repo_kind, package.score) != before:
                package.save(update_fields={"repo_kind", "score"})
                changed += 1
        self.stdout.write(f"{changed} of {Package.objects.count()} package(s) updated")
