from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("boards/<int:campaign_pk>/", views.board, name="board"),
    path("rounds/<int:round_pk>/", views.round_progress, name="round"),
    path("screen/<str:code>/", views.screen, name="screen"),
    path("<str:code>/", views.region, name="region"),
]
