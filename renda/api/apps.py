from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "renda.api"
    label = "api"

    def ready(self):
        from django.http import JsonResponse

        from renda.core.searching import register_json_error

        from .errors import error_body

        # An over-long search text (renda/core/searching.py) answers in the API's error shape.
        register_json_error(
            "/api/",
            lambda message, details: JsonResponse(
                error_body("search_too_long", message, details), status=400, json_dumps_params={"ensure_ascii": False}
            ),
        )
