"""Conditional GET for the API: ETag and Last-Modified from the data generation, 304s without rendering.

The viewsets read the validators before they read any data (``read_validators``), and answer a
matching ``If-None-Match``/``If-Modified-Since`` (304) or failing ``If-Match`` (412) once they know
the answer would otherwise be a 200 — the object exists, the filters are valid — but before any
serializer runs (``precondition_response``). The middleware adds the headers to the rendered
answer, so the browsable API's header block does not show them.
"""
import hashlib
from datetime import timezone as dt_timezone

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from djpackages.models import current_generation


def read_validators(request):
    """``(etag, last_modified_timestamp)`` of ``request`` (a DRF or Django request) as the data stands now.

    The ETag is strong: it changes with any write to the API tables and differs per host, path,
    query string and ``Accept`` header, the inputs that shape the body. The pair is also kept on
    the Django request for ``APIConditionalGetMiddleware``.
    """
    django_request = getattr(request, "_request", request)
    value, changed_at = current_generation()
    stamp = changed_at.isoformat() if changed_at else ""
    key = "\n".join(
        [str(value), stamp, django_request.get_host(), django_request.get_full_path(), django_request.headers.get("Accept", "")]
    )
    etag = quote_etag(hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest())
    last_modified = int(changed_at.replace(tzinfo=changed_at.tzinfo or dt_timezone.utc).timestamp()) if changed_at else None
    django_request.api_validators = (etag, last_modified)
    return etag, last_modified


def precondition_response(request, validators):
    """The 304 or 412 that ``request``'s conditional headers call for, or None to answer in full."""
    etag, last_modified = validators
    return get_conditional_response(getattr(request, "_request", request), etag=etag, last_modified=last_modified)


class APIConditionalGetMiddleware:
    """Adds the validators a view read to its 200 or 304 answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        validators = getattr(request, "api_validators", None)
        if validators and response.status_code in (200, 304):
            etag, last_modified = validators
            response.headers.setdefault("ETag", etag)
            if last_modified is not None:
                response.headers.setdefault("Last-Modified", http_date(last_modified))
        return response
