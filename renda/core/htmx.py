"""One view, two answers: the whole page, or only the fragment htmx asked for (netbox utilities/htmx.py)."""

from django.shortcuts import render


def render_page_or_fragment(request, template: str, context: dict, fragment: str):
    """Render `template` for a normal request, `fragment` (a template it includes) for an htmx request."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, fragment, context)
    return render(request, template, context)
