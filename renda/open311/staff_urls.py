from django.urls import path

from . import staff_views

app_name = "open311_staff"
urlpatterns = [
    path("keys/", staff_views.keys, name="keys"),
    path("keys/<int:pk>/revoke/", staff_views.revoke, name="revoke"),
]
