"""Conditional GET and the response cache of the API, both keyed by the data generation.

An API answer depends only on the data and on the request's scheme, host, path, query string
and ``Accept`` header (the API reads no cookies or credentials), and the data generation
(``djpackages.models``) changes with every write. The ETag hashes exactly those inputs, with the
generation and the release, so:

- the viewsets read the validators before any data (``read_validators``) and, once they know the
  answer would be a 200, answer a matching ``If-None-Match``/``If-Modified-Since`` with a 304 or
  a failing ``If-Match`` with a 412 before any serializer runs (``precondition_response``);
- ``APIResponseCacheMiddleware`` keeps every cookie-free 200 of at most ``API_CACHE_MAX_BODY``
  bytes in the ``api`` cache under its ETag (at most ``API_CACHE_ENTRIES`` of them, so a process
  holds at most their product) and answers the same request from there until the data changes, and adds the validators to
  rendered answers, so the browsable API's header block does not show them.
"""
import hashlib
from datetime import timezone as dt_timezone
from importlib import metadata

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from djpackages.models import current_generation

try:
    RELEASE = metadata.version("djpackages")  # a release that changes the output bumps it
except metadata.PackageNotFoundError:  # running from a checkout that was never installed
    RELEASE = "unreleased"
API_PREFIX = "/api/"


def read_validators(request):
    """``(etag, last_modified_timestamp)`` of ``request`` (a DRF or Django request) as the data stands now.

    Read once per request (one small query) and kept on the Django request as ``api_validators``.
    """
    django_request = getattr(request, "_request", request)
    known = getattr(django_request, "api_validators", None)
    if known:
        return known
    value, changed_at = current_generation()
    key = "\n".join(
        [
            RELEASE,
            str(value),
            changed_at.isoformat() if changed_at else "",
            django_request.scheme,
            django_request.get_host(),
            django_request.get_full_path(),
            django_request.headers.get("Accept", ""),
        ]
    )
    etag = quote_etag(hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest())
    last_modified = int(changed_at.replace(tzinfo=changed_at.tzinfo or dt_timezone.utc).timestamp()) if changed_at else None
    django_request.api_validators = (etag, last_modified)
    return etag, last_modified


def precondition_response(request, validators):
    """The 304 or 412 that ``request``'s conditional headers call for, or None to answer in full."""
    etag, last_modified = validators
    return get_conditional_response(getattr(request, "_request", request), etag=etag, last_modified=last_modified)


def _cacheable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(response.content) <= settings.API_CACHE_MAX_BODY
        and not any(word in response.get("Cache-Control", "") for word in ("private", "no-store", "no-cache"))
    )


class APIResponseCacheMiddleware:
    """For GET and HEAD under ``/api/``: the cached answer when there is one, else the view's,
    with ETag and Last-Modified on every 200 and 304.

    It sits before the session, CSRF, authentication and message middleware, which an answer
    from the cache does not need.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches["api"]

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        etag, last_modified = read_validators(request)
        cached = self.cache.get(etag)
        if cached is None:
            response = self.get_response(request)
            if response.status_code in (200, 304):
                response.headers.setdefault("ETag", etag)
                if last_modified is not None:
                    response.headers.setdefault("Last-Modified", http_date(last_modified))
            if _cacheable(response):
                self.cache.set(etag, (response.content, list(response.items())))
            return response
        content, headers = cached
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response) or response
