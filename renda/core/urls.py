from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("reveal/opinion/<int:pk>/", views.reveal_opinion_phone, name="reveal_opinion_phone"),
    path("reveal/deputy/<int:pk>/", views.reveal_deputy_phone, name="reveal_deputy_phone"),
]
