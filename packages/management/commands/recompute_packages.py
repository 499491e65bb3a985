"""``manage.py recompute_packages``: bring every package's derived fields up to date."""
from django.core.management.base import BaseCommand

from packages.models import Package


class Command(BaseCommand):
    help = (
        "Recompute each package's derived fields (repo_kind from repo_url and repo_host, last_released from the "
        "latest version, score as of now) and save "
        "the packages whose values changed, as Package.save would have. Run it after writes that skip Package.save "
        "(loaddata, QuerySet.update, bulk_create)."
    )

    def handle(self, *args, **options):
        changed = 0
        derived = ("repo_kind", "last_released", "score")
        for package in Package.objects.select_related("latest_version").iterator(chunk_size=500):
            before = [getattr(package, name) for name in derived]
            package.set_derived()
            if [getattr(package, name) for name in derived] != before:
                package.save(update_fields=set(derived))
                changed += 1
        self.stdout.write(f"{changed} of {Package.objects.count()} package(s) updated")
