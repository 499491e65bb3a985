"""Conditional GET for the API: ETag and Last-Modified from the data generation, 304s without rendering.

The validators are known before the view runs (one small query), so a matching ``If-None-Match``
or ``If-Modified-Since`` is answered 304 without touching the serializers. The headers are added
to the rendered response, so the browsable API's header block does not show them.
"""
import hashlib
from datetime import timezone as dt_timezone

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from djpackages.models import current_generation


def api_validators(request):
    """``(etag, last_modified_timestamp)`` for a GET/HEAD of ``request`` as the data stands now.

    The ETag is strong: it changes with any write to the API tables and differs per host, path,
    query string and ``Accept`` header, the inputs that shape the body.
    """
    value, changed_at = current_generation()
    stamp = changed_at.isoformat() if changed_at else ""
    key = "\n".join([str(value), stamp, request.get_host(), request.get_full_path(), request.headers.get("Accept", "")])
    etag = quote_etag(hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest())
    last_modified = int(changed_at.replace(tzinfo=changed_at.tzinfo or dt_timezone.utc).timestamp()) if changed_at else None
    return etag, last_modified


class APIConditionalGetMiddleware:
    """Adds ETag/Last-Modified to successful GET/HEAD answers under ``/api/`` and answers 304 when they match."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not request.path.startswith("/api/"):
            return self.get_response(request)
        etag, last_modified = api_validators(request)
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is not None:
            response.headers["Vary"] = "Accept"
        else:
            response = self.get_response(request)
        if response.status_code in (200, 304):
            response.headers.setdefault("ETag", etag)
            if last_modified is not None:
                response.headers.setdefault("Last-Modified", http_date(last_modified))
        return response
