from django.urls import path

from renda.activities.views import public as activities_public
from renda.projects.views import public as projects_public
from renda.records import popolo as records_popolo

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("popolo.json", views.popolo, name="popolo"),
    path("projects.json", projects_public.popolo, name="projects"),
    path("activities.json", activities_public.popolo, name="activities"),
    path("records.json", records_popolo.records_json, name="records"),
    path("<str:kind>.json", views.part, name="part"),
]
