"""A member deputy's joint meetings at /jointmeetings/ (namespace "jointmeetings_my"): their meetings' published
topics and the linked work, read only. Not walked by the isolation test: a deputy sees their own meetings only
(renda/jointmeetings/tests/test_member_pages.py)."""

from django.urls import path

from . import views

app_name = "jointmeetings_my"
urlpatterns = [
    path("", views.my_meetings, name="list"),
    path("topics/<int:topic_pk>/", views.my_topic, name="topic"),
]
