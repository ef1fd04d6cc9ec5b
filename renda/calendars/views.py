"""The person's calendar (phone), its feed address, the feed itself, and the region's calendar for staff."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renda.accounts.decorators import congress_staff_required
from renda.accounts.region_access import get_region_for_user, regions_for
from renda.audit.actions import client_ip

from . import access, actions, agenda, ical
from .models import Feed


def _start(request) -> tuple[dt.date, str]:
    """The first day shown (?from=YYYY-MM-DD, default today) and an error message for a bad value."""
    today = timezone.localdate()
    value = request.GET.get("from", "")
    if not value:
        return today, ""
    try:
        return dt.date.fromisoformat(value), ""
    except ValueError:
        return today, _("“%(value)s” is not a date (YYYY-MM-DD); showing from today.") % {"value": value[:20]}


def _window_context(start: dt.date) -> dict:
    days = dt.timedelta(days=settings.CALENDAR_PAGE_DAYS)
    return {
        "start": start,
        "end": start + days - dt.timedelta(days=1),
        "previous": (start - days).isoformat(),
        "next": (start + days).isoformat(),
        "today": timezone.localdate(),
    }


def _own(request):
    if not access.has_own_calendar(request.user):
        raise Http404("no calendar of one's own")


@login_required
@require_GET
def mine(request):
    _own(request)
    start, error = _start(request)
    return _mine_page(request, start, error=error, has_feed=Feed.objects.filter(user=request.user).exists())


@login_required
@require_POST
def feed_issue(request):
    """Make (or replace) the feed address and show it once on the page."""
    _own(request)
    token = actions.issue_feed(request.user, access.person_region(request.user), ip=client_ip(request))
    feed_url = settings.PUBLIC_BASE_URL + reverse("calendars:feed", args=[token])
    # webcal: opens the phone's calendar app with a subscription (iOS, most Android calendars).
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return _mine_page(request, timezone.localdate(), has_feed=True, feed_url=feed_url, webcal_url=webcal_url)


def _mine_page(request, start: dt.date, **extra):
    """The person's calendar page from `start`: its days, and whatever the feed section needs (`extra`)."""
    entries = agenda.person_entries(request.user, start, start + dt.timedelta(days=settings.CALENDAR_PAGE_DAYS))
    context = {**_window_context(start), "days": agenda.by_day(entries), "feed_url": "", **extra}
    return render(request, "calendars/mine.html", context)


@login_required
@require_POST
def feed_revoke(request):
    _own(request)
    actions.revoke_feed(request.user, access.person_region(request.user), ip=client_ip(request))
    return redirect("calendars:mine")


@require_GET
def feed(request, token):
    """The iCalendar feed a phone subscribes to: the address is the credential (no login, no cookie)."""
    feed = access.feed_by_token(token)
    # Phones poll every few hours and several devices share one address: the rendered document is kept for
    # CALENDAR_FEED_CACHE_SECONDS (a change shows at the next poll after that), keyed by the address, so a replaced
    # or stopped address never reads an old copy (it is refused above before the cache is looked at).
    key = f"calendar-feed:{feed.token_hash}"
    body = cache.get(key) if settings.CALENDAR_FEED_CACHE_SECONDS else None
    if body is None:
        today = timezone.localdate()
        entries = agenda.person_entries(
            feed.user,
            today - dt.timedelta(days=settings.CALENDAR_FEED_PAST_DAYS),
            today + dt.timedelta(days=settings.CALENDAR_FEED_FUTURE_DAYS),
        )
        body = ical.render(entries, name=_("My duties and activities"))
        if settings.CALENDAR_FEED_CACHE_SECONDS:
            cache.set(key, body, settings.CALENDAR_FEED_CACHE_SECONDS)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@congress_staff_required
@require_GET
def region_calendar(request):
    start, error = _start(request)
    region = None
    if request.GET.get("region"):
        region = get_region_for_user(request.user, request.GET["region"][:20])
    end = start + dt.timedelta(days=settings.CALENDAR_PAGE_DAYS)
    entries = agenda.region_entries(request.user, start, end, region)
    return render(
        request,
        "calendars/region.html",
        {
            **_window_context(start),
            "days": agenda.by_day(entries),
            "error": error,
            "region": region,
            "regions": regions_for(request.user).order_by("path")[:300],
        },
    )
