"""What the fetchers remember between refreshes: the last answer to each GET, for conditional requests.

Kept in the database rather than the cache because it must survive a restart and the Redis of
this project keeps nothing on disk.
"""
import json
import zlib

from django.db import IntegrityError, models, transaction


class StoredResponse(models.Model):
    """The last successful answer to one GET URL (query string included).

    ``etag`` and ``last_modified`` are sent back as ``If-None-Match`` / ``If-Modified-Since``;
    on a 304 the answer is rebuilt from ``body`` (the raw JSON bytes, zlib-compressed: PyPI answers
    run to half a megabyte), ``final_url`` (where redirects ended) and ``headers`` (the few
    headers the clients read, such as ``Link``).

    ``package`` is the package whose refresh last stored or used it (null for a row stored by a
    client of no package, or before the column existed): a refresh reads all its package's rows in
    one query, a clean refresh deletes those of its rows it no longer asks for (the repository or
    PyPI URL changed), and deleting the package deletes them.
    """

    url = models.CharField(max_length=2000, unique=True)
    final_url = models.CharField(max_length=2000)
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=64, blank=True)
    headers = models.JSONField(default=dict)
    body = models.BinaryField()
    package = models.ForeignKey("packages.Package", null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return self.url

    @classmethod
    def store(cls, url: str, *, body: bytes, package_id: int | None = None, **fields) -> None:
        """Keep ``body`` (raw bytes) and the other ``fields`` as the answer to ``url``, owned by the
        package ``package_id``, replacing any earlier one, in one statement (an upsert: no read first,
        no row lock held across statements). Nothing is stored when that package was deleted meanwhile."""
        row = cls(url=url, body=zlib.compress(body), package_id=package_id, **fields)
        update = ["body", "package", *fields]
        try:
            with transaction.atomic():
                cls.objects.bulk_create([row], update_conflicts=True, unique_fields=["url"], update_fields=update)
        except IntegrityError:  # the only constraint an upsert can break: the package is gone
            pass

    def json(self):
        """The stored answer, parsed."""
        return json.loads(zlib.decompress(bytes(self.body)))
