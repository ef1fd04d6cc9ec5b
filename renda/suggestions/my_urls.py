from django.urls import path

from .views import items, public, reports

app_name = "suggestions_my"
urlpatterns = [
    path("", items.my_list, name="list"),
    path("new/", items.write, name="write"),
    path("public/", public.search, name="public_search"),
    path("public/<int:pk>/", public.public_detail, name="public_detail"),
    path("reports/", reports.my_reports, name="reports"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/act/<slug:action>/", reports.report_act, name="report_act"),
    path("<int:pk>/", items.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", items.act, name="act"),
    path("<int:pk>/attachments/<int:attachment_pk>/", items.attachment, name="attachment"),
]
