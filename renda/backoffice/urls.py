from django.urls import path

from . import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("reveal/opinion/<int:pk>/", views.reveal_opinion_phone, name="opinion_reveal_phone"),
    path("reveal/deputy/<int:pk>/", views.reveal_deputy_phone, name="deputy_reveal_phone"),
]
