"""Back-office routes of the report part; collected into the "receptions" namespace by urls.py."""

from django.urls import path

from . import report_views as views

urlpatterns = [
    path("reports/", views.campaign_reports, name="campaign_reports"),
    path("reports/attendance/", views.pending_attendance, name="pending_attendance"),
    path("campaigns/<int:campaign_pk>/report/", views.campaign_report, name="campaign_report"),
    path("campaigns/<int:campaign_pk>/report.xlsx", views.campaign_report_xlsx, name="campaign_report_xlsx"),
    path("campaigns/<int:campaign_pk>/report.pdf", views.campaign_report_pdf, name="campaign_report_pdf"),
    path("receptions/<int:reception_pk>/attendance/", views.reception_attendance, name="attendance"),
    path("receptions/<int:reception_pk>/visitors/", views.reception_visitors, name="reception_visitors"),
    path("deputies/<int:deputy_pk>/record/", views.deputy_record_page, name="deputy_record"),
    path("deputies/<int:deputy_pk>/record.xlsx", views.deputy_record_xlsx, name="deputy_record_xlsx"),
    path("my-record/", views.my_record, name="my_record"),
    path("reports/idle-stations/", views.idle_stations, name="idle_stations"),
    path("reports/idle-stations.xlsx", views.idle_stations_xlsx, name="idle_stations_xlsx"),
    path("reports/not-on-duty/", views.not_on_duty, name="not_on_duty"),
    path("reports/not-on-duty.xlsx", views.not_on_duty_xlsx, name="not_on_duty_xlsx"),
]
