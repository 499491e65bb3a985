"""Validating what the API serves against its own OpenAPI 3.0 schema with ``jsonschema``.

OpenAPI 3.0 schemas are JSON Schema with a few words of their own: ``nullable: true`` (null is
allowed too, whatever the rest says), and annotations (``readOnly``, ``example``) that say
nothing about validity. ``json_schema`` turns one into plain JSON Schema (2020-12);
``validator`` builds a validator for one response of one operation, with the schema's
components reachable by their ``#/components/schemas/...`` references.

Format checks: ``jsonschema`` checks ``uri`` and ``date-time`` only when optional packages are
installed; ``FORMATS`` checks them itself, as RFC 3986 (an absolute URI) and RFC 3339 define them.
"""
import json
import re
from datetime import datetime

import jsonschema

# Keywords whose value is one schema, a list of schemas, or a map of names to schemas.
ONE_SCHEMA = ("items", "additionalProperties", "not")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
SCHEMA_MAPS = ("properties",)
ANNOTATIONS = ("nullable", "readOnly", "writeOnly", "example", "deprecated")

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
RFC3986_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9._~!$&'()*+,;=:@/?#\[\]-]|%[0-9A-Fa-f]{2})*$")

FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time")
def is_date_time(value):
    """RFC 3339 ``date-time`` (a string that is not one is left to ``type``)."""
    if not isinstance(value, str):
        return True
    return bool(RFC3339.match(value)) and _parses_as_datetime(value)


@FORMATS.checks("uri")
def is_uri(value):
    """RFC 3986 absolute URI."""
    return not isinstance(value, str) or bool(RFC3986_URI.match(value))


def _parses_as_datetime(value):
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def json_schema(node):
    """The plain JSON Schema equivalent of the OpenAPI 3.0 schema ``node``."""
    if not isinstance(node, dict):
        return node
    converted = {}
    for key, value in node.items():
        if key in ANNOTATIONS:
            continue
        if key in ONE_SCHEMA:
            value = json_schema(value)
        elif key in SCHEMA_LISTS:
            value = [json_schema(item) for item in value]
        elif key in SCHEMA_MAPS:
            value = {name: json_schema(item) for name, item in value.items()}
        converted[key] = value
    return {"anyOf": [converted, {"type": "null"}]} if node.get("nullable") else converted


def served_schema(client):
    """The OpenAPI document the API serves."""
    response = client.get("/api/v4/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def components(schema):
    """The document's components as JSON Schema, to sit beside a schema that refers to them."""
    return {"schemas": {name: json_schema(item) for name, item in schema["components"]["schemas"].items()}}


def response_schema(schema, path, status, method="get"):
    """The OpenAPI schema of the JSON body that ``method path`` declares for ``status`` (a KeyError
    when the status is not declared), or None when that response is declared without a body."""
    response = schema["paths"][path][method]["responses"][str(status)]
    content = response.get("content")
    return content["application/json"]["schema"] if content else None


def validator(schema, body_schema, formats):
    """A ``jsonschema`` validator of ``body_schema`` (OpenAPI) within ``schema``'s components;
    ``formats`` turns the format checks on."""
    root = {**json_schema(body_schema), "components": components(schema)}
    return jsonschema.Draft202012Validator(root, format_checker=FORMATS if formats else None)
