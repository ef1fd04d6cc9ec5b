"""The consultation office at /staff/consultation/ (namespace "consultation"); URL parameters name their object
(consultation_pk: a consultation meeting) for the isolation walk."""

from django.urls import path

from . import views

app_name = "consultation"
urlpatterns = [
    path("", views.home, name="home"),
    path("topics/", views.topic_create, name="topic_create"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<int:consultation_pk>/", views.meeting, name="meeting"),
    path("<int:consultation_pk>/invite/", views.invite, name="invite"),
    path("<int:consultation_pk>/speeches/", views.speech_save, name="speech_save"),
    path("<int:consultation_pk>/results/", views.result_add, name="result_add"),
]
