"""The public activity page on the phone pages (/activities/p/<pk>/): public activities that are published or
finished, with deputies' public names only; their public photos; and the activities' Popolo open data."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from renda.core.uploads import serve_file

from ..access import get_public_activity
from ..models import ActivityFile, Answer


@require_safe
def activity_page(request, activity_pk):
    activity = get_public_activity(activity_pk)
    deputies = [
        i.deputy
        for i in activity.invitations.filter(deputy__isnull=False, deputy__is_active=True)
        .exclude(answer=Answer.EXCUSED)
        .select_related("deputy")
        .order_by("deputy__name", "id")
    ]
    members = [
        i.member
        for i in activity.invitations.filter(member__isnull=False, member__is_active=True)
        .exclude(answer=Answer.EXCUSED)
        .select_related("member")
        .order_by("member__name", "id")
    ]
    photos = activity.files.filter(is_photo=True, is_public=True).order_by("id")
    items = activity.problems.select_related("opinion", "suggestion", "category").order_by("number")
    return render(
        request,
        "activities/public/activity.html",
        {"a": activity, "deputies": deputies, "members": members, "photos": photos, "items": items},
    )


@require_safe
def photo(request, activity_pk, file_pk):
    activity = get_public_activity(activity_pk)
    item = ActivityFile.objects.filter(activity=activity, pk=file_pk, is_photo=True, is_public=True).first()
    if item is None:
        raise Http404("no such photo")
    return serve_file(item.file)


@require_safe
def popolo(request):
    """Public activities as Popolo events (see activities/popolo.py)."""
    from ..popolo import build

    response = JsonResponse(build(request), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=600)
    return response
