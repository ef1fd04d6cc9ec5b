"""Back-office routes at /staff/receptions/, one namespace; the public schedule is public_urls.py (/receptions/).

Grouped by part, each part's views in renda/receptions/views/<part>.py. URL parameters are named after the object
they carry (campaign_pk, reception_pk, duty_pk, slot_pk, station_pk, deputy_pk) so that
tests/test_region_isolation.py can fill them with another region's objects.
"""

from django.urls import path

from .views import campaign, home, onsite, reports, roster

app_name = "receptions"
urlpatterns = [
    path("", home, name="home"),
    # Duty roster: recurring slots, one-off receptions, cancelling (views/roster.py).
    path("roster/", roster.roster_list, name="roster_list"),
    path("roster/stations/<int:station_pk>/", roster.roster_station, name="roster_station"),
    path("roster/stations/<int:station_pk>/slots/new/", roster.roster_slot_create, name="roster_slot_create"),
    path("roster/stations/<int:station_pk>/one-off/", roster.roster_one_off_create, name="roster_one_off_create"),
    path("roster/slots/<int:slot_pk>/edit/", roster.roster_slot_edit, name="roster_slot_edit"),
    path("roster/slots/<int:slot_pk>/deactivate/", roster.roster_slot_deactivate, name="roster_slot_deactivate"),
    path("roster/receptions/<int:reception_pk>/", roster.roster_reception, name="roster_reception"),
    path(
        "roster/receptions/<int:reception_pk>/cancel/", roster.roster_reception_cancel, name="roster_reception_cancel"
    ),
    path(
        "roster/receptions/<int:reception_pk>/deputies/",
        roster.roster_reception_deputies,
        name="roster_reception_deputies",
    ),
    # Unified reception days: settings, planning, publishing, adjusting (views/campaign.py).
    path("campaigns/", campaign.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign.campaign_create, name="campaign_create"),
    path("campaigns/<int:campaign_pk>/", campaign.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_pk>/edit/", campaign.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_pk>/plan/", campaign.campaign_plan, name="campaign_plan"),
    path("campaigns/<int:campaign_pk>/publish/", campaign.campaign_publish, name="campaign_publish"),
    path("campaigns/<int:campaign_pk>/finish/", campaign.campaign_finish, name="campaign_finish"),
    path("campaigns/<int:campaign_pk>/conflicts/", campaign.campaign_conflicts, name="campaign_conflicts"),
    path("campaigns/<int:campaign_pk>/stations/<int:station_pk>/", campaign.campaign_station, name="campaign_station"),
    path(
        "campaigns/<int:campaign_pk>/stations/<int:station_pk>/add/",
        campaign.campaign_add_duty,
        name="campaign_add_duty",
    ),
    path(
        "campaigns/<int:campaign_pk>/duties/<int:duty_pk>/remove/",
        campaign.campaign_remove_duty,
        name="campaign_remove_duty",
    ),
    path(
        "campaigns/<int:campaign_pk>/duties/<int:duty_pk>/move/", campaign.campaign_move_duty, name="campaign_move_duty"
    ),
    path("campaigns/<int:campaign_pk>/deputies/", campaign.campaign_deputies, name="campaign_deputies"),
    path("campaigns/<int:campaign_pk>/deputies/<int:deputy_pk>/", campaign.campaign_deputy, name="campaign_deputy"),
    path(
        "campaigns/<int:campaign_pk>/deputies/<int:deputy_pk>/unavailable/",
        campaign.campaign_unavailable,
        name="campaign_unavailable",
    ),
    path(
        "campaigns/<int:campaign_pk>/deputies/<int:deputy_pk>/available/",
        campaign.campaign_available,
        name="campaign_available",
    ),
    # The deputy on the day (mine/) and the live boards (board/) (views/onsite.py).
    path("mine/", onsite.my_duties, name="my_duties"),
    path("mine/<int:duty_pk>/", onsite.my_duty, name="my_duty"),
    path("mine/<int:duty_pk>/check-in/", onsite.check_in, name="check_in"),
    path("mine/<int:duty_pk>/visitors/", onsite.record_visit, name="record_visit"),
    path("mine/<int:duty_pk>/opinion/", onsite.record_opinion, name="record_opinion"),
    path("mine/<int:duty_pk>/cannot-come/", onsite.cannot_come, name="cannot_come"),
    path("mine/absences/", onsite.my_absences, name="my_absences"),
    path("mine/absences/<int:absence_pk>/remove/", onsite.remove_absence, name="remove_absence"),
    path("board/", onsite.board_list, name="boards"),
    path("board/<int:campaign_pk>/", onsite.board, name="board"),
    # Attendance, reports, performance records (views/reports.py).
    path("reports/", reports.campaign_reports, name="campaign_reports"),
    path("reports/attendance/", reports.pending_attendance, name="pending_attendance"),
    path("campaigns/<int:campaign_pk>/report/", reports.campaign_report, name="campaign_report"),
    path("campaigns/<int:campaign_pk>/report.xlsx", reports.campaign_report_xlsx, name="campaign_report_xlsx"),
    path("campaigns/<int:campaign_pk>/report.pdf", reports.campaign_report_pdf, name="campaign_report_pdf"),
    path("receptions/<int:reception_pk>/attendance/", reports.reception_attendance, name="attendance"),
    path("receptions/<int:reception_pk>/visitors/", reports.reception_visitors, name="reception_visitors"),
    path("deputies/<int:deputy_pk>/record/", reports.deputy_record_page, name="deputy_record"),
    path("deputies/<int:deputy_pk>/record.xlsx", reports.deputy_record_xlsx, name="deputy_record_xlsx"),
    path("my-record/", reports.my_record, name="my_record"),
    path("reports/idle-stations/", reports.idle_stations, name="idle_stations"),
    path("reports/idle-stations.xlsx", reports.idle_stations_xlsx, name="idle_stations_xlsx"),
    path("reports/not-on-duty/", reports.not_on_duty, name="not_on_duty"),
    path("reports/not-on-duty.xlsx", reports.not_on_duty_xlsx, name="not_on_duty_xlsx"),
]
