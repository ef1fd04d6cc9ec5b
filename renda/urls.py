from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from renda.core.uploads import PUBLIC_MEDIA_FOLDERS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("renda.ops.urls")),  # /healthz, /readyz, /metrics (OPS_ALLOWED_NETWORKS only)
    path("accounts/", include("renda.accounts.urls")),
    path("staff/", include("renda.backoffice.urls")),
    path("staff/regions/", include("renda.backoffice.region_urls")),
    path("staff/people/", include("renda.people.urls")),
    path("staff/stations/", include("renda.stations.urls")),
    path("staff/imports/", include("renda.imports.urls")),
    path("staff/exports/", include("renda.exports.urls")),
    path("staff/opinions/", include("renda.opinions.urls")),
    path("staff/messages/", include("renda.backoffice.message_urls")),
    path("staff/tokens/", include("renda.api.token_urls")),
    path("staff/open311/", include("renda.open311.staff_urls")),
    path("staff/audit/", include("renda.backoffice.audit_urls")),
    path("staff/receptions/", include("renda.receptions.urls")),
    path("staff/suggestions/", include("renda.suggestions.urls")),
    path("staff/projects/", include("renda.projects.urls")),
    path("staff/activities/", include("renda.activities.urls")),
    path("staff/calendar/", include("renda.calendars.staff_urls")),
    path("staff/jointmeetings/unit/", include("renda.jointmeetings.unit_urls")),
    path("staff/jointmeetings/", include("renda.jointmeetings.urls")),
    path("staff/consultation/unit/", include("renda.consultation.unit_urls")),
    path("staff/consultation/", include("renda.consultation.urls")),
    path("staff/records/", include("renda.records.urls")),
    path("staff/dashboards/", include("renda.dashboards.urls")),
    path("api/v1/", include("renda.api.urls")),
    path("open311/v2/", include("renda.open311.urls")),
    path("wechat/", include("renda.wechat.urls")),
    path("opendata/", include("renda.opendata.urls")),
    path("", include("renda.qrcodes.urls")),
    path("", include("renda.opinions.public_urls")),
    path("receptions/", include("renda.receptions.public_urls")),
    path("suggestions/", include("renda.suggestions.my_urls")),
    path("projects/", include("renda.projects.public_urls")),
    path("activities/p/", include("renda.activities.public_urls")),
    path("activities/", include("renda.activities.my_urls")),
    path("calendar/", include("renda.calendars.urls")),
    path("consultation/", include("renda.consultation.my_urls")),
    path("jointmeetings/", include("renda.jointmeetings.my_urls")),
    path("records/", include("renda.records.public_urls")),
    path("", include("renda.public.urls")),
]

if settings.DEBUG:
    from django.urls import re_path
    from django.views.static import serve

    # Development only, and only the public folders (station photos, portraits): opinion photos, reply
    # attachments and import files are served by the views that check who asks (renda/core/uploads.py).
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>(?:{'|'.join(PUBLIC_MEDIA_FOLDERS)})/.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
