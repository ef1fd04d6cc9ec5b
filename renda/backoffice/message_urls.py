from django.urls import path

from . import message_views as views

app_name = "notifications"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("read/", views.mark_read, name="mark_read"),
]
