"""Filter pieces shared by the apps' filtersets (django-filter): strict booleans, id-or-slug lookups."""
import django_filters

from djpackages.api import MAX_ID


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """``true`` or ``false`` only; anything else is a 400 naming the parameter, never ignored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


class IdOrSlugFilter(django_filters.CharFilter):
    """Match a related row by id (ASCII digits) or by slug; ``field_name`` is the relation path.

    An id beyond the column matches nothing rather than reaching the database; a NUL byte is
    refused by the form field (a 400 naming the parameter).
    """

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        if value.isascii() and value.isdigit():
            if int(value) > MAX_ID:
                return qs.none()
            return qs.filter(**{f"{self.field_name}_id": int(value)})
        return qs.filter(**{f"{self.field_name}__slug": value})
