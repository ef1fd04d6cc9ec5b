"""A unit's questions from joint meetings at /staff/jointmeetings/unit/ (namespace "jointmeetings_unit")."""

from django.urls import path

from . import views

app_name = "jointmeetings_unit"
urlpatterns = [
    path("", views.unit_questions, name="list"),
    path("<int:work_pk>/", views.unit_question, name="question"),
]
