"""The audit log for audit administrators: filters, keyset pages (newest first), Excel export."""

import datetime
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import client_ip, record
from renda.core.excel import xlsx_response
from renda.regions.models import Region, path_range_q

from .audit_access import audit_events_for, may_read_audit

EXPORT_LIMIT = 50_000


def audit_admin_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_read_audit(request.user):
            raise Http404("not an audit administrator")
        return view(request, *args, **kwargs)

    return wrapper


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filtered(request):
    events = audit_events_for(request.user)
    get = request.GET
    start, end = _date(get.get("from")), _date(get.get("to"))
    if start:
        events = events.filter(at__date__gte=start)
    if end:
        events = events.filter(at__date__lte=end)
    if get.get("actor"):
        events = events.filter(actor_name=get["actor"].strip())
    if get.get("action"):
        # An action name is at most 80 characters (the column): a longer prefix matches nothing, and a huge one would
        # be a LIKE pattern SQLite refuses.
        events = events.filter(action__startswith=get["action"].strip()[:80])
    if get.get("object_type"):
        events = events.filter(object_type=get["object_type"].strip())
    if get.get("result"):
        events = events.filter(result=get["result"].strip())
    if get.get("region"):
        region = Region.objects.filter(code=get["region"].strip()).only("path").first()
        events = events.filter(path_range_q(region.path, "region_path")) if region else events.none()
    return events


@audit_admin_required
def event_list(request):
    events = _filtered(request)
    try:
        after = int(request.GET.get("after", ""))
    except ValueError:
        after = None
    if after:
        events = events.filter(id__lt=after)
    size = settings.PAGE_SIZE
    rows = list(events.order_by("-id")[: size + 1])
    next_after = rows[size - 1].pk if len(rows) > size else None
    params = request.GET.copy()
    params.pop("after", None)
    context = {
        "events": rows[:size],
        "next_after": next_after,
        "query": params.urlencode(),
        "filters": request.GET,
    }
    return render(request, "audit/event_list.html", context)


@audit_admin_required
def event_export(request):
    events = _filtered(request).order_by("-id")[:EXPORT_LIMIT]
    params = {key: value for key, value in request.GET.items() if value}
    record(request.user, "audit.export", changes={"filters": params}, ip=client_ip(request))
    headers = [
        _("ID"),
        _("Time"),
        _("Actor"),
        _("IP address"),
        _("Action"),
        _("Attempted username"),
        _("Object type"),
        _("Object ID"),
        _("Object"),
        _("Region path"),
        _("Result"),
        _("Hash"),
    ]
    rows = (
        (
            e.pk,
            timezone.localtime(e.at).replace(tzinfo=None),
            e.actor_name,
            e.ip,
            e.action,
            e.attempted_username,
            e.object_type,
            e.object_id,
            e.object_repr,
            e.region_path,
            e.result,
            e.hash,
        )
        for e in events.iterator(chunk_size=2000)
    )
    return xlsx_response(_("audit-log.xlsx"), _("Audit log"), headers, rows)
