"""The public pages at /projects/ (namespace "projects_public")."""

from django.urls import path

from .views import public

app_name = "projects_public"
urlpatterns = [
    path("", public.rounds_list, name="rounds"),
    path("s/<str:code>/", public.station_propose, name="station_propose"),
    path("<int:round_pk>/", public.round_page, name="round"),
    path("<int:round_pk>/history/", public.history, name="history"),
    path("<int:round_pk>/propose/", public.propose, name="propose"),
    path("<int:round_pk>/propose/similar/", public.similar, name="similar"),
    path("<int:round_pk>/mine-too/", public.mine_too, name="mine_too"),
    path("<int:round_pk>/p/<str:code>/", public.proposal_page, name="proposal"),
    path("<int:round_pk>/projects/<int:project_pk>/", public.project_page, name="project"),
    path("<int:round_pk>/sessions/<int:session_pk>/ballots/", public.ballots_page, name="ballots"),
    path("<int:round_pk>/sessions/<int:session_pk>/results.<str:fmt>", public.results_download, name="results"),
]
