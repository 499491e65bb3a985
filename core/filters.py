"""Filter pieces shared by the apps' filtersets (django-filter): strict booleans, id-or-slug lookups, datetimes."""
from datetime import UTC, datetime

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.api import id_or_slug


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class BlankFirstTypedChoiceField(forms.TypedChoiceField):
    """A ``TypedChoiceField`` whose form offers a blank first choice: not filtered."""

    def __init__(self, *, choices=(), **kwargs):
        super().__init__(choices=[("", "---------"), *choices], **kwargs)


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """``true`` or ``false`` only; anything else is a 400 naming the parameter, never ignored.
    Blank (the form's first choice, or ``?archived=``) does not filter."""

    field_class = BlankFirstTypedChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[^\\x00]*$"})
class IdOrSlugFilter(django_filters.CharFilter):
    """Match a related row by id (ASCII digits) or by slug; ``field_name`` is the relation path.

    An id beyond the column matches nothing rather than reaching the database; a NUL byte is
    refused by the form field (a 400 naming the parameter).
    """

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        lookup = id_or_slug(value, self.field_name)
        return qs.filter(**lookup) if lookup else qs.none()


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 datetime (naive ones in ``TIME_ZONE``) converted to UTC. One that falls outside
    UTC's years 1 to 9999 (year 1 with a positive offset, 9999-12-31 late with a negative one) is
    clamped to the first or last instant UTC can hold: "since" it then means every row or none."""

    def to_python(self, value):
        parsed = super().to_python(value)
        try:
            return parsed.astimezone(UTC) if parsed is not None else None
        except OverflowError:
            return (datetime.min if parsed.year == 1 else datetime.max).replace(tzinfo=UTC)


@extend_schema_field(OpenApiTypes.DATETIME)
class SinceFilter(django_filters.IsoDateTimeFilter):
    """Rows whose ``field_name`` is at or after the given ISO 8601 datetime."""

    field_class = UTCDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(*args, **kwargs)
