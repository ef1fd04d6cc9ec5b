from django.urls import path

from . import public_views as views

app_name = "opinions_public"
urlpatterns = [
    # Beside the station and deputy pages (/s/<code>/, /d/<code>/) that the QR codes open.
    path("s/<str:code>/opinion/", views.submit_station, name="station_submit"),
    path("s/<str:code>/opinion/similar/", views.similar_station, name="station_similar"),
    path("s/<str:code>/opinion/mine-too/", views.mine_too_station, name="station_mine_too"),
    path("d/<str:code>/opinion/", views.submit_deputy, name="deputy_submit"),
    path("d/<str:code>/opinion/similar/", views.similar_deputy, name="deputy_similar"),
    path("d/<str:code>/opinion/mine-too/", views.mine_too_deputy, name="deputy_mine_too"),
    # The tracking code is the constituent's only key: short, read aloud, typed back in at /t/.
    path("t/", views.track, name="track"),
    path("t/<str:code>/", views.tracking, name="tracking"),
    path("t/<str:code>/rate/", views.rate, name="rate"),
    # Photos only through the code: their stored names are random and /media/ does not serve them.
    path("t/<str:code>/photos/<int:photo_pk>/", views.tracking_photo, name="photo"),
]
