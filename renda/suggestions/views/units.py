"""The handling unit's inbox: items it leads or co-handles. "To do" (items being handled, soonest due first, due
this week and overdue marked; `?due=week` or `?overdue=1` keep only those, the staff home links there) or "all"
(newest first, history included); keyset pages of PAGE_SIZE."""

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from renda.accounts.scope import scope_for

from ..access import unit_tasks_for
from ..models import UnitTask
from ..workflow import HANDLING, State

ONLY = (
    "id", "role", "due_at", "views_at", "unit__name", "suggestion__id", "suggestion__number", "suggestion__title",
    "suggestion__status", "suggestion__is_key", "suggestion__kind",
)  # fmt: skip


def _after(value):
    moment, _sep, pk = (value or "").rpartition("_")
    try:
        return datetime.fromisoformat(moment), int(pk)
    except ValueError:
        return None


@login_required
def inbox(request):
    if not scope_for(request.user).unit_ids:
        raise Http404("no unit")
    now = timezone.now()
    show_all = request.GET.get("all") == "1"
    tasks = unit_tasks_for(request.user).select_related("unit", "suggestion").only(*ONLY)
    if show_all:
        try:
            before = int(request.GET.get("before") or 0)
        except ValueError:
            before = 0
        if before:
            tasks = tasks.filter(pk__lt=before)
        rows = list(tasks.order_by("-id")[: settings.PAGE_SIZE + 1])
        more = (
            urlencode({"all": 1, "before": rows[settings.PAGE_SIZE - 1].pk}) if len(rows) > settings.PAGE_SIZE else ""
        )
    else:
        tasks = tasks.filter(suggestion__status__in=HANDLING, due_at__isnull=False)
        only = _only(request)
        if only == "week":
            tasks = tasks.filter(due_at__gte=now, due_at__lte=now + timedelta(days=7))
        elif only == "overdue":
            tasks = tasks.filter(due_at__lt=now)
        cursor = _after(request.GET.get("after", ""))
        if cursor:
            tasks = tasks.filter(Q(due_at__gt=cursor[0]) | Q(due_at=cursor[0], id__gt=cursor[1]))
        rows = list(tasks.order_by("due_at", "id")[: settings.PAGE_SIZE + 1])
        last = rows[settings.PAGE_SIZE - 1] if len(rows) > settings.PAGE_SIZE else None
        more = urlencode({**_only_params(only), "after": f"{last.due_at.isoformat()}_{last.pk}"}) if last else ""
    rows = rows[: settings.PAGE_SIZE]
    week = now + timedelta(days=7)
    labels = {value: str(label) for value, label in State.choices}
    roles = {value: str(label) for value, label in UnitTask.Role.choices}
    for task in rows:
        task.status_label, task.role_label = labels[task.suggestion.status], roles[task.role]
        task.overdue = task.due_at is not None and task.due_at < now and task.suggestion.status in HANDLING
        task.this_week = task.due_at is not None and now <= task.due_at <= week
    context = {"tasks": rows, "more": more, "show_all": show_all, "only": "" if show_all else _only(request)}
    return render(request, "suggestions/unit/inbox.html", context)


def _only(request) -> str:
    """The to-do list's narrowing: "week" (due within 7 days), "overdue", or "" (every item being handled)."""
    if request.GET.get("overdue") == "1":
        return "overdue"
    return "week" if request.GET.get("due") == "week" else ""


def _only_params(only: str) -> dict:
    return {"overdue": {"overdue": 1}, "week": {"due": "week"}}.get(only, {})
