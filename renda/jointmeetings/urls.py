"""Back-office routes at /staff/jointmeetings/ (namespace "jointmeetings"). URL parameters are named after the object
they carry (meeting_pk, membership_pk, topic_pk, work_pk) so the isolation walk can fill them with another region's."""

from django.urls import path

from . import views

app_name = "jointmeetings"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("<int:meeting_pk>/", views.meeting, name="meeting"),
    path("<int:meeting_pk>/members/", views.member_add, name="member_add"),
    path("<int:meeting_pk>/members/<int:membership_pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:meeting_pk>/topics/", views.topic_create, name="topic_create"),
    path("<int:meeting_pk>/sittings/", views.sitting_plan, name="sitting_plan"),
    path("topics/<int:topic_pk>/", views.topic, name="topic"),
    path("topics/<int:topic_pk>/edit/", views.topic_edit, name="topic_edit"),
    path("topics/<int:topic_pk>/publish/", views.topic_publish, name="topic_publish"),
    path("topics/<int:topic_pk>/close/", views.topic_close, name="topic_close"),
    path("topics/<int:topic_pk>/works/", views.work_add, name="work_add"),
    path("works/<int:work_pk>/done/", views.work_done, name="work_done"),
    path("works/<int:work_pk>/adoption/", views.work_adoption, name="work_adoption"),
]
