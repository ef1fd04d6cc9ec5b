"""The office's back office: inbox with filters, key items board, statistics (page and Excel), plenary sessions."""

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from renda.accounts.decorators import office_staff_required
from renda.accounts.scope import scope_for
from renda.audit.actions import client_ip
from renda.core.excel import xlsx_response

from ..access import office_kinds, office_regions, office_suggestions, sessions_for
from ..actions import TransitionError, disclosure
from ..actions import sessions as session_actions
from ..forms import FilterForm, SessionForm
from ..models import Disclosure
from ..workflow import OPEN_STATES, Kind, ReplyCategory, State

LIST_ONLY = (
    "id",
    "number",
    "title",
    "kind",
    "status",
    "created",
    "due_at",
    "is_key",
    "key_leader",
    "submitter_name",
    "reply_category",
    "category__name",
    "lead_unit__name",
    "region__name",
)


def _rows(queryset, before=None):
    if before:
        queryset = queryset.filter(pk__lt=before)
    rows = list(
        queryset.select_related("category", "lead_unit", "region")
        .only(*LIST_ONLY)
        .order_by("-id")[: settings.PAGE_SIZE + 1]
    )
    older = rows[settings.PAGE_SIZE - 1].pk if len(rows) > settings.PAGE_SIZE else None
    return rows[: settings.PAGE_SIZE], older


def _before(request):
    try:
        return int(request.GET.get("before") or 0) or None
    except ValueError:
        return None


@office_staff_required
def inbox(request):
    now = timezone.now()
    form = FilterForm(request.GET)
    rows, older = _rows(form.filter(office_suggestions(request.user), now), _before(request))
    open_states = {str(s) for s in OPEN_STATES}
    labels = {value: str(label) for value, label in State.choices}  # once, not get_status_display() per row
    for row in rows:
        row.overdue = row.due_at is not None and row.due_at < now and row.status in open_states
        row.status_label = labels[row.status]
    params = request.GET.copy()
    params.pop("before", None)
    return render(
        request,
        "suggestions/office/inbox.html",
        {
            "f": form.cleaned_data if form.is_valid() else {},
            "kinds": Kind.choices,
            "states": State.choices,
            "categories": ReplyCategory.choices,
            "rows": rows,
            "older": older,
            "query": params.urlencode(),
        },
    )


@office_staff_required
def key_board(request):
    rows = list(
        office_suggestions(request.user)
        .filter(is_key=True)
        .select_related("category", "lead_unit", "region")
        .only(*LIST_ONLY)
        .order_by("key_leader", "-id")[:500]
    )
    return render(request, "suggestions/office/key_board.html", {"rows": rows, "now": timezone.now()})


STAT_COLUMNS = (
    ("submitted", pgettext_lazy("count of", "submitted")),
    ("registered", gettext_lazy("registered")),
    ("replied", gettext_lazy("replied")),
    ("on_time", gettext_lazy("replied on time")),
    ("cat_a", "A"),
    ("cat_b", "B"),
    ("cat_c", "C"),
    ("cat_d", "D"),
    ("satisfied", gettext_lazy("satisfied ratings")),
    ("basically", gettext_lazy("basically satisfied ratings")),
    ("dissatisfied", gettext_lazy("dissatisfied ratings")),
    ("rehandled", gettext_lazy("re-handled")),
    ("key", gettext_lazy("key items")),
)


