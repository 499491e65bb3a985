"""Conditional GET and the response cache of the API, both keyed by the validators of each answer.

An API answer depends only on the data it shows and on the request's scheme, host, path, query
string and ``Accept`` header (the API reads no cookies or credentials). Each viewset names the
validators of what it shows (``core.models``): ``document_scope`` for a detail (and its
detail routes, unless ``action_scopes`` maps the route's action to a scope of its own), ``list_scopes`` for its list (and for every action, when it sets
``scopes_cover_details``: answers that show other documents' slugs, as v3's do). The ETag hashes those validators' values with the
request's inputs and the release, so it changes exactly when the answer may have, and an
answer's ETag survives writes that do not touch what it shows.

``APIResponseCacheMiddleware`` is the one place that answers conditional requests: for a GET or
HEAD under ``/api/`` it reads the validators (one query), serves the answer from the per-process
``api`` cache when it holds it (rendered earlier under the same ETag), else lets the view render
it, then answers ``If-None-Match``/``If-Modified-Since`` with a 304 and a failing ``If-Match``
with a 412, only where the answer is a 200. Every cookie-free 200 of at most
``API_CACHE_MAX_BODY`` bytes is kept (at most ``API_CACHE_ENTRIES`` of them). The validators, and
``X-Cache: hit`` or ``miss`` (whether the answer came from the cache), are added after rendering,
so the browsable API's header block does not show them.
"""
import hashlib
from datetime import timezone as dt_timezone
from importlib import metadata

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import APIRootView

from core.api import id_or_slug
from core.models import document_version, list_versions

try:
    RELEASE = metadata.version("djpackages")  # a release that changes the output bumps it
except metadata.PackageNotFoundError:  # running from a checkout that was never installed
    RELEASE = "unreleased"
API_PREFIX = "/api/"
# Answers that show no data: their validators are the release alone.
DATALESS_VIEWS = (APIRootView, SpectacularAPIView, SpectacularSwaggerView, SpectacularRedocView)


def data_versions(view, action, kwargs):
    """``(token, changed_at)`` of the data the answer of ``view``'s ``action`` shows, or None when
    it has no validators (an unknown view, or a document that does not exist).

    ``token`` is a string naming each validator with its value; ``changed_at`` the latest change
    (an aware datetime) or None.
    """
    if view is None:
        return None
    if issubclass(view, DATALESS_VIEWS):
        return "dataless", None
    scopes = getattr(view, "list_scopes", None)
    # A view whose every answer draws on its lists alone (the v3 API) says so with ``scopes_cover_details``.
    if scopes and (action == "list" or getattr(view, "scopes_cover_details", False)):
        versions = list_versions(scopes)
        dates = [changed_at for _, changed_at in versions.values() if changed_at]
        return ",".join(f"{scope}={value}" for scope, (value, _) in versions.items()), max(dates, default=None)
    scope = getattr(view, "action_scopes", {}).get(action) or getattr(view, "document_scope", None)
    lookup = kwargs.get(getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk"))
    if scope and action and action != "list" and lookup is not None:
        where = id_or_slug(lookup)
        if where is None:
            return None
        ((column, value),) = where.items()
        found = document_version(scope, view.queryset.model._meta.db_table, "id" if column == "pk" else column, value)
        return (f"{scope}={found[0]}", found[1]) if found else None
    return None


def read_validators(request):
    """``(etag, last_modified_timestamp)`` of the answer to ``request`` as the data stands now, or
    None when the answer has none (see ``data_versions``)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    actions = getattr(match.func, "actions", None) or {}
    versions = data_versions(getattr(match.func, "cls", None), actions.get("get"), match.kwargs)
    if versions is None:
        return None
    token, changed_at = versions
    key = "\n".join(
        [RELEASE, token, request.scheme, request.get_host(), request.get_full_path(), request.headers.get("Accept", "")]
    )
    etag = quote_etag(hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest())
    last_modified = int(changed_at.replace(tzinfo=changed_at.tzinfo or dt_timezone.utc).timestamp()) if changed_at else None
    return etag, last_modified


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
    with ETag and Last-Modified on every 200 and 304, and the 304 or 412 that the request's
    conditional headers call for.

    It sits before the session, CSRF, authentication and message middleware, which an answer
    from the cache does not need.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches["api"]

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        validators = read_validators(request)
        if validators is None:
            return self.get_response(request)
        etag, last_modified = validators
        cached = self.cache.get(etag)
        if cached is None:
            response = self.get_response(request)
            if response.status_code != 200:  # errors and redirects are never conditional
                return response
            response.headers.setdefault("ETag", etag)
            if last_modified is not None:
                response.headers.setdefault("Last-Modified", http_date(last_modified))
            if _cacheable(response):
                self.cache.set(etag, (response.content, list(response.items())))
            response["X-Cache"] = "miss"
        else:
            content, headers = cached
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "hit"
        return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response) or response
