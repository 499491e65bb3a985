"""How the OpenAPI schema describes the v4 operations beyond what drf-spectacular infers.

``V4AutoSchema`` (``DEFAULT_SCHEMA_CLASS``) says what a lookup path parameter takes (an id or a
slug) and describes every filter by its own ``help_text``, also where the filter's type comes from
an ``extend_schema_field`` (drf-spectacular then leaves the description out).
"""
from drf_spectacular.openapi import AutoSchema

from djpackages.api import V4ReadOnlyViewSet


class V4AutoSchema(AutoSchema):
    """drf-spectacular's ``AutoSchema`` with the v4 API's lookups and filters described."""

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        if isinstance(self.view, V4ReadOnlyViewSet):
            name = self.view.queryset.model._meta.verbose_name
            for parameter in parameters:
                parameter["description"] = f"The {name}'s id or slug: ASCII digits only are an id, anything else a slug."
        return parameters

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        if filterset_class is not None:
            for parameter in parameters:
                declared = filterset_class.base_filters.get(parameter["name"])
                if declared is not None and declared.extra.get("help_text"):
                    parameter.setdefault("description", declared.extra["help_text"])
        return parameters