def statistics(queryset, group: str):
    """One row per group (region name, lead unit name, or year) with every count of STAT_COLUMNS."""
    field = {"region": "region__name", "unit": "lead_unit__name", "year": "year"}[group]
    registered_states = [
        s for s in State.values if s not in (State.SIGNING, State.SUBMITTED, State.WITHDRAWN, State.NOT_REGISTERED)
    ]
    rows = (
        queryset.values(field)
        .annotate(
            submitted=Count("pk", filter=~Q(status__in=[State.SIGNING, State.WITHDRAWN]), distinct=True),
            registered=Count("pk", filter=Q(status__in=registered_states), distinct=True),
            replied=Count("pk", filter=Q(replied_at__isnull=False), distinct=True),
            on_time=Count("pk", filter=Q(replied_on_time=True), distinct=True),
            cat_a=Count("pk", filter=Q(reply_category=ReplyCategory.A), distinct=True),
            cat_b=Count("pk", filter=Q(reply_category=ReplyCategory.B), distinct=True),
            cat_c=Count("pk", filter=Q(reply_category=ReplyCategory.C), distinct=True),
            cat_d=Count("pk", filter=Q(reply_category=ReplyCategory.D), distinct=True),
            satisfied=Count("ratings", filter=Q(ratings__value="satisfied")),
            basically=Count("ratings", filter=Q(ratings__value="basically")),
            dissatisfied=Count("ratings", filter=Q(ratings__value="dissatisfied")),
            rehandled=Count("pk", filter=Q(round__gt=1), distinct=True),
            key=Count("pk", filter=Q(is_key=True), distinct=True),
        )
        .order_by(field)
    )
    return [
        {"name": row[field] if row[field] is not None else "—", "values": [row[key] for key, _label in STAT_COLUMNS]}
        for row in rows
    ]


@office_staff_required
def stats(request):
    group = request.GET.get("by") or "region"
    if group not in ("region", "unit", "year"):
        raise Http404("no such grouping")
    queryset = office_suggestions(request.user)
    kind = request.GET.get("kind") or ""
    if kind in Kind.values:
        queryset = queryset.filter(kind=kind)
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    if year:
        queryset = queryset.filter(year=year)
    rows = statistics(queryset, group)
    if request.GET.get("format") == "xlsx":
        headers = [_("group"), *[label for _key, label in STAT_COLUMNS]]
        data = ([row["name"], *row["values"]] for row in rows)
        return xlsx_response(_("suggestion statistics") + ".xlsx", _("statistics"), headers, data)
    return render(
        request,
        "suggestions/office/stats.html",
        {
            "rows": rows,
            "columns": STAT_COLUMNS,
            "group": group,
            "kind": kind,
            "year": year or "",
            "kinds": Kind.choices,
            "query": request.GET.urlencode(),
        },
    )


@office_staff_required
def disclosure_list(request):
    rows = list(
        office_suggestions(request.user)
        .filter(disclosure=Disclosure.REVIEW)
        .select_related("category", "lead_unit", "region")
        .only(*LIST_ONLY)
        .order_by("answered_at", "id")[:200]
    )
    return render(request, "suggestions/office/disclosure_list.html", {"rows": rows})


@office_staff_required
def disclosure_review(request, pk):
    s = office_suggestions(request.user).filter(pk=pk).exclude(disclosure=Disclosure.NONE).first()
    if s is None:
        raise Http404("not for review")
    error = ""
    if request.method == "POST":
        try:
            disclosure.review(
                request.user,
                s.pk,
                publish=request.POST.get("decision") == "publish",
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
                reply=request.POST.get("reply", ""),
                ip=client_ip(request),
            )
        except TransitionError as exc:
            error = str(exc)
        else:
            return redirect("suggestions:disclosure_list")
    form = disclosure.draft(s) if request.method != "POST" else request.POST
    return render(
        request,
        "suggestions/office/disclosure_review.html",
        {"s": s, "form": form, "error": error},
        status=400 if error else 200,
    )


@office_staff_required
def sessions(request):
    """The plenary sessions of the office's regions, and a form to record one."""
    kinds = office_kinds(scope_for(request.user))
    regions = office_regions(request.user).order_by("path")
    form = SessionForm(request.POST or None, regions=regions, kinds=kinds, initial={"kind": kinds[0]})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                session_actions.add(request.user, **form.cleaned_data, ip=client_ip(request))
                return redirect("suggestions:sessions")
            except TransitionError as exc:
                form.add_error(None, str(exc))
        status = 400
    rows = sessions_for(request.user).select_related("region")[:200]
    return render(request, "suggestions/office/sessions.html", {"form": form, "rows": rows}, status=status)


@office_staff_required
def session_remove(request, session_pk):
    if request.method != "POST":
        raise Http404("POST only")
    try:
        session_actions.remove(request.user, session_pk, ip=client_ip(request))
    except TransitionError:
        raise Http404("no such session") from None  # another region's, or removed meanwhile
    return redirect("suggestions:sessions")
