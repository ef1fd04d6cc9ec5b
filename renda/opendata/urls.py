from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("popolo.json", views.popolo, name="popolo"),
    path("<str:kind>.json", views.part, name="part"),
]
