from django.urls import path

from . import region_views as views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("<str:code>/", views.region_detail, name="detail"),
    path("<str:code>/new/", views.region_create, name="create"),
    path("<str:code>/edit/", views.region_edit, name="edit"),
    path("<str:code>/members/", views.zone_members, name="zone_members"),
    path("<str:code>/members/<str:member_code>/remove/", views.zone_member_remove, name="zone_member_remove"),
]
