"""Implementation: milestones with weights, progress as their weighted roll-up, reports, supervision visits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import Grant, Role, User

from ..actions import ProjectsError, implementation
from ..models import EventKind, Milestone, Result
from ..phases import Phase
from ..phases import Role as R
from ..progress import board, overdue_milestones, percent, project_progress
from .helpers import STAFF, add_candidates, make_round

UNIT = {R.UNIT, R.PUBLIC}
DEPUTY = {R.DEPUTY, R.PUBLIC}


@pytest.fixture
def elected(world):
    round_ = make_round(world, phase=Phase.IMPLEMENTATION, places=2)
    a, b, c = add_candidates(world, round_, 3)
    for project in (a, b):
        project.result = Result.ELECTED
        project.save()
    return round_, a, b, c


def test_percent_is_the_weighted_share_rounded_down():
    assert percent(None, None) is None
    assert percent(0, 10) == 0
    assert percent(2, 3) == 66
    assert percent(10, 10) == 100


def test_progress_rolls_up_weights(world, elected):
    round_, a, b, c = elected
    today = timezone.localdate()
    m1 = implementation.add_milestone(world.unit_user, a, UNIT, title="设计", due=today, weight=1)
    implementation.add_milestone(world.unit_user, a, UNIT, title="施工", due=today, weight=3)
    assert project_progress(a) == 0
    implementation.complete_milestone(world.unit_user, m1, UNIT, note="完成设计")
    assert project_progress(a) == 25
    with pytest.raises(ProjectsError):
        implementation.complete_milestone(world.unit_user, m1, UNIT)
    rows = board(round_)
    assert [(p.number, p.progress) for p in rows] == [(1, 25), (2, None)]
    assert round_.events.filter(kind=EventKind.MILESTONE).count() == 3


def test_only_elected_projects_and_only_the_lead_unit(world, elected):
    round_, a, b, c = elected
    with pytest.raises(ProjectsError):
        implementation.add_milestone(world.wuzhong_staff, c, STAFF, title="x", due=timezone.localdate(), weight=1)
    other = User.objects.create_user(username="other_unit")
    Grant.objects.create(user=other, role=Role.UNIT_STAFF, unit=world.gusu_unit)
    with pytest.raises(ProjectsError):
        implementation.report_progress(other, a, UNIT, text="不是我们的项目")
    with pytest.raises(ProjectsError):
        implementation.add_milestone(world.unit_user, a, UNIT, title="x", due=timezone.localdate(), weight=0)
    assert not Milestone.objects.exists()


def test_reports_and_visits(world, elected):
    round_, a, b, c = elected
    report = implementation.report_progress(world.unit_user, a, UNIT, text="已完成招标")
    assert report.public_author == world.wuzhong_unit.name
    today = timezone.localdate()
    with pytest.raises(ProjectsError):
        implementation.record_visit(
            world.deputy_user,
            a,
            DEPUTY,
            deputy=world.deputy_wz,
            visited_on=today + datetime.timedelta(days=1),
            findings="x",
        )
    visit = implementation.record_visit(
        world.deputy_user, a, DEPUTY, deputy=world.deputy_wz, visited_on=today, findings="施工进度正常，围挡需加固"
    )
    assert visit.deputy == world.deputy_wz
    texts = list(round_.events.filter(kind__in=[EventKind.PROGRESS, EventKind.VISIT]).values_list("text", flat=True))
    assert len(texts) == 2 and "吴测试" in texts[1]


def test_overdue_milestones(world, elected):
    round_, a, b, c = elected
    today = timezone.localdate()
    late = implementation.add_milestone(
        world.unit_user, a, UNIT, title="晚了", due=today - datetime.timedelta(days=1), weight=1
    )
    implementation.add_milestone(world.unit_user, a, UNIT, title="还早", due=today, weight=1)
    assert list(overdue_milestones()) == [late]


def test_project_pages_show_progress_and_take_reports(world, elected):
    round_, a, b, c = elected
    url = reverse("projects:project", args=[round_.pk, a.pk])
    assert world.client(world.gusu_staff).get(url).status_code == 404
    assert world.client(world.outsider).get(url).status_code == 404
    unit = world.client(world.unit_user)
    assert unit.get(url).status_code == 200
    unit.post(
        reverse("projects:milestone_add", args=[round_.pk, a.pk]), {"title": "施工", "due": "2026-06-30", "weight": "2"}
    )
    milestone = a.milestones.get()
    unit.post(reverse("projects:milestone_done", args=[round_.pk, a.pk, milestone.pk]), {"note": "完工"})
    unit.post(reverse("projects:report", args=[round_.pk, a.pk]), {"text": "全部完工"})
    world.client(world.deputy_user).post(
        reverse("projects:visit", args=[round_.pk, a.pk]),
        {"visited_on": timezone.localdate().isoformat(), "findings": "很好"},
    )
    assert a.reports.count() == 1 and a.visits.count() == 1 and project_progress(a) == 100
    public = world.client(None).get(reverse("projects_public:project", args=[round_.pk, a.pk])).content.decode()
    assert "100%" in public and "全部完工" in public and "很好" in public
    board_page = world.client(None).get(reverse("projects_public:round", args=[round_.pk])).content.decode()
    assert 'id="board"' in board_page and "100%" in board_page


def test_my_page_lists_projects_to_follow(world, elected):
    round_, a, b, c = elected
    for user in (world.deputy_user, world.unit_user):
        body = world.client(user).get(reverse("projects:my_sessions")).content.decode()
        assert 'id="my-projects"' in body and a.title in body and c.title not in body
    assert 'id="my-projects"' not in world.client(world.keeper).get(reverse("projects:my_sessions")).content.decode()


def test_overdue_milestones_remind_then_escalate_once(world, elected):
    from django.core.management import call_command

    from renda.notifications.models import Message

    round_, a, b, c = elected
    today = timezone.localdate()
    implementation.add_milestone(
        world.unit_user, a, UNIT, title="三天前", due=today - datetime.timedelta(days=3), weight=1
    )
    implementation.add_milestone(
        world.unit_user, a, UNIT, title="十天前", due=today - datetime.timedelta(days=10), weight=1
    )
    call_command("projects_milestones", stdout=__import__("io").StringIO())
    call_command("projects_milestones", stdout=__import__("io").StringIO())
    to_unit = Message.objects.filter(template="milestone_overdue", user=world.unit_user)
    assert to_unit.count() == 2
    escalated = Message.objects.filter(template="milestone_escalated")
    assert escalated.count() == 1 and escalated.get().user == world.wuzhong_staff
    from renda.notifications.texts import render_body

    assert "十天前" in render_body(escalated.get()) and "督办" in render_body(escalated.get())


def test_progress_report_with_photos(world, elected):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    round_, a, b, c = elected
    out = BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, format="JPEG")
    photo = SimpleUploadedFile("site.jpg", out.getvalue(), content_type="image/jpeg")
    client = world.client(world.unit_user)
    client.post(reverse("projects:report", args=[round_.pk, a.pk]), {"text": "已开工", "photos": [photo]})
    report = a.reports.get()
    assert report.photos.count() == 1
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    client.post(reverse("projects:report", args=[round_.pk, a.pk]), {"text": "坏图", "photos": [bad]})
    assert a.reports.count() == 1
    public = world.client(None).get(reverse("projects_public:project", args=[round_.pk, a.pk])).content.decode()
    assert report.photos.get().image.url in public


def test_round_page_fragment_is_cached_until_the_next_event(world, elected):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_, a, b, c = elected
    client = world.client(None)
    url = reverse("projects_public:round", args=[round_.pk])
    first = client.get(url).content.decode()
    assert 'id="board"' in first and "25%" not in first
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    today = timezone.localdate()
    done = implementation.add_milestone(world.unit_user, a, UNIT, title="设计", due=today, weight=1)
    implementation.add_milestone(world.unit_user, a, UNIT, title="施工", due=today, weight=3)
    implementation.complete_milestone(world.unit_user, done, UNIT)
    with CaptureQueriesContext(connection) as fresh:
        after = client.get(url).content.decode()
    assert "25%" in after, "a new event is a new fragment"
    assert len(cached) < len(fresh)
