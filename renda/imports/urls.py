from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/errors.xlsx", views.job_errors, name="errors"),
    path("template/<str:kind>.xlsx", views.template, name="template"),
]
