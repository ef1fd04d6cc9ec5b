from django.urls import path

from . import security_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", security_views.LoginView.as_view(), name="login"),
    path("logout/", security_views.LogoutView.as_view(), name="logout"),
    path("password/", security_views.PasswordChangeView.as_view(), name="password_change"),
    path("security/", security_views.security, name="security"),
    path("otp/", security_views.otp, name="otp"),
    path("locks/", security_views.lock_list, name="locks"),
    path("locks/<int:pk>/unlock/", security_views.unlock, name="unlock"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/grants/<int:grant_pk>/remove/", views.grant_remove, name="grant_remove"),
]
