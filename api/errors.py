"""Every error the API gives has one shape, in the language the client asks for
(Accept-Language; Swedish by default):

    {"error": {"status": 404, "code": "not_found", "message": "…", "fields": {…}}}

`code` is stable for machines; `message` is for people; `fields` (only for invalid parameters)
names each parameter with its messages."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    "not_found": lambda: _("There is nothing public at this address."),
    "method_not_allowed": lambda: _("The open data API is read-only: use GET."),
    "throttled": lambda: _("Too many requests from your address. Wait the number of seconds in Retry-After."),
    "invalid": lambda: _("Some parameters are not valid; see fields."),
    "not_acceptable": lambda: _("The API answers in JSON only."),
}


def error_body(status: int, code: str, message: str, fields: dict | None = None) -> dict:
    error = {"status": status, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _code_of(exc) -> str:
    if isinstance(exc, exceptions.NotFound):
        return "not_found"
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "method_not_allowed"
    if isinstance(exc, exceptions.Throttled):
        return "throttled"
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    if isinstance(exc, exceptions.NotAcceptable):
        return "not_acceptable"
    return exc.default_code if isinstance(exc, exceptions.APIException) else "error"


def exception_handler(exc, context):
    """DRF's handler (it sets Retry-After and Allow), then the one shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = _code_of(exc)
    message = MESSAGES[code]() if code in MESSAGES else str(getattr(exc, "detail", ""))
    fields = None
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        fields = {name: [str(message) for message in messages] for name, messages in response.data.items()}
    response.data = error_body(response.status_code, code, message, fields)
    return response


def not_found(request, *args, **kwargs):
    """Any address under /api/v1/ that names nothing: a JSON 404, not the site's HTML page."""
    return JsonResponse(error_body(404, "not_found", MESSAGES["not_found"]()), status=404)
