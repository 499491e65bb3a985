"""What the fetchers remember between refreshes: the last answer to each GET, for conditional requests.

Kept in the database rather than the cache because it must survive a restart and the Redis of
this project keeps nothing on disk.
"""
import json
import zlib

from django.db import models


class StoredResponse(models.Model):
    """The last successful answer to one GET URL (query string included).

    ``etag`` and ``last_modified`` are sent back as ``If-None-Match`` / ``If-Modified-Since``;
    on a 304 the answer is rebuilt from ``body`` (the raw JSON bytes, zlib-compressed: PyPI answers
    run to half a megabyte), ``final_url`` (where redirects ended) and ``headers`` (the few
    headers the clients read, such as ``Link``).
    """

    url = models.CharField(max_length=2000, unique=True)
    final_url = models.CharField(max_length=2000)
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=64, blank=True)
    headers = models.JSONField(default=dict)
    body = models.BinaryField()
    fetched_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.url

    @classmethod
    def store(cls, url: str, *, body: bytes, **fields) -> None:
        """Keep ``body`` (raw bytes) and the other ``fields`` as the answer to ``url``, replacing any
        earlier one, in one statement (an upsert: no read first, no row lock held across statements)."""
        row = cls(url=url, body=zlib.compress(body), **fields)
        update = ["body", "fetched_at", *fields]
        cls.objects.bulk_create([row], update_conflicts=True, unique_fields=["url"], update_fields=update)

    def json(self):
        """The stored answer, parsed."""
        return json.loads(zlib.decompress(bytes(self.body)))
