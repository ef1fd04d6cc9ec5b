"""答复公开: the public search of published replies by words, year, category and unit (redacted texts only)."""

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from renda.people.models import Unit

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


def _words(q: str) -> Q:
    """An item's number, or words in its published title, text or reply (only what the redaction review let out: the
    original text is never searched). The published items are thousands a year: a scan of them is the whole cost
    (bench/suggestions.py); the longest search text is refused by the middleware (SEARCH_MAX_LENGTH)."""
    # Chinese has no letter case: a case-blind match (ILIKE, lower-casing every row) is only needed when the words
    # have cased letters; a plain LIKE over the same rows made a search that matches nothing 92 → 60 ms (p50, 33,000
    # published items, bench/suggestions.py).
    lookup = "icontains" if q.lower() != q.upper() else "contains"
    found = Q(number__iexact=q)
    for field in ("public_title", "public_text", "public_reply"):
        found |= Q(**{f"{field}__{lookup}": q})
    return found


def _units() -> list[tuple[int, str]]:
    """The lead units that have published replies, for the filter's choices."""
    ids = _published().exclude(lead_unit=None).values("lead_unit_id")
    return list(Unit.objects.filter(pk__in=ids).order_by("name", "pk").values_list("pk", "name"))


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
    q = (request.GET.get("q") or "").strip()
    if q:
        rows = rows.filter(_words(q))
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
            "units": _units(),
            "params": params,
            "kind": kind,
            "q": q,
        },
    )


def public_detail(request, pk):
    s = _published().select_related("category", "lead_unit").filter(pk=pk).first()
    if s is None:
        raise Http404("not published")
    return render(request, "suggestions/public/detail.html", {"s": s})
