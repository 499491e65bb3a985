"""How the OpenAPI schema describes the v4 operations beyond what drf-spectacular infers.

``V4AutoSchema`` (``DEFAULT_SCHEMA_CLASS``) adds:

- every status an operation answers besides its 200, with its body: 304 (a conditional request
  whose answer has not changed) and 412 (a failed ``If-Match``/``If-Unmodified-Since``), both
  bodiless, from ``core.conditional``; 406 (no renderer for ``Accept``); 404 for a detail
  that does not exist; 400 for a list given a bad filter value, its body naming the parameters;
- the validators (``ETag``, ``Last-Modified``) on the 200 and the 304;
- that every query parameter may be empty (``allowEmptyValue``), which means "not given";
- what a lookup path parameter takes (an id or a slug), and every filter's own ``help_text`` as
  its description, also where the filter's type comes from an ``extend_schema_field``
  (drf-spectacular then leaves the description out).
"""
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

from core.api import V4ReadOnlyViewSet

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, for a person to read."}},
    "required": ["detail"],
}
VALIDATORS = {
    "ETag": {"schema": {"type": "string"}, "required": True, "description": "Send it back as If-None-Match."},
    "Last-Modified": {
        "schema": {"type": "string"},
        "description": "When the data shown last changed (absent when nothing shown has a date); send it back as If-Modified-Since.",
    },
}
NOT_MODIFIED = {"description": "Not modified: If-None-Match holds the answer's ETag, or nothing shown changed since If-Modified-Since.", "headers": VALIDATORS}
PRECONDITION_FAILED = {"description": "If-Match holds no current ETag, or what is shown changed since If-Unmodified-Since."}


class V4AutoSchema(AutoSchema):
    """drf-spectacular's ``AutoSchema`` with the v4 API's statuses, validators, lookups and filters described."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)  # the API is read-only: every operation is a GET
        responses["200"]["headers"] = VALIDATORS
        responses["304"] = NOT_MODIFIED
        filterset_class = getattr(self.view, "filterset_class", None)
        if self._is_list_view() and filterset_class is not None:
            responses["400"] = self._json("A filter parameter has a bad value.", self._filter_errors(filterset_class))
        if not self._is_list_view():
            responses["404"] = self._json(f"No {self.view.queryset.model._meta.verbose_name} has this id or slug.", self._error())
        responses["406"] = self._json("The Accept header names no media type the API answers in.", self._error())
        responses["412"] = PRECONDITION_FAILED
        return responses

    def _json(self, description, reference):
        return {"description": description, "content": {"application/json": {"schema": reference}}}

    def _component(self, name, schema):
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component.ref

    def _error(self):
        return self._component("Error", ERROR)

    def _filter_errors(self, filterset_class):
        """``{parameter: [message, ...]}`` for each filter parameter with a bad value."""
        messages = {"type": "array", "items": {"type": "string"}, "minItems": 1}
        return self._component(
            f"{filterset_class.__name__}Errors",
            {
                "type": "object",
                "description": "The messages for each filter parameter whose value is bad, by parameter name.",
                "properties": {name: messages for name in filterset_class.base_filters},
                "additionalProperties": False,
                "minProperties": 1,
            },
        )

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query":
                parameter["allowEmptyValue"] = True
        return parameters

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        if isinstance(self.view, V4ReadOnlyViewSet):
            name = self.view.queryset.model._meta.verbose_name
            for parameter in parameters:
                parameter["description"] = f"The {name}'s id or slug: ASCII digits only are an id, anything else a slug."
                # drf-spectacular reads DRF's default lookup pattern as "the primary key's type"; ours takes slugs too
                parameter["schema"] = {"type": "string", "pattern": f"^{self.view.lookup_value_regex}$"}
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
