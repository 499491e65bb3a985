"""``manage.py import_v4 SOURCE [--if-empty]``: import v4 documents from a folder or a live v4 API."""
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from mirror.importer import InvalidDocument, import_document, reset_id_sequences
from mirror.source import KINDS, SourceError, open_source
from categories.models import Category
from grids.models import Grid
from packages.models import Package
from search.index import muted, rebuild

MODELS = {"categories": Category, "grids": Grid, "packages": Package}
PLACEHOLDER_KINDS = ("categories", "grids")  # the kinds a package links to (mirror.importer._placeholder)


class Command(BaseCommand):
    help = (
        "Import djangopackages.org v4 documents from a folder laid out as <kind>/<id>.json "
        "(kinds: categories, grids, packages) or from a v4 API root URL such as "
        "https://djangopackages.org/api/v4/. Malformed documents, and conflicts (a document whose id "
        "is another slug's here, or whose slug is another id's), are reported and skipped; "
        "the command then exits non-zero. The search index is rebuilt when anything changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a folder, or the base URL of a v4 API")
        parser.add_argument(
            "--if-empty", action="store_true",
            help="import only into a database that holds no package, category or grid yet (what `make run` does)",
        )

    def handle(self, source, if_empty=False, **options):
        if if_empty and (Package.objects.exists() or Category.objects.exists() or Grid.objects.exists()):
            self.stdout.write("the database already holds data: nothing imported (edits are kept)")
            return
        rows_before = {kind: MODELS[kind].objects.count() for kind in PLACEHOLDER_KINDS}
        tally = {kind: {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0} for kind in KINDS}
        try:
            # Rows are not indexed one by one (nor are the memberships written in bulk): the
            # index is rebuilt once below, also when the source fails part way.
            with muted():
                src = open_source(source)
                for kind in KINDS:
                    progress = tqdm(src.documents(kind), total=src.count(kind), desc=kind, unit="doc", disable=None)
                    for doc in progress:
                        try:
                            if doc.error:
                                raise InvalidDocument(doc.error)
                            tally[kind][import_document(kind, doc.data)] += 1
                        except InvalidDocument as err:
                            tally[kind]["skipped"] += 1
                            self.stderr.write(f"skipped {doc.name}: {err}")
        except SourceError as err:
            raise CommandError(str(err)) from None
        finally:
            reset_id_sequences()
            changed = any(counts["created"] or counts["updated"] for counts in tally.values())
            if changed:
                packages, grids = rebuild()
        for kind in PLACEHOLDER_KINDS:
            # Rows a package only linked to; a document filling one in later counts as an update.
            new_rows = MODELS[kind].objects.count() - rows_before[kind]
            tally[kind]["placeholders created"] = new_rows - tally[kind]["created"]
        for kind, counts in tally.items():
            self.stdout.write(f"{kind}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        if changed:
            self.stdout.write(f"search index: {packages} packages, {grids} grids")
        skipped = sum(counts["skipped"] for counts in tally.values())
        if skipped:
            raise CommandError(f"{skipped} document(s) skipped")
