"""答复公开: the public search of published replies by year, category and unit (redacted texts only)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from ..models import Category, Disclosure, Suggestion
from ..workflow import Kind

PUBLIC_ONLY = (
    "id",
    "number",
    "kind",
    "year",
    "public_title",
    "reply_category",
    "published_at",
    "category__name",
    "lead_unit__name",
)


def _published():
    return Suggestion.objects.filter(disclosure=Disclosure.PUBLISHED)


def search(request):
    rows = _published()
    params = {}
    for key in ("year", "category", "unit", "before"):
        try:
            params[key] = int(request.GET.get(key) or 0)
        except ValueError:
            params[key] = 0
    kind = request.GET.get("kind") or ""
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    if params["year"]:
        rows = rows.filter(year=params["year"])
    if params["category"]:
        rows = rows.filter(category_id=params["category"])
    if params["unit"]:
        rows = rows.filter(lead_unit_id=params["unit"])
    if params["before"]:
        rows = rows.filter(pk__lt=params["before"])
    rows = list(
        rows.select_related("category", "lead_unit").only(*PUBLIC_ONLY).order_by("-id")[: settings.PAGE_SIZE + 1]
    )
    older = rows[settings.PAGE_SIZE - 1].pk if len(rows) > settings.PAGE_SIZE else None
    kinds = {value: str(label) for value, label in Kind.choices}
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "suggestions/public/search.html",
        {
            "rows": rows[: settings.PAGE_SIZE],
            "older": older,
            "query": query.urlencode(),
            "categories": [
                (c.pk, f"{kinds[c.kind]} · {c.name}") for c in Category.objects.order_by("kind", "position")
            ],
            "kinds": Kind.choices,
            "params": params,
            "kind": kind,
        },
    )


def public_detail(request, pk):
    s = _published().select_related("category", "lead_unit").filter(pk=pk).first()
    if s is None:
        raise Http404("not published")
    return render(request, "suggestions/public/detail.html", {"s": s})
