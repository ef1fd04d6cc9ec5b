from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("renda.accounts.urls")),
    path("staff/", include("renda.core.urls")),
    path("staff/regions/", include("renda.regions.urls")),
    path("staff/people/", include("renda.people.urls")),
    path("staff/stations/", include("renda.stations.urls")),
    path("staff/imports/", include("renda.imports.urls")),
    path("staff/opinions/", include("renda.opinions.urls")),
    path("staff/messages/", include("renda.notifications.urls")),
    path("staff/tokens/", include("renda.api.token_urls")),
    path("staff/open311/", include("renda.open311.staff_urls")),
    path("staff/audit/", include("renda.audit.urls")),
    path("staff/receptions/", include("renda.receptions.urls")),
    path("staff/projects/", include("renda.projects.urls")),
    path("api/v1/", include("renda.api.urls")),
    path("open311/v2/", include("renda.open311.urls")),
    path("wechat/", include("renda.wechat.urls")),
    path("opendata/", include("renda.opendata.urls")),
    path("", include("renda.qrcodes.urls")),
    path("", include("renda.opinions.public_urls")),
    path("receptions/", include("renda.receptions.public_urls")),
    path("projects/", include("renda.projects.public_urls")),
    path("", include("renda.public.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
