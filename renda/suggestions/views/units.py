"""The handling unit's inbox: items it leads or co-handles, due this week first, overdue marked."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from renda.accounts.scope import scope_for

from ..access import unit_tasks_for


@login_required
def inbox(request):
    if not scope_for(request.user).unit_ids:
        raise Http404("no unit")
    now = timezone.now()
    tasks = list(
        unit_tasks_for(request.user)
        .select_related("unit", "suggestion", "suggestion__category")
        .only(
            "id",
            "role",
            "due_at",
            "views_at",
            "return_by",
            "unit__name",
            "suggestion__id",
            "suggestion__number",
            "suggestion__title",
            "suggestion__status",
            "suggestion__due_at",
            "suggestion__is_key",
            "suggestion__category__name",
            "suggestion__kind",
        )
        .order_by("due_at", "id")[:500]
    )
    week = now + timedelta(days=7)
    for task in tasks:
        due = task.suggestion.due_at if task.role == "lead" else task.due_at
        task.due = due
        task.overdue = due is not None and due < now
        task.this_week = due is not None and now <= due <= week
    return render(request, "suggestions/unit/inbox.html", {"tasks": tasks})
