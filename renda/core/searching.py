"""One length rule for every search box: a search text longer than SEARCH_MAX_LENGTH is refused before any view runs.

Why a middleware: a search runs as LIKE/icontains (or a bigram index) in many lists, and SQLite refuses a LIKE pattern
over 50,000 bytes with an error (a 500). One rule at the door covers every list, present and future, the same way:
HTML pages answer 400 with the search form again, the text cut to the limit and the error beside the field, in the
user's language; JSON channels answer 400 in their own error shape, which they register here (`register_json_error`),
so this floor module knows no channel. Parameters checked: SEARCH_PARAMETERS (default "q,search,dq,sq": the lists,
and the deputy and station pickers).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Path prefix -> function(message, details) returning the channel's 400 response.
_json_errors: dict[str, Callable[[str, dict], HttpResponse]] = {}


def register_json_error(prefix: str, respond: Callable[[str, dict], HttpResponse]) -> None:
    _json_errors[prefix] = respond


def max_length() -> int:
    return settings.SEARCH_MAX_LENGTH


def too_long_message(limit: int | None = None) -> str:
    return _("The search text is too long: at most %(limit)d characters.") % {"limit": limit or max_length()}


def too_long(request) -> str | None:
    """The first search parameter of the request that is over the limit, or None."""
    limit = max_length()
    for name in settings.SEARCH_PARAMETERS:
        if any(len(value) > limit for value in request.GET.getlist(name)):
            return name
    return None


class SearchLengthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = too_long(request)
        if name is None:
            return self.get_response(request)
        limit = max_length()
        message = too_long_message(limit)
        for prefix, respond in _json_errors.items():
            if request.path.startswith(prefix):
                return respond(message, {"parameter": name, "max_length": limit})
        # The same page's search form again: other parameters kept, the text cut to the limit, the error beside it.
        kept = [(key, value) for key in request.GET for value in request.GET.getlist(key) if key != name]
        context = {
            "name": name,
            "value": request.GET.get(name, "")[:limit],
            "limit": limit,
            "kept": kept,
            "error": message,
            "action": request.path,
        }
        return render(request, "core/search_too_long.html", context, status=400)
