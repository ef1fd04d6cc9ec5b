"""The deputy's or member's own phone pages at /activities/ (namespace "activities_my"): their invitations only."""

from django.urls import path

from .views import my

app_name = "activities_my"
urlpatterns = [
    path("", my.my_list, name="list"),
    path("record/", my.self_record, name="record"),
    path("problems/", my.my_problems, name="problems"),
    path("<int:activity_pk>/", my.detail, name="detail"),
    path("<int:activity_pk>/answer/", my.answer, name="answer"),
    path("<int:activity_pk>/problems/", my.problem_add, name="problem_add"),
]
