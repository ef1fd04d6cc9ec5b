"""Back-office routes at /staff/activities/ (namespace "activities"). URL parameters are named after the object they
carry (activity_pk, problem_pk, file_pk, activity_campaign_pk) so the isolation test fills them with another
region's."""

from django.urls import path

from .views import office

app_name = "activities"
urlpatterns = [
    path("", office.activity_list, name="list"),
    path("new/", office.activity_create, name="create"),
    path("campaigns/", office.campaign_list, name="campaigns"),
    path("campaigns/<int:activity_campaign_pk>/", office.campaign_detail, name="campaign"),
    path("<int:activity_pk>/", office.activity_detail, name="detail"),
    path("<int:activity_pk>/edit/", office.activity_edit, name="edit"),
    path("<int:activity_pk>/act/<slug:action>/", office.activity_act, name="act"),
    path("<int:activity_pk>/invite/", office.activity_invite, name="invite"),
    path("<int:activity_pk>/invitations/<int:invitation_pk>/withdraw/", office.activity_uninvite, name="uninvite"),
    path("<int:activity_pk>/attendance/", office.attendance_sheet, name="attendance"),
    path("<int:activity_pk>/report/", office.activity_report, name="report"),
    path("<int:activity_pk>/files/", office.file_add, name="file_add"),
    path("<int:activity_pk>/files/<int:file_pk>/", office.file_get, name="file"),
    path("<int:activity_pk>/problems/", office.problem_add, name="problem_add"),
    path("<int:activity_pk>/problems/<int:problem_pk>/<slug:action>/", office.problem_act, name="problem_act"),
]
