"""The dashboards' chart data against hand counts in a known world, through HTTP after `refresh_dashboards`."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from renda.dashboards.models import OpenDue, OpinionMonth, OpinionRollup, StepMonth
from renda.opinions.actions import perform, submit
from renda.opinions.models import Category, Opinion
from renda.opinions.workflow import Action

pytestmark = pytest.mark.django_db


def chart_data(response, name):
    html = response.content.decode()
    match = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)
    assert match, name
    return json.loads(match.group(1))


@pytest.fixture
def known(world):
    """姑苏区 (沧浪街道): 3 opinions of category A, two closed (one satisfied, one not);
    吴中区 (木渎镇): 1 of A and 2 of B, one of them 5 days past due."""
    a, b = Category.objects.order_by("position", "name")[:2]
    gusu = [submit(station=world.canglang_home, category=a, text=f"姑苏{i}").opinion for i in range(3)]
    wuzhong = [submit(station=world.mudu_home, category=c, text=f"吴中{i}").opinion for i, c in enumerate([a, b, b])]
    Opinion.objects.filter(pk=gusu[0].pk).update(status="closed", rating="satisfied")
    Opinion.objects.filter(pk=gusu[1].pk).update(status="closed", rating="dissatisfied")
    Opinion.objects.filter(pk=wuzhong[0].pk).update(due_at=timezone.now() - datetime.timedelta(days=5, hours=1))
    call_command("refresh_dashboards")
    return {"a": a, "b": b, "gusu": gusu, "wuzhong": wuzhong}


def test_city_dashboard_counts(world, known):
    client = world.client(world.city_staff)
    response = client.get(reverse("dashboards:region", args=[world.suzhou.code]))
    assert response.status_code == 200
    a, b = known["a"].name, known["b"].name

    series = chart_data(response, "series-data")
    assert len(series["months"]) == 12
    assert series["months"][-1] == timezone.localdate().strftime("%Y-%m")
    assert {line["name"]: line["data"][-1] for line in series["categories"]} == {a: 4, b: 2}
    assert sum(sum(line["data"][:-1]) for line in series["categories"]) == 0
    states = {line["name"]: line["data"][-1] for line in series["states"]}
    assert sorted(states.values()) == [2, 4]

    rates = {row["name"]: row for row in chart_data(response, "rates-data")["rows"]}
    assert list(rates) == ["虎丘区", "吴中区", "姑苏区", "苏州工业园区", "苏州太湖国家旅游度假区"]
    assert (rates["姑苏区"]["total"], rates["姑苏区"]["handling"], rates["姑苏区"]["satisfaction"]) == (3, 66.7, 50.0)
    assert (rates["吴中区"]["total"], rates["吴中区"]["handling"], rates["吴中区"]["satisfaction"]) == (3, 0.0, None)
    assert rates["吴中区"]["on_time"] == 0.0  # no step done yet, one open past due
    assert rates["姑苏区"]["on_time"] is None
    assert chart_data(response, "rates-data")["targets"] == {"handling": 90, "on_time": 95, "satisfaction": 90}

    ageing = {row["name"]: row["value"] for row in chart_data(response, "ageing-data")}
    assert ageing["4–7"] == 1 and sum(ageing.values()) == 1

    assert chart_data(response, "topics-data") == [{"name": a, "value": 4}, {"name": b, "value": 2}]

    shown = chart_data(response, "map-data")
    assert {f["properties"]["name"] for f in shown["geojson"]["features"]} == {
        world.huqiu.code,
        world.wuzhong.code,
        world.gusu.code,
    }
    assert {v["label"]: v["value"] for v in shown["values"]}["姑苏区"] == 3
    assert set(shown["missing"]) == {"苏州工业园区", "苏州太湖国家旅游度假区"}
    # The plain table under the chart holds the same numbers.
    assert "<td>66.7</td>" in response.content.decode()


def test_incremental_refresh_follows_events(world, known):
    """A state change writes an event; the next run recounts that opinion's month and counts the step."""
    opinion = known["gusu"][2]
    perform(world.gusu_staff, opinion.pk, Action.ACCEPT)
    call_command("refresh_dashboards")
    call_command("refresh_dashboards")  # idempotent: a second run changes nothing
    response = world.client(world.gusu_staff).get(reverse("dashboards:region", args=[world.gusu.code]))
    rates = {row["name"]: row for row in chart_data(response, "rates-data")["rows"]}
    assert rates["沧浪街道"]["on_time"] == 100.0  # the triage step was done by its due date
    states = {line["name"]: line["data"][-1] for line in chart_data(response, "series-data")["states"]}
    assert sum(states.values()) == 3 and len(states) == 2  # closed 2, accepted 1
    # An incremental run leaves exactly what a full rebuild makes.
    tables = {
        OpinionMonth: ("path", "month", "category_id", "status", "rating", "n"),
        OpinionRollup: ("path", "month", "category_id", "status", "rating", "n"),
        StepMonth: ("path", "month", "done", "on_time"),
        OpenDue: ("path", "due", "n"),
    }
    before = {model: sorted(model.objects.values_list(*fields)) for model, fields in tables.items()}
    call_command("refresh_dashboards", "--full")
    assert before == {model: sorted(model.objects.values_list(*fields)) for model, fields in tables.items()}
    # The city's roll-up row set counts all six opinions; a district's its own three.
    assert sum(OpinionRollup.objects.filter(path=world.suzhou.path).values_list("n", flat=True)) == 6
    assert sum(OpinionRollup.objects.filter(path=world.gusu.path).values_list("n", flat=True)) == 3


