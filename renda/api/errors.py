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


# Answers any operation may give besides its own (the channel error middleware, the exception handlers above): named
# in every operation of the OpenAPI document, so that a client (and a schemathesis run) finds each one documented.
ALWAYS = {
    400: "The request could not be read (malformed body, a NUL character in the path or query)",
    500: "An unexpected error (logged on the server)",
    503: "The database or Redis is briefly unreachable: retry after Retry-After seconds",
}
WITH_INPUT = {422: "A parameter or a field is missing or invalid (details name each one)"}
WITH_TOKEN = {
    401: "No valid API token",
    404: "Not found, or outside the token user's scope (never 403)",
    429: "Too many requests with this token (LIMIT_API_TOKEN_MINUTE): wait a minute",
}
WITH_PATH = {404: "No such object"}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}}


def document_common_errors(schema: dict) -> dict:
    """Add the answers every operation can give to each operation's responses (leaving documented ones alone)."""
    ref = {"$ref": "#/components/schemas/Error"}
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            parameters = operation.get("parameters", [])
            wanted = dict(ALWAYS)
            if parameters or "requestBody" in operation:
                wanted.update(WITH_INPUT)
            if any(parameter.get("in") == "path" for parameter in parameters):
                wanted.update(WITH_PATH)
            if operation.get("security"):
                wanted.update(WITH_TOKEN)
            responses = operation.setdefault("responses", {})
            for status, description in sorted(wanted.items()):
                if status in responses or str(status) in responses:
                    continue
                responses[status] = {"description": description, "content": {"application/json": {"schema": ref}}}
                if status == 503:
                    responses[status]["headers"] = RETRY_AFTER
    return schema
