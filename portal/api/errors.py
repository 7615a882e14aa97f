"""One error body for every API failure: {"error": {"code", "message", "fields"}}."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def error_response(code: str, message: str, *, http_status: int, fields: dict | None = None) -> Response:
    return Response(error_body(code, message, fields), status=http_status)


def _fields_of(detail) -> dict:
    if isinstance(detail, dict):
        return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    return {}


def _code_of(exc) -> str:
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    return codes if isinstance(codes, str) else getattr(exc, "default_code", "error")


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django log it and answer 500
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields_of(exc.detail)
        general = fields.pop("non_field_errors", None)
        if isinstance(exc.detail, list):
            general = [str(m) for m in exc.detail]
        message = " ".join(general or []) or _("Some fields are invalid: see `fields`.")
        response.data = error_body("invalid", message, fields)
    elif response.status_code == status.HTTP_404_NOT_FOUND:
        response.data = error_body("not_found", _("Not found."))
    else:
        response.data = error_body(_code_of(exc), getattr(exc, "detail", str(exc)))
    return response
