from django.urls import path

from . import public_views

app_name = "records_public"
urlpatterns = [
    path("reports/<int:pk>.pdf", public_views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/evaluate/", public_views.evaluate, name="evaluate"),
]
