from django.urls import path

from . import views

app_name = "calendars"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("feed/", views.feed_issue, name="feed_issue"),
    path("feed/stop/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
