"""Writing every v4 document as the API serves it, in the layout ``import_v4`` reads.

``export(folder, base_url)`` renders each package, grid and category with the API's own
serializers and JSON renderer, its links under ``base_url`` instead of a request's host, and writes
the bytes to ``<folder>/<kind>/<id>.json``. A document is rendered from the same ``values()`` rows
as the API's list pages, a batch at a time (one query for the rows and one for their
memberships per batch).
"""
import re
from pathlib import Path

from django.http import QueryDict
from rest_framework.renderers import JSONRenderer

from categories.serializers import CategorySerializer
from categories.views import CategoryViewSet
from grids.serializers import GridSerializer
from grids.views import GridViewSet
from packages.serializers import PackageSerializer
from packages.views import PackageViewSet

# kind -> (the queryset the API reads, the serializer that renders it)
KINDS = {
    "packages": (PackageViewSet.queryset, PackageSerializer),
    "grids": (GridViewSet.queryset, GridSerializer),
    "categories": (CategoryViewSet.queryset, CategorySerializer),
}
BATCH = 500
DOCUMENT_FILE = re.compile(r"\d+\.json")


class BaseURLRequest:
    """What rendering links reads of a request (``build_absolute_uri`` and ``GET``), for links
    under ``base_url`` (``https://djangopackages.org``, no trailing slash needed) with no query."""

    GET = QueryDict()

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")

    def build_absolute_uri(self, location):
        """``location`` (an absolute path) under the base URL."""
        return self.base_url + location


def count(kind):
    """How many documents of ``kind`` an export writes (int)."""
    return KINDS[kind][0].count()


def documents(kind, base_url):
    """Yield ``(id, body)`` for every document of ``kind`` in id order: ``body`` is the bytes the
    API serves for ``GET /api/v4/<kind>/<id>/`` (JSON) on a server at ``base_url``."""
    queryset, serializer_class = KINDS[kind]
    context = {"request": BaseURLRequest(base_url), "format": None}
    renderer = JSONRenderer()
    last = 0
    while True:
        rows = list(queryset.filter(id__gt=last).order_by("id")[:BATCH])
        if not rows:
            return
        for row, document in zip(rows, serializer_class(rows, many=True, context=context).data, strict=True):
            yield row["id"], renderer.render(document)
        last = rows[-1]["id"]


def write(folder, kind, items):
    """Write ``(id, body)`` items as ``<folder>/<kind>/<id>.json`` and delete the ``<id>.json`` files
    there of documents no longer held, so the folder holds exactly the exported ones; yields each
    id written (for a progress bar)."""
    target = Path(folder) / kind
    target.mkdir(parents=True, exist_ok=True)
    written = set()
    for ident, body in items:
        name = f"{ident}.json"
        (target / name).write_bytes(body)
        written.add(name)
        yield ident
    for stale in target.iterdir():
        if DOCUMENT_FILE.fullmatch(stale.name) and stale.name not in written:
            stale.unlink()
