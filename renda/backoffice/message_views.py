"""The staff's in-site messages (the outbox below knows no accounts; its rows are read through its access.py)."""

from django.contrib import messages as flash
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from renda.accounts.decorators import staff_required
from renda.core.htmx import render_page_or_fragment
from renda.core.paging import paginate
from renda.notifications import actions
from renda.notifications.access import site_messages_for
from renda.notifications.texts import render_body


def _opinion_link(message):
    opinion_id = message.context.get("opinion_id")
    if not opinion_id:
        return ""
    try:
        return reverse("opinions:detail", args=[opinion_id])
    except NoReverseMatch:  # the staff opinion pages are not installed
        return ""


@staff_required
def message_list(request):
    page = paginate(request, site_messages_for(request.user).order_by("-id"))
    # The reader's language: staff who switched to English read English; the stored context stays as queued.
    rows = [{"message": m, "body": render_body(m, language=None), "link": _opinion_link(m)} for m in page]
    unread = site_messages_for(request.user).filter(read_at__isnull=True).count()
    context = {"page": page, "rows": rows, "unread": unread}
    return render_page_or_fragment(request, "notifications/message_list.html", context, "notifications/_messages.html")


@staff_required
@require_POST
def mark_read(request):
    count = actions.mark_all_read(request.user)
    flash.success(
        request,
        ngettext("%(count)d message marked read.", "%(count)d messages marked read.", count) % {"count": count},
    )
    return redirect("notifications:list")
