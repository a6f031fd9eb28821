"""The API's front door: /api/v1/ lists what there is (JSON), /api/v1/docs/ documents it for
people, made from the same OpenAPI document that /api/v1/schema/ serves, so the two never
disagree."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

ENTRY_POINTS = ("groups", "needs", "dialogues", "themes", "indicator")

_schemas = {}


def openapi_document() -> dict:
    """The OpenAPI 3 document, in the active language (its descriptions are translated); built
    once per language and process: it changes only with the code."""
    language = translation.get_language() or "sv"
    if language not in _schemas:
        _schemas[language] = SchemaGenerator().get_schema(request=None, public=True)
    return _schemas[language]


@extend_schema(
    summary=_("Entry points"),
    responses=inline_serializer(
        "EntryPoints", {name: serializers.URLField() for name in (*ENTRY_POINTS, "schema", "docs")}
    ),
)
@api_view(["GET"])
def _api_root(request):
    names = {
        "groups": "group-list",
        "needs": "need-list",
        "dialogues": "dialogue-list",
        "themes": "themes",
        "indicator": "indicator",
    }
    urls = {name: request.build_absolute_uri(reverse(f"api:{names[name]}")) for name in ENTRY_POINTS}
    urls["schema"] = request.build_absolute_uri(reverse("api:schema"))
    urls["docs"] = request.build_absolute_uri(reverse("api:docs"))
    return Response(urls)


api_root = login_not_required(_api_root)


def _resolve(document, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(document, schema["allOf"][0])
    return schema


def _type_of(document, schema: dict) -> str:
    if len(schema.get("allOf", ())) == 1:
        schema = schema["allOf"][0]
    if "$ref" in schema and "enum" not in _resolve(document, schema):
        return schema["$ref"].rsplit("/", 1)[-1]
    schema = _resolve(document, schema)
    if "oneOf" in schema:  # OpenAPI 3.1's "this or null"
        return " | ".join(_type_of(document, option) for option in schema["oneOf"] if option.get("type") != "null")
    if schema.get("type") == "array":
        return f"[{_type_of(document, schema.get('items', {}))}]"
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"] if value is not None)
    kind = schema.get("type", "object")
    if isinstance(kind, list):  # OpenAPI 3.1: ["integer", "null"]
        kind = " | ".join(value for value in kind if value != "null")
    return schema.get("format") or kind


def _nullable(document, field: dict) -> bool:
    types = field.get("type", [])
    options = field.get("oneOf", [])
    return (isinstance(types, list) and "null" in types) or any(option.get("type") == "null" for option in options)


def _fields(document, schema: dict) -> list[dict]:
    schema = _resolve(document, schema)
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "type": _type_of(document, field),
            "nullable": _nullable(document, field),
            "required": name in required,
            # The field's own (translated) help text; a nested object's description is its class's
            # docstring, for the document only.
            "description": field.get("description", ""),
        }
        for name, field in schema.get("properties", {}).items()
    ]


def _operations(document, base: str) -> list[dict]:
    operations = []
    for path, methods in document["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        response = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
        schema = _resolve(document, response.get("schema", {}))
        if "results" in schema.get("properties", {}):
            schema = schema["properties"]["results"].get("items", {})
        elif schema.get("type") == "array":
            schema = schema.get("items", {})
        example = base + path.replace("{id}", "1")
        operations.append(
            {
                "path": path,
                "anchor": operation["operationId"],
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": parameter["in"],
                        "type": _type_of(document, parameter.get("schema", {})),
                        "description": parameter.get("description", ""),
                    }
                    for parameter in operation.get("parameters", [])
                ],
                "fields": _fields(document, schema),
                "curl": f"curl -s '{example}'",
            }
        )
    return operations


@login_not_required
@require_safe
def documentation(request):
    document = openapi_document()
    base = request.build_absolute_uri("/").rstrip("/")
    components = document.get("components", {}).get("schemas", {})
    context = {
        "info": document["info"],
        "operations": _operations(document, base),
        "objects": [
            {"name": name, "fields": _fields(document, schema)}
            for name, schema in sorted(components.items())
            if schema.get("properties") and not name.startswith("Paginated")
        ],
        "base": base,
        "schema_url": reverse("api:schema"),
    }
    return render(request, "api/docs.html", context)
