from django.urls import path

from . import views

app_name = "calendars_staff"
urlpatterns = [path("", views.region_calendar, name="region")]
