"""Reading v4 documents from a folder laid out like the shared dataset or from a live v4 API.

A source yields ``RawDocument``s per kind (``"categories"``, ``"grids"``, ``"packages"``): the
parsed JSON object, or the reason it could not be read. Validation and writing are
``mirror.importer``'s job.
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import requests
from django.conf import settings

from fetchers.http.client import session

KINDS = ("categories", "grids", "packages")
PAGE_SIZE = 100


class SourceError(Exception):
    """The source as a whole cannot be read (missing folder, a list page that keeps failing)."""


@dataclass
class RawDocument:
    """One document: ``name`` says where it came from (file name or URL); ``data`` is the parsed
    JSON value (any type) or None when ``error`` says why it could not be parsed."""

    kind: str
    name: str
    data: Any = None
    error: str = ""


class FolderSource:
    """``<folder>/<kind>/<id>.json`` files, read in id order; a missing kind folder yields nothing."""

    def __init__(self, folder):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise SourceError(f"{folder} is not a folder")

    def _files(self, kind):
        folder = self.folder / kind
        if not folder.is_dir():
            return []
        return sorted(
            (f for f in folder.iterdir() if re.fullmatch(r"\d+\.json", f.name)), key=lambda f: int(f.stem)
        )

    def count(self, kind):
        """Number of documents of ``kind`` (int)."""
        return len(self._files(kind))

    def documents(self, kind) -> Iterator[RawDocument]:
        """Yield each ``<id>.json`` of ``kind`` parsed, or with the parse error."""
        for path in self._files(kind):
            name = f"{kind}/{path.name}"
            try:
                yield RawDocument(kind, name, json.loads(path.read_text(encoding="utf-8")))
            except (ValueError, UnicodeDecodeError) as err:
                yield RawDocument(kind, name, error=f"not valid JSON: {err}")


class ApiSource:
    """A live v4 API root such as ``https://djangopackages.org/api/v4/``, walked page by page.

    Each list page is fetched with ``limit=100`` following ``next`` links, through the fetchers'
    shared session (timeouts, urllib3 retries with exponential back-off). A page that still fails
    raises ``SourceError``; an item on a page that is not an object is yielded with an error.
    """

    def __init__(self, base_url):
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"

    def _page(self, url):
        timeout = (settings.FETCH_CONNECT_TIMEOUT, settings.FETCH_READ_TIMEOUT)
        try:
            response = session().get(url, timeout=timeout)
            response.raise_for_status()
            page = response.json()
        except (requests.RequestException, ValueError) as err:
            raise SourceError(f"GET {url} failed: {err}") from err
        if not isinstance(page, dict) or not isinstance(page.get("results"), list):
            raise SourceError(f"GET {url} is not a v4 list page")
        return page

    def count(self, kind):
        """Number of documents of ``kind`` the API reports (its ``count``)."""
        count = self._page(f"{self.base_url}{kind}/?limit=1").get("count")
        return count if isinstance(count, int) else None

    def documents(self, kind) -> Iterator[RawDocument]:
        """Yield every item of the ``kind`` list, page after page."""
        url = f"{self.base_url}{kind}/?limit={PAGE_SIZE}"
        while url:
            page = self._page(url)
            for index, item in enumerate(page["results"]):
                yield RawDocument(kind, f"{url} item {index}", item)
            url = page.get("next")
            if url is not None and not isinstance(url, str):
                raise SourceError(f"{kind} page has a non-URL next link: {url!r}")


def open_source(source):
    """A ``FolderSource`` or ``ApiSource`` for ``source`` (a path, or an http(s) URL)."""
    if re.match(r"https?://", source):
        return ApiSource(source)
    return FolderSource(source)
