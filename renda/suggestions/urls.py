from django.urls import path

from .views import office, reports, units

app_name = "suggestions"
urlpatterns = [
    path("", office.inbox, name="inbox"),
    path("key/", office.key_board, name="key_board"),
    path("stats/", office.stats, name="stats"),
    path("unit/", units.inbox, name="unit_inbox"),
    path("reports/", reports.office_reports, name="reports"),
    path("disclosure/", office.disclosure_list, name="disclosure_list"),
    path("<int:pk>/disclosure/", office.disclosure_review, name="disclosure_review"),
    path("sessions/", office.sessions, name="sessions"),
    path("sessions/<int:session_pk>/remove/", office.session_remove, name="session_remove"),
]
