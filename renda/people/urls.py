from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("deputies/", views.deputy_list, name="deputy_list"),
    path("deputies/new/", views.deputy_create, name="deputy_create"),
    path("deputies/export.xlsx", views.deputy_export, name="deputy_export"),
    path("deputies/<int:pk>/", views.deputy_detail, name="deputy_detail"),
    path("deputies/<int:pk>/edit/", views.deputy_edit, name="deputy_edit"),
    path("deputies/<int:pk>/deactivate/", views.deputy_deactivate, name="deputy_deactivate"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/export.xlsx", views.member_export, name="member_export"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/export.xlsx", views.unit_export, name="unit_export"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/deactivate/", views.unit_deactivate, name="unit_deactivate"),
]
