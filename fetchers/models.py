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

    @staticmethod
    def pack(content: bytes) -> bytes:
        """The stored form of a response body."""
        return zlib.compress(content)

    def json(self):
        """The stored answer, parsed."""
        return json.loads(zlib.decompress(bytes(self.body)))
