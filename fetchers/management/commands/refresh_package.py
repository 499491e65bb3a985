"""``manage.py refresh_package ID_OR_SLUG [...]`` / ``--all``: refresh packages synchronously.

As in the API, a lookup made only of ASCII digits is an id, anything else a slug."""
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fetchers.refresh import RefreshResult, refresh_package
from packages.models import Package


class Command(BaseCommand):
    help = "Refresh the fetched facts of the given packages (or all) now, printing what changed and what it cost."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="ID_OR_SLUG", help="ids or slugs of the packages to refresh")
        parser.add_argument("--all", action="store_true", dest="everything", help="refresh every package, with a progress bar")

    def handle(self, *args, slugs, everything, **options):
        if everything == bool(slugs):
            raise CommandError("give package slugs or --all, not both and not neither")
        if everything:
            packages = list(Package.objects.order_by("slug").values_list("pk", "slug"))
        else:
            by_slug = dict(Package.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            ids = set(Package.objects.filter(pk__in=[int(x) for x in slugs if _is_id(x)]).values_list("pk", flat=True))
            packages = [((int(x) if int(x) in ids else None) if _is_id(x) else by_slug.get(x), x) for x in slugs]
        failed = 0
        bar = tqdm(packages, unit="package", disable=not everything, file=self.stderr)
        for package_id, slug in bar:
            if package_id is None:
                line, ok = "no such package", False
            else:
                result = refresh_package(package_id)
                line, ok = describe(result), result.ok
            failed += not ok
            bar.clear()  # print the line above the progress bar
            self.stdout.write(f"{slug}: {line}")
            bar.refresh()
        if failed:
            raise CommandError(f"{failed} of {len(packages)} package(s) failed")


def describe(result: RefreshResult) -> str:
    """One line: what changed, the HTTP calls and 304s, and any errors."""
    changed = ", ".join(result.changed) if result.changed else "nothing changed"
    line = f"{changed}; {result.calls} HTTP calls, {result.not_modified} answered 304"
    return f"{line}; FAILED: {'; '.join(result.errors)}" if result.errors else line


def _is_id(lookup: str) -> bool:
    """Whether ``lookup`` is an id: ASCII digits only, within the id column's (bigint) range."""
    return lookup.isascii() and lookup.isdigit() and int(lookup) < 2**63
