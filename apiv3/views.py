"""The v3 endpoints: plain JSON, GET and HEAD only, lookups by slug, lists by title in
``{"meta", "objects"}`` envelopes; the v3 user routes send to the login page; ``/api/v1/`` is Gone.

Each viewset's ``list_scopes`` names every list whose rows its answers show (v3 links by slug, so a
package shows its category's and grids' slugs), and ``scopes_cover_details`` makes them the
validators of its details too (``core.conditional``).
"""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseGone
from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import APIRootView

from apiv3 import resources
from apiv3.schema import (
    CATEGORY_PARAMETER, PAGE_PARAMETERS, V3AutoSchema, V3CategoryListSerializer, V3CategorySerializer,
    V3GridListSerializer, V3GridPackageListSerializer, V3GridSerializer, V3PackageListSerializer, V3PackageSerializer,
)
from categories.models import Category
from grids.models import Grid
from packages.models import Package

DEFAULT_LIMIT = 20


class V3JSONRenderer(JSONRenderer):
    """JSON as ``json.dumps`` writes it by default (the original's), spaces after separators."""

    compact = False
    ensure_ascii = True


class V3Mixin:
    """What every v3 view shares: JSON only, GET and HEAD only (anything else is a 405), no pagination class."""

    renderer_classes = [V3JSONRenderer]
    http_method_names = ["get", "head"]
    pagination_class = None
    filter_backends = []
    schema = V3AutoSchema()


def _int(request, name, default):
    try:
        return int(request.query_params.get(name, default))
    except (TypeError, ValueError):
        return default


def envelope(request, queryset, build, before_objects=None, keep=None):
    """``{"meta", **before_objects, "objects"}``: the page of ``queryset`` that ``?limit=`` and
    ``?offset=`` ask for, rendered by ``build`` (a ``resources`` function).

    ``limit`` is 20 unless a positive integer is given, and at most ``API_MAX_PAGE_SIZE``; ``offset``
    is 0 unless a non-negative integer is given. ``next``/``previous`` are relative links, null at the
    ends, carrying ``keep`` (query parameters) before the page's own.
    """
    limit = _int(request, "limit", DEFAULT_LIMIT)
    limit = min(limit if limit > 0 else DEFAULT_LIMIT, settings.API_MAX_PAGE_SIZE)
    offset = max(_int(request, "offset", 0), 0)
    count = queryset.count()

    def link(at):
        return f"{request.path}?{urlencode({**(keep or {}), 'limit': limit, 'offset': at})}"

    meta = {
        "limit": limit,
        "next": link(offset + limit) if count > offset + limit else None,
        "offset": offset,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
        "total_count": count,
    }
    objects = build(queryset[offset : offset + limit]) if offset < count else []
    return {"meta": meta, **(before_objects or {}), "objects": objects}


class V3ViewSet(V3Mixin, viewsets.GenericViewSet):
    """A v3 list (``list``) and resource by slug (``retrieve``); ``build`` renders rows of ``queryset``."""

    lookup_field = "slug"
    scopes_cover_details = True
    build = None

    def row(self, slug, queryset=None):
        """The row whose slug is ``slug``, or a 404."""
        queryset = self.get_queryset() if queryset is None else queryset
        found = queryset.filter(slug=slug).first() if "\x00" not in slug else None
        if found is None:
            raise NotFound(f"No {queryset.model._meta.object_name} matches the given query.")
        return found

    def list(self, request):
        """A page of the list."""
        return Response(envelope(request, self.get_queryset(), type(self).build))

    def retrieve(self, request, slug):
        """One resource."""
        return Response(type(self).build([self.row(slug)])[0])


class V3RootView(V3Mixin, APIRootView):
    """Where each v3 list is (left out of the schema, as v4's root is: it takes nothing and shows no data)."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        """The v3 lists."""
        return Response({
            "categories": "/api/v3/categories/",
            "grids": "/api/v3/grids/",
            "packages": "/api/v3/packages/",
            "users": "/api/v3/users/",
        })


class PackageViewSet(V3ViewSet):
    """Packages by title; ``?category=<slug>`` keeps those of that category, when it exists."""

    queryset = Package.objects.values(*resources.PACKAGE_COLUMNS).order_by("title", "id")
    list_scopes = ("package-list", "category-list")
    build = resources.package_resources

    @extend_schema(parameters=[CATEGORY_PARAMETER, *PAGE_PARAMETERS], responses=V3PackageListSerializer)
    def list(self, request):
        """A page of packages, of one category when `category` names one."""
        queryset, keep = self.get_queryset(), None
        category = request.query_params.get("category")
        if category and "\x00" not in category and Category.objects.filter(slug=category).exists():
            queryset, keep = queryset.filter(category__slug=category), {"category": category}
        return Response(envelope(request, queryset, resources.package_resources, {"category": None}, keep))

    @extend_schema(responses=V3PackageSerializer)
    def retrieve(self, request, slug):
        """One package."""
        return super().retrieve(request, slug)


class GridViewSet(V3ViewSet):
    """Grids by title, and the packages of one."""

    queryset = Grid.objects.values(*resources.GRID_COLUMNS).order_by("title", "id")
    list_scopes = ("grid-list", "package-list")
    build = resources.grid_resources

    @extend_schema(parameters=PAGE_PARAMETERS, responses=V3GridListSerializer)
    def list(self, request):
        """A page of grids."""
        return super().list(request)

    @extend_schema(responses=V3GridSerializer)
    def retrieve(self, request, slug):
        """One grid."""
        return super().retrieve(request, slug)

    @extend_schema(parameters=PAGE_PARAMETERS, responses=V3GridPackageListSerializer)
    def packages(self, request, slug):
        """A page of the grid's packages by title, after the grid itself."""
        grid = self.row(slug)
        members = PackageViewSet.queryset.filter(grids__id=grid["id"])
        return Response(envelope(request, members, resources.package_resources, {"grid": resources.grid_resources([grid])[0]}))


class CategoryViewSet(V3ViewSet):
    """Categories by title."""

    queryset = Category.objects.values(*resources.CATEGORY_COLUMNS).order_by("title", "id")
    list_scopes = ("category-list",)
    build = resources.category_resources

    @extend_schema(parameters=PAGE_PARAMETERS, responses=V3CategoryListSerializer)
    def list(self, request):
        """A page of categories."""
        return super().list(request)

    @extend_schema(responses=V3CategorySerializer)
    def retrieve(self, request, slug):
        """One category."""
        return super().retrieve(request, slug)


def users(request, github_account=None):
    """The v3 user routes: the original shows profiles to logged-in users only, and we have none to
    show, so every visitor is sent to the login page, as the original sends an anonymous one."""
    return redirect_to_login(request.get_full_path(), reverse("admin:login"))


def v1_gone(request):
    """``/api/v1/...``: 410 Gone, naming the APIs that replace it."""
    return HttpResponseGone("API v1 is gone: use /api/v3/ or /api/v4/.\n", content_type="text/plain; charset=utf-8")