def test_region_scoped(world, known):
    wuzhong = world.client(world.wuzhong_staff)
    assert wuzhong.get(reverse("dashboards:region", args=[world.gusu.code])).status_code == 404
    assert wuzhong.get(reverse("dashboards:screen", args=[world.gusu.code])).status_code == 404
    assert chart_data(wuzhong.get(reverse("dashboards:home")), "map-data")["name"] == f"region-{world.wuzhong.code}"
    response = wuzhong.get(reverse("dashboards:region", args=[world.wuzhong.code]))
    topics = chart_data(response, "topics-data")
    assert sum(row["value"] for row in topics) == 3  # 姑苏区's opinions are not counted
    # Towns have no shapes: the district's own outline carries its opinions, and nothing drills down from it.
    shown = chart_data(response, "map-data")
    assert [f["properties"]["name"] for f in shown["geojson"]["features"]] == [world.wuzhong.code]
    assert shown["values"] == [{"name": world.wuzhong.code, "label": "吴中区", "value": 3}]
    assert not shown["drill"] and "木渎镇" in shown["missing"]
    assert world.client(world.keeper).get(reverse("dashboards:home")).status_code == 404


def test_big_screen_has_no_personal_data(world, known):
    Opinion.objects.filter(pk=known["gusu"][0].pk).update(submitter_name="张三", submitter_phone="13800000000")
    perform(world.gusu_staff, known["gusu"][2].pk, Action.REFUSE, reason="duplicate")
    call_command("refresh_dashboards")
    response = world.client(world.city_staff).get(reverse("dashboards:screen", args=[world.suzhou.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-refresh="60"' in html
    assert "张三" not in html and "13800000000" not in html and "姑苏2" not in html
    assert "沧浪街道" in html  # the recently handled item, by region and category only
    assert "<strong>6</strong>" in html  # opinions in the city


def test_query_count_does_not_grow_with_opinions(world, known, django_assert_max_num_queries):
    """A fixed number of grouped queries whatever the number of opinions or stations."""
    client = world.client(world.city_staff)
    client.get(reverse("dashboards:region", args=[world.suzhou.code]))  # sessions, menu caches warm
    with django_assert_max_num_queries(30):
        assert client.get(reverse("dashboards:region", args=[world.suzhou.code])).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("dashboards:screen", args=[world.suzhou.code])).status_code == 200
