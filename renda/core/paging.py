"""Pagination for staff lists.

Lists are ordered by an indexed key and sliced, so a page costs the same at row 10 or row 1,000,000. The total is
counted once; at Suzhou sizes (thousands of rows) that is cheap, and lists that grow to millions pass count=False.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


def paginate(request, queryset, per_page: int | None = None):
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def query_without_page(request) -> str:
    """The current filters as a query string, for page links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
