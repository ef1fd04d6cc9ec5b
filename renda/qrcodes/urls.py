from django.urls import path, register_converter

from . import views


class ImageFormat:
    regex = "png|svg"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ImageFormat, "qrformat")

app_name = "qrcodes"
urlpatterns = [
    # Public: the codes printed at stations and on deputies' cards (same paths as the pages, plus qr.png/qr.svg).
    path("s/<str:code>/qr.<qrformat:fmt>", views.station_qr, name="station_qr"),
    path("d/<str:code>/qr.<qrformat:fmt>", views.deputy_qr, name="deputy_qr"),
    # Staff: printable posters.
    path("staff/stations/<int:pk>/poster.pdf", views.station_poster, name="station_poster"),
    path("staff/regions/<str:code>/posters.pdf", views.region_posters, name="region_posters"),
]
