"""Building blocks shared by the apps' v4 viewsets and serializers.

- ``V4LinkField``: absolute links by id, built from one ``reverse()`` per request.
- ``V4DateTimeField``: datetimes in the configured time zone with their offset, never ``Z``.
- ``V4ReadOnlyViewSet``: read-only viewset with the id-or-slug lookup and a fixed view description.
"""
from django.http import Http404
from django.utils import timezone
from rest_framework import serializers, viewsets
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


class V4LinkField(serializers.HyperlinkedRelatedField):
    """A read-only ``HyperlinkedRelatedField`` that reverses its view once per request and then
    only puts each id into that URL: the same URLs (host, ``?format=`` kept, format suffix), at a
    fraction of the cost of one ``reverse()`` per link."""

    MARKER = "0djpackages-id0"  # matches the lookup pattern and appears in no host or path

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_url(self, obj, view_name, request, format):
        templates = self.context.setdefault("v4_url_templates", {})
        key = (view_name, self.lookup_url_kwarg, format)
        if key not in templates:
            templates[key] = self.reverse(view_name, kwargs={self.lookup_url_kwarg: self.MARKER}, request=request, format=format)
        return templates[key].replace(self.MARKER, str(getattr(obj, self.lookup_field)))


class V4DateTimeField(serializers.DateTimeField):
    """Read-only datetime as ISO 8601 in ``TIME_ZONE`` with its offset (``2017-03-02T03:57:56-05:00``).

    Microseconds appear only when non-zero; ``None`` stays ``None``.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return timezone.localtime(value).isoformat() if value is not None else None


class V4ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """GET/HEAD/OPTIONS list and detail, looked up by id (ASCII digits only) or else by slug.

    A lookup that cannot match (id beyond the column, NUL byte) is a 404 like any unknown one,
    with DRF's ``{"detail": "No <Model> matches the given query."}``. ``view_description`` is
    the text the browsable API shows above the request. ``document_scope`` and ``list_scopes``
    name the validators of what a detail and a list show (``djpackages.conditional``).
    """

    lookup_value_regex = "[^/]+"
    view_description = ""
    document_scope = None
    list_scopes = ()

    def get_object(self):
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        queryset = self.get_queryset()  # list filters do not narrow a lookup
        lookup = id_or_slug(value)
        obj = queryset.filter(**lookup).first() if lookup else None
        if obj is None:
            raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")
        self.check_object_permissions(self.request, obj)
        return obj

    def get_view_description(self, html=False):
        return markup_description(self.view_description) if html else self.view_description
