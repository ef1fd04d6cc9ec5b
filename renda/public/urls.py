from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("near/", views.nearest, name="nearest"),
    path("large-text/", views.large_text, name="large_text"),
    path("r/<str:code>/", views.region, name="region"),
    # Short and stable: the QR codes printed at stations and on deputies' cards encode these.
    path("s/<str:code>/", views.station, name="station"),
    path("d/<str:code>/", views.deputy, name="deputy"),
    path("m/<str:code>/", views.member, name="member"),
]
