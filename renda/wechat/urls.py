from django.urls import path

from . import views

app_name = "wechat"
urlpatterns = [
    path("", views.endpoint, name="endpoint"),
    path("oauth/start", views.oauth_start, name="oauth_start"),
    path("oauth/callback", views.oauth_callback, name="oauth_callback"),
]
