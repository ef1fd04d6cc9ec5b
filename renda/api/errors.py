"""One error shape for every failure: {"code": stable machine code, "message": words for people, "details": ...}.

Codes never change once published (clients branch on them); messages are translated (zh-hans by default).
"""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError


class Error(Schema):
    code: str
    message: str
    details: object = None


class ApiError(Exception):
    """Raised by an endpoint to answer with `status` and a stable `code`."""

    def __init__(self, status: int, code: str, message: str, details=None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def error_body(code: str, message: str, details=None) -> dict:
    return {"code": code, "message": str(message), "details": details}


def _validation_details(errors) -> list[dict]:
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": error.get("type"),
        }
        for error in errors
    ]


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}


def install(api) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return api.create_response(request, error_body(exc.code, exc.message, exc.details), status=exc.status)

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        body = error_body("validation_error", _("Some fields are missing or invalid."), _validation_details(exc.errors))
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        body = error_body("unauthorized", _("A valid API token is required (Authorization: Bearer <token>)."))
        return api.create_response(request, body, status=401)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        code = HTTP_CODES.get(exc.status_code, "error")
        message = _("The request could not be read.") if exc.status_code == 400 else str(exc)
        return api.create_response(request, error_body(code, message), status=exc.status_code)


def channel_error(request, status: int, code: str, message: str) -> JsonResponse:
    """The API's error document for failures outside its operations (core.channel_errors)."""
    return JsonResponse(error_body(code, message), status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # a bearer-token POST to an unknown path is a 404, not a CSRF failure (there is no cookie to protect)
def not_found_view(request, *args, **kwargs):
    return JsonResponse(error_body("not_found", _("Not found.")), status=404, json_dumps_params={"ensure_ascii": False})
