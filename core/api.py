"""Building blocks shared by the apps' v4 viewsets and serializers.

- ``V4DocumentSerializer``: a serializer whose declared fields describe a v4 document (schema,
  OPTIONS) while it renders the document straight from ``values()`` rows, skipping model
  instances and DRF's per-field machinery;
- ``link_template``/``v4_datetime``: links by id from one ``reverse()`` per request, and datetimes
  in the configured time zone with their offset;
- ``V4DateTimeField``: how such a datetime is declared; ``URLOrEmptyField`` and ``URLOrNoneField``:
  how a URL that may be missing is;
- ``V4ReadOnlyViewSet``: read-only viewset with the id-or-slug lookup and a fixed view description.
"""
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.reverse import reverse
from rest_framework.utils.formatting import markup_description


# Ids are BigAutoFields: anything larger cannot exist, and asking the database would raise.
MAX_ID = 2**63 - 1


def id_or_slug(value, relation=""):
    """Filter arguments that find ``value`` as an id (ASCII digits only) or else as a slug, on the
    model itself or through ``relation`` (``"category"`` gives ``category__pk``/``category__slug``).

    None when nothing can match: an id beyond the column, or a NUL byte, which the database
    would refuse rather than not find.
    """
    prefix = f"{relation}__" if relation else ""
    if value.isascii() and value.isdigit():
        fits = len(value) <= len(str(MAX_ID)) and int(value) <= MAX_ID
        return {f"{prefix}pk": int(value)} if fits else None
    return {f"{prefix}slug": value} if "\x00" not in value else None


LINK_MARKER = "0djpackages-id0"  # matches every lookup pattern and appears in no host or path


def link_template(context, view_name):
    """The URL DRF's ``HyperlinkedRelatedField`` would give the detail ``view_name`` of an object
    in this serializer ``context`` (absolute, ``?format=`` kept, the format suffix of the request),
    with ``LINK_MARKER`` where the id goes; built with one ``reverse()`` per request and view."""
    templates = context.setdefault("v4_link_templates", {})
    key = (view_name, context.get("format"))
    if key not in templates:
        templates[key] = reverse(view_name, kwargs={"pk": LINK_MARKER}, request=context["request"], format=context.get("format"))
    return templates[key]


def v4_datetime(value):
    """``value`` (an aware datetime or None) as ISO 8601 in ``TIME_ZONE`` with its offset
    (``2017-03-02T03:57:56-05:00``, microseconds only when non-zero), or None."""
    return timezone.localtime(value).isoformat() if value is not None else None


class V4DocumentListSerializer(serializers.ListSerializer):
    """Many documents from ``values()`` rows, with one ``related`` query for all of them."""

    def to_representation(self, data):
        rows = list(data)
        related = self.child.related([row["id"] for row in rows])
        return [self.child.document(row, related) for row in rows]


class V4DocumentSerializer(serializers.ModelSerializer):
    """A v4 document rendered from a ``values(*columns)`` row of its model.

    The declared fields say what the document holds (for the OpenAPI schema and OPTIONS); the
    rendering is ``document(row, related)``, which returns the document's dict in v4 key order.
    ``related(ids)`` reads, in one query, what the documents of those row ids need besides their
    row (grid memberships, say) and returns it in any shape ``document`` takes. Subclasses set
    ``columns`` and ``Meta.list_serializer_class = V4DocumentListSerializer``.
    """

    columns = ()
    # Slugs are served as imported (``import_v4`` keeps them as given), so no slug pattern is promised.
    slug = serializers.CharField(read_only=True)

    def related(self, ids):
        """What the documents of rows ``ids`` need besides their row; nothing by default."""
        return None

    def document(self, row, related):
        """The v4 document of ``row``."""
        raise NotImplementedError

    def to_representation(self, instance):
        return self.document(instance, self.related([instance["id"]]))


class V4DateTimeField(serializers.DateTimeField):
    """Read-only datetime as ISO 8601 in ``TIME_ZONE`` with its offset (``2017-03-02T03:57:56-05:00``).

    Microseconds appear only when non-zero; ``None`` stays ``None``.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return v4_datetime(value)


# A URL is never empty, so that "" matches only the branch for "no URL", whether or not a
# validator checks ``format``.
URL_SCHEMA = {"type": "string", "format": "uri", "minLength": 1}


@extend_schema_field({"oneOf": [URL_SCHEMA, {"type": "string", "maxLength": 0}]})
class URLOrEmptyField(serializers.CharField):
    """Read-only URL, ``""`` when there is none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


@extend_schema_field({"oneOf": [URL_SCHEMA, {"type": "string", "maxLength": 0, "nullable": True}]})
class URLOrNoneField(URLOrEmptyField):
    """Read-only URL, ``""`` or null when there is none (null belongs to the second branch only)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)


class V4ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """GET/HEAD/OPTIONS list and detail, looked up by id (ASCII digits only) or else by slug.

    A lookup that cannot match (id beyond the column, NUL byte) is a 404 like any unknown one,
    with DRF's ``{"detail": "No <Model> matches the given query."}``. ``view_description`` is
    the text the browsable API shows above the request. ``document_scope`` and ``list_scopes``
    name the validators of what a detail and a list show, ``action_scopes`` (``{action: scope}``)
    those of a detail route that shows more than its document (``core.conditional``).
    """

    lookup_value_regex = "[^/.]+"  # as DRF's default: a ".json" after the id is the format suffix
    view_description = ""
    document_scope = None
    list_scopes = ()
    action_scopes = {}

    def get_object(self):
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        queryset = self.get_queryset()  # list filters do not narrow a lookup
        lookup = id_or_slug(value)
        obj = queryset.filter(**lookup).first() if lookup else None
        if obj is None:
            raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")
        self.check_object_permissions(self.request, obj)
        return obj

    def filter_queryset(self, queryset):
        """The filter backends' queryset, or ``queryset`` itself when the request names no filter
        (building a filterset and its form costs more than rendering a small page)."""
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None and not any(name in self.request.query_params for name in filterset_class.base_filters):
            return queryset
        return super().filter_queryset(queryset)

    def get_view_description(self, html=False):
        return markup_description(self.view_description) if html else self.view_description
