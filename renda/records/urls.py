from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.office, name="office"),
    path("export.xlsx", views.export, name="export"),
    path("attention/", views.attention, name="attention"),
    path("delegations/", views.delegations, name="delegations"),
    path("me/", views.my_record, name="my"),
    path("deputies/<int:deputy_pk>/", views.deputy_record, name="deputy"),
    path("deputies/<int:deputy_pk>/refresh/", views.refresh, name="refresh"),
    path("deputies/<int:deputy_pk>/reports/", views.report_start, name="report_start"),
    path("members/<int:member_pk>/", views.member_record, name="member"),
    path("lines/<int:line_pk>/dispute/", views.dispute_line, name="dispute_line"),
    path("disputes/", views.disputes, name="disputes"),
    path("disputes/<int:dispute_pk>/<slug:action>/", views.dispute_act, name="dispute_act"),
    path("weights/", views.tables, name="tables"),
    path("weights/<int:table_pk>/", views.table, name="table"),
    path("weights/<int:table_pk>/close/", views.table_close, name="table_close"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:report_pk>/", views.report, name="report"),
    path("reports/<int:report_pk>/pdf/", views.report_download, name="report_pdf"),
    path("reports/<int:report_pk>/act/<slug:action>/", views.report_act, name="report_act"),
]
