"""A unit's consultation results to answer, at /staff/consultation/unit/ (namespace "consultation_unit")."""

from django.urls import path

from . import views

app_name = "consultation_unit"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<int:feedback_pk>/", views.unit_feedback, name="feedback"),
]
