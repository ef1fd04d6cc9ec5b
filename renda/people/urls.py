from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("deputies/", views.placeholder, name="deputy_list"),
    path("members/", views.placeholder, name="member_list"),
    path("units/", views.placeholder, name="unit_list"),
]
