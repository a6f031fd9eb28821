"""What drf-spectacular cannot see by itself: every operation's other answers (304, and the one
error shape for 400, 404, 405 and 429), added to the OpenAPI document after it is generated."""

from django.utils.translation import gettext_lazy as _

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {
                    "type": "string",
                    "enum": ["invalid", "not_found", "method_not_allowed", "throttled", "not_acceptable"],
                },
                "message": {"type": "string", "description": _("For people, in the language of Accept-Language.")},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": _("Each parameter that is not valid, with its messages."),
                },
            },
        }
    },
}


def _error(description) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_other_answers(result, generator, request, public):
    """A postprocessing hook (settings.SPECTACULAR_SETTINGS)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for operations in result["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]
            responses["304"] = {
                "description": _("Not modified: the copy the client has (If-None-Match, If-Modified-Since) is current.")
            }
            if operation.get("parameters"):
                responses["400"] = _error(_("A parameter is not valid."))
            responses["404"] = _error(_("There is nothing public at this address."))
            responses["429"] = _error(_("Too many requests from one address: wait Retry-After seconds."))
    return result
