"""The statistics page without dates reads the summary tables (renda/dashboards/statistics.py): the same figures as
counting the opinions live, as of the last refresh; with dates, or before any refresh, it counts live."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from renda.dashboards.refresh import refresh
from renda.opinions import stats
from renda.opinions.tests.staff_helpers import make_opinion
from renda.opinions.tests.test_staff_stats import build

URL = reverse("opinions:stats")
FIELDS = ("total", "handled", "rated", "satisfied", "open_overdue", "steps_done", "steps_on_time", "by_status")


def figures_of(figures):
    return {name: getattr(figures, name) for name in FIELDS}


def test_the_page_without_dates_reads_the_summary_and_says_as_of_when(world, django_assert_max_num_queries):
    build(world)
    client = world.client(world.wuzhong_staff)
    live = client.get(URL)
    assert live.context["as_of"] is None and "stats-as-of" not in live.content.decode()
    refresh(full=True)
    summary = client.get(URL)
    assert summary.context["as_of"] is not None and 'id="stats-as-of"' in summary.content.decode()
    # The same figures, in total and for every child region, as counting the opinions.
    assert figures_of(summary.context["total"]) == figures_of(live.context["total"])
    assert summary.context["total"].total == 6 and summary.context["total"].steps_done == 6
    assert [(r.pk, figures_of(f)) for r, f in summary.context["children"]] == [
        (r.pk, figures_of(f)) for r, f in live.context["children"]
    ]
    # A new opinion shows at the next refresh; a period is always counted live.
    make_opinion(world)
    assert client.get(URL).context["total"].total == 6
    month_ago = timezone.localdate(timezone.now() - timedelta(days=30)).isoformat()
    period = client.get(URL, {"date_from": month_ago})
    assert period.context["as_of"] is None and period.context["total"].total == 6  # 5 in the period, and the new one
    refresh()
    assert client.get(URL).context["total"].total == 7
    with django_assert_max_num_queries(10):
        client.get(URL)


def test_a_zone_and_a_town_read_the_same_as_live(world):
    build(world)
    refresh(full=True)
    for region in (world.park, world.mudu, world.wuzhong):
        summary = stats.figures(region)
        total, children = stats.region_figures(region)
        assert summary[2] is not None
        assert figures_of(summary[0]) == figures_of(total), region.name
        assert [figures_of(f) for _r, f in summary[1]] == [figures_of(f) for _r, f in children], region.name


def test_live_counting_when_the_summary_is_switched_off(world, settings):
    build(world)
    refresh(full=True)
    settings.STATS_FROM_SUMMARY = False
    make_opinion(world)
    response = world.client(world.wuzhong_staff).get(URL)
    assert response.context["as_of"] is None and response.context["total"].total == 7
