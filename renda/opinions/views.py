"""Staff side of the opinion loop: inboxes, the opinion page with its actions, bulk actions, export, statistics.

Thin views: `access` gives the opinions a user may see, `forms` validate input against the user's scope, and every
state change goes through `actions.perform` (which checks the transition table again under a row lock).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.decorators import congress_staff_required, staff_required
from renda.accounts.region_access import get_region_for_user, regions_for
from renda.accounts.scope import scope_for
from renda.audit.actions import client_ip, record
from renda.core.excel import xlsx_response
from renda.core.htmx import render_page_or_fragment
from renda.core.uploads import serve_file
from renda.exports.jobs import start_export

from . import actions, exports, search, stats
from .access import get_opinion_for_user, opinions_for, roles_on
from .forms import ACTION_FIELDS, ActionForm, BulkForm, OpinionFilterForm
from .models import Attachment, Photo
from .workflow import OPEN_STATES, Action, actions_for

COUNT_CAP = 1000
LIST_FIELDS = ("submitter_name", "submitter_phone", "search_text", "text", "latitude", "longitude")


def _may_use_inbox(user) -> bool:
    """Congress staff, keepers, deputies and unit staff have an inbox; a system admin alone does not."""
    scope = scope_for(user)
    return bool(scope.is_congress_staff or scope.station_ids or scope.deputy_ids or scope.unit_ids)


def _filtered(request, *, search_text: bool = True):
    if not _may_use_inbox(request.user):
        raise Http404("no inbox")
    form = OpinionFilterForm(request.GET, user=request.user)
    return form, form.filter(opinions_for(request.user), search_text=search_text)


def _cursor(value: str):
    """?before=<created ISO>_<id>: the keyset of the last row on the previous page (None if absent or malformed)."""
    created, _sep, pk = (value or "").rpartition("_")
    try:
        moment = datetime.fromisoformat(created)
        return (moment if timezone.is_aware(moment) else timezone.make_aware(moment)), int(pk)
    except ValueError:
        return None


def first_rows(opinions, parts=(), limit=None):
    """Up to `limit` (PAGE_SIZE) + 1 rows of the inbox, newest first, with what the table shows.

    `parts` (access.scope_parts, each with the list's filters): when the scope is the union of several, each part's
    newest keys are read through its own index (a short backward walk each), merged here, and the page fetched by
    primary key within `opinions` — one statement per part and one for the page, instead of a walk of the whole
    table filtering for the OR."""
    limit = (limit or settings.PAGE_SIZE) + 1
    if parts:
        keys = set()
        for part in parts:
            keys.update(part.order_by("-created", "-id").values_list("created", "id")[:limit])
        opinions = opinions.filter(pk__in=[pk for _created, pk in sorted(keys, reverse=True)[:limit]])
    return list(
        opinions.select_related("station", "category", "unit")
        .defer(*LIST_FIELDS)
        .annotate(excerpt=Substr("text", 1, 60))
        .order_by("-created", "-id")[:limit]
    )


def inbox_page(opinions, *, query: str = "", cursor=None, parts=(), limit=None):
    """(rows, the keyset of the next page or None): keyset pagination on (-created,
    -id), so page 1000 costs what page 1 costs, with no COUNT(*) over the whole table. `opinions` is scoped and
    filtered but not searched; a `query` goes through `search.recent_first`. `parts`: see `first_rows`. The web
    inbox and the staff JSON API (`limit` rows a page) both read through here."""
    limit = limit or settings.PAGE_SIZE
    if cursor:
        created, pk = cursor
        older = Q(created__lt=created) | Q(created=created, id__lt=pk)
        opinions, parts = opinions.filter(older), [part.filter(older) for part in parts]
    if query:
        rows = search.recent_first(opinions, query, lambda queryset: first_rows(queryset, limit=limit), limit)
    else:
        rows = first_rows(opinions, parts, limit)
    older = None
    if len(rows) > limit:
        rows = rows[:limit]
        older = f"{rows[-1].created.isoformat()}_{rows[-1].pk}"
    return rows, older


def _query(request, drop=("before",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


@staff_required
def opinion_list(request):
    form, opinions = _filtered(request, search_text=False)
    cursor = _cursor(request.GET.get("before", ""))
    paged = bool(cursor)
    rows, older = inbox_page(opinions, query=form.query, cursor=cursor, parts=form.parts())
    # A capped count: "1000+" is all a person needs, and it never counts millions of rows.
    if not older and not paged:
        count = len(rows)
    elif form.query:
        count = search.capped_count(opinions, form.query, COUNT_CAP)
    else:
        count = opinions.order_by()[: COUNT_CAP + 1].count()
    now = timezone.now()
    open_states = {str(state) for state in OPEN_STATES}
    for row in rows:
        row.overdue = row.due_at is not None and row.due_at < now and row.status in open_states
    context = {
        "form": form,
        "rows": rows,
        "older": older,
        "paged": paged,
        "count": min(count, COUNT_CAP),
        "count_capped": count > COUNT_CAP,
        "query": _query(request),
        "full_query": request.GET.urlencode(),
        "bulk_form": BulkForm(user=request.user) if _may_bulk(request.user) else None,
    }
    return render_page_or_fragment(request, "opinions/staff/list.html", context, "opinions/staff/_table.html")


def _may_bulk(user) -> bool:
    scope = scope_for(user)
    return bool(scope.is_congress_staff or scope.station_ids or scope.deputy_ids)


@staff_required
def opinion_export(request):
    """The filtered inbox as Excel: at once for up to EXPORT_SYNC_MAX_ROWS rows, else a background job with progress
    (renda/exports) that reads the same filters with the same user's scope."""
    form, opinions = _filtered(request)
    record(request.user, "opinions.export", changes={"filters": request.GET.urlencode()}, ip=client_ip(request))
    limit = settings.EXPORT_SYNC_MAX_ROWS
    if opinions[: limit + 1].count() > limit:
        job = start_export(
            request.user,
            exports.INBOX,
            exports.inbox_title(),
            {"query": request.GET.urlencode()},
            exports.inbox_filename(),
        )
        return redirect("exports:detail", pk=job.pk)
    return xlsx_response(exports.inbox_filename(), _("Opinions"), exports.inbox_headers(), exports.inbox_rows(opinions))


def _actions_here(user, opinion) -> list[str]:
    roles = roles_on(user, opinion)
    return [action for action in actions_for(opinion.status, roles) if action in ACTION_FIELDS]


def _detail(request, opinion, failed: ActionForm | None = None, status=200):
    user = request.user
    forms = []
    for action in _actions_here(user, opinion):
        if failed is not None and failed.action == action:
            forms.append(failed)
        else:
            forms.append(ActionForm(action=action, opinion=opinion, user=user))
    events = opinion.events.select_related("actor", "unit").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    )
    context = {
        "opinion": opinion,
        "events": events,
        "photos": opinion.photos.all(),
        "supporters": opinion.supporters.count(),
        "merged": opinion.merged.only("pk", "tracking_code", "created").order_by("created", "id"),
        "merged_into": opinion.merged_into if opinion.merged_into_id else None,
        "action_forms": forms,
        "failed": failed,
        "action_labels": dict(Action.choices),
    }
    return render(request, "opinions/staff/detail.html", context, status=status)


