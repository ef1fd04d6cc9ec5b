"""Back-office routes of the onsite part; collected into the "receptions" namespace by urls.py.

The deputy's phone pages live under mine/ (their own duties only); the live boards under board/.
"""

from django.urls import path

from . import onsite_views

urlpatterns = [
    path("mine/", onsite_views.my_duties, name="my_duties"),
    path("mine/<int:duty_pk>/", onsite_views.my_duty, name="my_duty"),
    path("mine/<int:duty_pk>/check-in/", onsite_views.check_in, name="check_in"),
    path("mine/<int:duty_pk>/visitors/", onsite_views.record_visit, name="record_visit"),
    path("mine/<int:duty_pk>/opinion/", onsite_views.record_opinion, name="record_opinion"),
    path("mine/<int:duty_pk>/cannot-come/", onsite_views.cannot_come, name="cannot_come"),
    path("mine/absences/", onsite_views.my_absences, name="my_absences"),
    path("mine/absences/<int:absence_pk>/remove/", onsite_views.remove_absence, name="remove_absence"),
    path("board/", onsite_views.board_list, name="boards"),
    path("board/<int:campaign_pk>/", onsite_views.board, name="board"),
]
