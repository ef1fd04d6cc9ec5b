"""A CPPCC member's consultation meetings and own speeches at /consultation/ (namespace "consultation_my")."""

from django.urls import path

from . import views

app_name = "consultation_my"
urlpatterns = [
    path("", views.my_meetings, name="list"),
    path("<int:consultation_pk>/", views.my_meeting, name="meeting"),
]
