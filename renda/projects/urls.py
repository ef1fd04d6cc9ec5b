"""Back-office routes at /staff/projects/ (namespace "projects"). URL parameters are named after the object they
carry (round_pk, proposal_pk, project_pk, session_pk) so the isolation test can fill them with another region's."""

from django.urls import path

from .views import delivery, deputy, staff

app_name = "projects"
urlpatterns = [
    path("", staff.home, name="home"),
    path("new/", staff.round_create, name="round_create"),
    path("<int:round_pk>/", staff.round_detail, name="round"),
    path("<int:round_pk>/advance/", staff.advance, name="advance"),
    path("<int:round_pk>/propose/", staff.propose, name="propose"),
    path("<int:round_pk>/promote/", staff.promote_opinion, name="promote_opinion"),
    path("<int:round_pk>/proposals/<int:proposal_pk>/screen/", staff.screen, name="screen"),
    path("<int:round_pk>/candidates/", staff.project_add, name="project_add"),
    path("<int:round_pk>/candidates/<int:project_pk>/remove/", staff.project_remove, name="project_remove"),
    path("<int:round_pk>/candidates/publish/", staff.publish_candidates, name="publish_candidates"),
    path("<int:round_pk>/tie/", staff.decide_tie, name="decide_tie"),
    path("<int:round_pk>/sessions/", staff.session_create, name="session_create"),
    path("<int:round_pk>/sessions/<int:session_pk>/", staff.session_detail, name="session"),
    path("<int:round_pk>/sessions/<int:session_pk>/presence/", staff.presence, name="presence"),
    path("<int:round_pk>/sessions/<int:session_pk>/paper/", staff.paper_count, name="paper_count"),
    path("<int:round_pk>/sessions/<int:session_pk>/<str:step>/", staff.session_step, name="session_step"),
    path("<int:round_pk>/projects/<int:project_pk>/", delivery.project_detail, name="project"),
    path("<int:round_pk>/projects/<int:project_pk>/milestones/", delivery.milestone_add, name="milestone_add"),
    path(
        "<int:round_pk>/projects/<int:project_pk>/milestones/<int:milestone_pk>/done/",
        delivery.milestone_done,
        name="milestone_done",
    ),
    path("<int:round_pk>/projects/<int:project_pk>/reports/", delivery.report, name="report"),
    path("<int:round_pk>/projects/<int:project_pk>/visits/", delivery.visit, name="visit"),
    # The deputy's phone pages.
    path("mine/", deputy.my_sessions, name="my_sessions"),
    path("mine/<int:session_pk>/", deputy.ballot, name="ballot"),
    path("mine/<int:session_pk>/sign/", deputy.sign, name="sign"),
]
