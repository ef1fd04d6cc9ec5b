"""The public activity pages at /activities/p/ (namespace "activities_public"): public activities only."""

from django.urls import path

from .views import public

app_name = "activities_public"
urlpatterns = [
    path("<int:activity_pk>/", public.activity_page, name="activity"),
    path("<int:activity_pk>/photos/<int:file_pk>/", public.photo, name="photo"),
]
