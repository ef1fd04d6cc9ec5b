from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.station_list, name="list"),
    path("export/", views.station_export, name="export"),
    path("new/", views.station_create, name="create"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("coverage/export/", views.coverage_export, name="coverage_export"),
    path("<int:pk>/", views.station_detail, name="detail"),
    path("<int:pk>/edit/", views.station_edit, name="edit"),
    path("<int:pk>/deactivate/", views.station_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.station_reactivate, name="reactivate"),
    path("<int:pk>/deputies/candidates/", views.deputy_candidates, name="deputy_candidates"),
    path("<int:pk>/deputies/assign/", views.assign, name="assign"),
    path("<int:pk>/deputies/<int:assignment_pk>/remove/", views.unassign, name="unassign"),
    path("<int:pk>/deputies/<int:assignment_pk>/head/", views.set_head, name="set_head"),
    path("<int:pk>/members/assign/", views.assign_member, name="assign_member"),
    path("<int:pk>/members/<int:member_assignment_pk>/remove/", views.unassign_member, name="unassign_member"),
    path("<int:pk>/photos/add/", views.photo_add, name="photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/delete/", views.photo_delete, name="photo_delete"),
    path("<int:pk>/photos/<int:photo_pk>/caption/", views.photo_caption, name="photo_caption"),
]
