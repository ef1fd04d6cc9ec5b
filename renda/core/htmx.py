"""One view, two answers: the whole page, or only the fragment htmx asked for (netbox utilities/htmx.py)."""

from django.shortcuts import render


def render_page_or_fragment(request, template: str, context: dict, fragment: str):
    """Render `template` for a normal request, `fragment` (a template it includes) for an htmx request."""
    htmx = getattr(request, "htmx", None)
    # A history restore (back button after the cache expired) needs the whole page, as does a boosted link.
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return render(request, fragment, context)
    return render(request, template, context)