@staff_required
def opinion_detail(request, pk):
    opinion = get_opinion_for_user(request.user, pk)
    return _detail(request, opinion)


@require_POST
@staff_required
def opinion_act(request, pk, action):
    opinion = get_opinion_for_user(request.user, pk)
    if action not in ACTION_FIELDS:
        raise Http404("no such action")
    form = ActionForm(request.POST, request.FILES, action=action, opinion=opinion, user=request.user)
    if form.is_valid():
        try:
            actions.perform(request.user, opinion.pk, action, **form.perform_kwargs(), ip=client_ip(request))
        except actions.TransitionError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
            return redirect("opinions:detail", pk=opinion.pk)
    opinion = get_opinion_for_user(request.user, pk)
    return _detail(request, opinion, failed=form, status=400)


@staff_required
def attachment_download(request, pk, attachment_pk):
    opinion = get_opinion_for_user(request.user, pk)
    attachment = Attachment.objects.filter(pk=attachment_pk, event__opinion=opinion).first()
    if attachment is None:
        raise Http404("no such attachment")
    return serve_file(attachment.file, download_name=attachment.name)


@staff_required
def photo_view(request, pk, photo_pk):
    opinion = get_opinion_for_user(request.user, pk)
    photo = Photo.objects.filter(pk=photo_pk, opinion=opinion).first()
    if photo is None:
        raise Http404("no such photo")
    return serve_file(photo.image, content_type="image/jpeg")


def _back_to_list(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("opinions:list")


@require_POST
@staff_required
def opinion_bulk(request):
    if not _may_bulk(request.user):
        raise Http404("no bulk actions")
    form = BulkForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_list(request)
    ids = form.cleaned_data["ids"]
    action, unit, note = form.cleaned_data["action"], form.cleaned_data["unit"], form.cleaned_data["note"]
    found = dict(opinions_for(request.user).filter(pk__in=ids).values_list("pk", "tracking_code"))
    done, failed = [], []
    for pk in ids:
        if pk not in found:
            failed.append(_("#%(id)s: not found") % {"id": pk})
            continue
        try:
            actions.perform(request.user, pk, action, unit=unit, note=note, ip=client_ip(request))
        except actions.TransitionError as error:
            failed.append(f"{found[pk]}：{' '.join(error.messages)}")
        else:
            done.append(found[pk])
    if done:
        messages.success(request, _("%(n)d done: %(codes)s") % {"n": len(done), "codes": "、".join(done)})
    for line in failed:
        messages.error(request, _("Not done — %(reason)s") % {"reason": line})
    return _back_to_list(request)


@congress_staff_required
def opinion_stats(request):
    user = request.user
    code = request.GET.get("region", "").strip()
    if code:
        region = get_region_for_user(user, code)
    else:
        region = regions_for(user).order_by("depth", "path").first()
        if region is None:
            raise Http404("no region")
    date_from = _date(request.GET.get("date_from"))
    date_to = _date(request.GET.get("date_to"))
    total, children, as_of = stats.figures(
        region,
        date_from=_day_start(date_from) if date_from else None,
        date_to=_day_start(date_to + timedelta(days=1)) if date_to else None,
    )
    context = {
        "region": region,
        "total": total,
        "children": children,
        "as_of": as_of,
        "date_from": date_from,
        "date_to": date_to,
        "dates_query": _query(request, drop=("region",)),
        "periods": stats.whole_month_periods(timezone.localdate()),
    }
    return render(request, "opinions/staff/stats.html", context)


def _date(value):
    try:
        return datetime.strptime((value or "").strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
