"""A reception day's board as chart data, a round's project progress and the reception progress, against hand
counts; the other region's day and round are missing (404)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.projects.models import Milestone, Result
from renda.projects.phases import Phase
from renda.projects.tests.helpers import add_candidates, make_round
from renda.receptions.models import Campaign, Duty, Reception
from renda.receptions.workflow import Attendance

from .test_charts import chart_data

pytestmark = pytest.mark.django_db


def _day(world, region, stations, attended):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        region=region, title="接待日", date=today, starts=datetime.time(9), ends=datetime.time(11)
    )
    for station, deputies in stations:
        reception = Reception.objects.create(
            station=station, date=today, starts=campaign.starts, ends=campaign.ends, kind="campaign", campaign=campaign
        )
        for n, deputy in enumerate(deputies):
            Duty.objects.create(
                reception=reception,
                deputy=deputy,
                campaign=campaign,
                attendance=Attendance.ATTENDED if n < attended else Attendance.EXPECTED,
            )
    return campaign


def test_board_chart_counts(world):
    campaign = _day(
        world,
        world.suzhou,
        [(world.mudu_home, [world.deputy_wz, world.deputy_city]), (world.canglang_home, [world.deputy_gs])],
        1,
    )
    response = world.client(world.city_staff).get(reverse("dashboards:board", args=[campaign.pk]))
    assert response.status_code == 200
    rows = {row["name"]: row for row in chart_data(response, "board-data")["rows"]}
    assert (rows["吴中区"]["expected"], rows["吴中区"]["attended"], rows["吴中区"]["rate"]) == (2, 1, 50)
    assert (rows["姑苏区"]["expected"], rows["姑苏区"]["attended"], rows["姑苏区"]["rate"]) == (1, 1, 100)
    values = {v["label"]: v["value"] for v in chart_data(response, "map-data")["values"]}
    assert values["吴中区"] == 50 and values["姑苏区"] == 100 and values["虎丘区"] is None

    # 吴中区's staff see the city's day limited to their stations; 姑苏区's own day is missing for them.
    response = world.client(world.wuzhong_staff).get(reverse("dashboards:board", args=[campaign.pk]))
    assert [row["name"] for row in chart_data(response, "board-data")["rows"]] == ["吴中区"]
    gusu_day = _day(world, world.gusu, [(world.canglang_home, [world.deputy_gs])], 0)
    assert world.client(world.wuzhong_staff).get(reverse("dashboards:board", args=[gusu_day.pk])).status_code == 404


def test_reception_progress(world):
    _day(world, world.wuzhong, [(world.mudu_home, [world.deputy_wz])], 1)
    response = world.client(world.wuzhong_staff).get(reverse("dashboards:region", args=[world.wuzhong.code]))
    month = timezone.localdate().month - 1
    series = {line["key"]: line["data"] for line in chart_data(response, "receptions-data")["series"]}
    assert series["coming"][month] == 1 and sum(series["held"]) == 0 and sum(series["cancelled"]) == 0
    assert reverse("dashboards:board", args=[Campaign.objects.get().pk]) in response.content.decode()


def test_round_progress(world):
    round_ = make_round(world, region=world.wuzhong, phase=Phase.IMPLEMENTATION)
    first, second = add_candidates(world, round_, 2)
    for project in (first, second):
        project.result = Result.ELECTED
        project.save(update_fields=["result"])
    today = timezone.localdate()
    Milestone.objects.create(project=first, title="立项", due=today, weight=1, done_on=today)
    Milestone.objects.create(project=first, title="完工", due=today, weight=3)
    response = world.client(world.wuzhong_staff).get(reverse("dashboards:round", args=[round_.pk]))
    assert chart_data(response, "projects-data") == [
        {"name": "1 项目1", "value": 25},
        {"name": "2 项目2", "value": None},
    ]
    assert world.client(world.gusu_staff).get(reverse("dashboards:round", args=[round_.pk])).status_code == 404
