from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.placeholder, name="list"),
    path("coverage/", views.placeholder, name="coverage"),
]
