"""How the OpenAPI schema describes v3: its documents (declaration-only serializers; the views
build the resources themselves, ``apiv3.resources``) and ``V3AutoSchema``, which tags every v3
operation ``v3`` and declares its statuses as v4's are declared."""
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from core.schema import NOT_MODIFIED, PRECONDITION_FAILED, VALIDATORS, V4AutoSchema

ANY_STRING = {"type": "string"}


def _integer_or_string(minimum):
    return {"anyOf": [{"type": "integer", "minimum": minimum}, ANY_STRING]}


PAGE_PARAMETERS = [
    OpenApiParameter(
        "limit", _integer_or_string(1), OpenApiParameter.QUERY,
        description="How many objects a page holds, 1 to API_MAX_PAGE_SIZE (1000; more is cut to it); any other value gives 20.",
    ),
    OpenApiParameter(
        "offset", _integer_or_string(0), OpenApiParameter.QUERY,
        description="How many objects come before the page; any value that is not a whole number counts as 0.",
    ),
]
CATEGORY_PARAMETER = OpenApiParameter(
    "category", ANY_STRING, OpenApiParameter.QUERY,
    description="A category slug: only its packages, when such a category exists (otherwise all packages).",
)


def _text(**kwargs):
    return serializers.CharField(read_only=True, **kwargs)


class V3BaseSerializer(serializers.Serializer):
    """The keys every v3 resource starts with; datetimes are UTC (``2012-06-05T08:59:01.326Z``)."""

    absolute_url = _text()
    created = serializers.DateTimeField(read_only=True)
    modified = serializers.DateTimeField(read_only=True)
    slug = _text()
    title = _text()


class V3CategorySerializer(V3BaseSerializer):
    """A category, as v3 serves it."""

    description = _text()
    resource_uri = _text()
    show_pypi = serializers.BooleanField(read_only=True)
    title_plural = _text()


class V3GridSerializer(V3BaseSerializer):
    """A grid, as v3 serves it; ``packages`` are v3 package URLs in package title order."""

    description = _text()
    is_locked = serializers.BooleanField(read_only=True)
    resource_uri = _text()
    header = serializers.BooleanField(read_only=True)
    packages = serializers.ListField(child=_text(), read_only=True)


class V3PackageSerializer(V3BaseSerializer):
    """A package, as v3 serves it: ``commit_list`` and ``commits_over_52`` are the 52 weekly commit
    counts joined by commas (``""`` when none), ``participants`` the names joined by commas."""

    category = _text()
    commit_list = _text()
    commits_over_52 = _text()
    created_by = _text(allow_null=True)
    documentation_url = _text(allow_null=True)
    grids = serializers.ListField(child=_text(), read_only=True)
    last_fetched = serializers.DateTimeField(read_only=True, allow_null=True)
    last_modified_by = _text(allow_null=True)
    participants = _text()
    pypi_url = _text()
    pypi_version = _text(allow_null=True)
    repo_description = _text()
    repo_forks = serializers.IntegerField(read_only=True)
    repo_url = _text()
    repo_watchers = serializers.IntegerField(read_only=True)
    resource_uri = _text()
    usage_count = serializers.IntegerField(read_only=True)


class V3MetaSerializer(serializers.Serializer):
    """A list page's position: ``next`` and ``previous`` are relative links, null at the ends."""

    limit = serializers.IntegerField(read_only=True)
    next = _text(allow_null=True)
    offset = serializers.IntegerField(read_only=True)
    previous = _text(allow_null=True)
    total_count = serializers.IntegerField(read_only=True)


class V3CategoryListSerializer(serializers.Serializer):
    """A page of categories."""

    meta = V3MetaSerializer(read_only=True)
    objects = V3CategorySerializer(many=True, read_only=True)


class V3GridListSerializer(serializers.Serializer):
    """A page of grids."""

    meta = V3MetaSerializer(read_only=True)
    objects = V3GridSerializer(many=True, read_only=True)


class V3PackageListSerializer(serializers.Serializer):
    """A page of packages; ``category`` is always null, as the original serves it."""

    meta = V3MetaSerializer(read_only=True)
    category = _text(allow_null=True)
    objects = V3PackageSerializer(many=True, read_only=True)


class V3GridPackageListSerializer(serializers.Serializer):
    """A page of a grid's packages, after the grid itself."""

    meta = V3MetaSerializer(read_only=True)
    grid = V3GridSerializer(read_only=True)
    objects = V3PackageSerializer(many=True, read_only=True)


class V3AutoSchema(V4AutoSchema):
    """v3 operations: tagged ``v3``, envelopes (never bare arrays), 404 where a slug is looked up."""

    def get_tags(self):
        return ["v3"]

    def get_operation_id(self):
        """``v3_packages_list``, ``v3_packages_retrieve``, ``v3_grids_packages_list``, ..."""
        action = self.view.action
        words = [token for token in self._tokenize_path()[2:] if not token.startswith("{")]
        return "_".join(["v3", *words, "retrieve" if action == "retrieve" else "list"])

    def _is_list_view(self, serializer=None):
        return False  # a v3 list is an envelope object

    def _get_response_bodies(self, direction="response"):
        responses = AutoSchema._get_response_bodies(self, direction)
        responses["200"]["headers"] = VALIDATORS
        responses["304"] = NOT_MODIFIED
        if getattr(self.view, "action", None) in ("retrieve", "packages"):
            name = self.view.queryset.model._meta.verbose_name
            responses["404"] = self._json(f"No {name} has this slug.", self._error())
        responses["406"] = self._json("The Accept header names no media type the API answers in.", self._error())
        responses["412"] = PRECONDITION_FAILED
        return responses

    def _resolve_path_parameters(self, variables):
        parameters = AutoSchema._resolve_path_parameters(self, variables)
        for parameter in parameters:
            parameter["description"] = f"The {self.view.queryset.model._meta.verbose_name}'s slug."
        return parameters
