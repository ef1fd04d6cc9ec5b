from django.urls import path

from .views import items

app_name = "suggestions_my"
urlpatterns = [
    path("", items.my_list, name="list"),
    path("new/", items.write, name="write"),
    path("<int:pk>/", items.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", items.act, name="act"),
]
