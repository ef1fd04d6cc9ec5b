from django.urls import path

from .views import items, public

app_name = "suggestions_my"
urlpatterns = [
    path("", items.my_list, name="list"),
    path("new/", items.write, name="write"),
    path("public/", public.search, name="public_search"),
    path("public/<int:pk>/", public.public_detail, name="public_detail"),
    path("<int:pk>/", items.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", items.act, name="act"),
]
