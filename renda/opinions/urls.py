from django.urls import path

from . import views

app_name = "opinions"
urlpatterns = [
    path("", views.opinion_list, name="list"),
    path("export/", views.opinion_export, name="export"),
    path("bulk/", views.opinion_bulk, name="bulk"),
    path("stats/", views.opinion_stats, name="stats"),
    path("<int:pk>/", views.opinion_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.opinion_act, name="act"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo_view, name="photo"),
]
