"""``manage.py export_v4 FOLDER [--base-url URL]``: write every v4 document as the API serves it."""
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from mirror.export import KINDS, count, documents, write

DEFAULT_BASE_URL = "https://djangopackages.org"


class Command(BaseCommand):
    help = (
        "Write every package, grid and category document to FOLDER/<kind>/<id>.json (the layout import_v4 "
        "reads), each byte for byte the JSON body the API serves for GET /api/v4/<kind>/<id>/ on a server "
        f"at --base-url (default {DEFAULT_BASE_URL}). Document files of rows no longer held are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="where to write (created when missing)")
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help=f"the server the links point to (default {DEFAULT_BASE_URL})")

    def handle(self, folder, base_url, **options):
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url must be an http(s) URL, not {base_url!r}")
        try:
            for kind in KINDS:
                progress = tqdm(write(folder, kind, documents(kind, base_url)), total=count(kind), desc=kind, unit="doc", disable=None)
                written = sum(1 for _ in progress)
                self.stdout.write(f"{kind}: {written} written")
        except OSError as err:
            raise CommandError(f"cannot write to {folder}: {err}") from None
