"""The statistics page reads the summary tables (renda/dashboards/statistics.py) without dates and for whole months:
the same figures as counting the opinions live, as of the last refresh; for other periods, or before any refresh, it
counts live."""

import datetime
from datetime import timedelta

import pytest
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
    month_ago = timezone.localdate(timezone.now() - timedelta(days=30))
    if month_ago.day == 1:  # a 1st starts whole months, which the summary answers: one day earlier is not
        month_ago -= timedelta(days=1)
    period = client.get(URL, {"date_from": month_ago.isoformat()})
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


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def whole_month_periods():
    """Periods of whole months around build()'s opinions: 20 days ago (with their steps, one open and overdue) and
    400 days ago; bounds given or open on either side."""
    now = timezone.localdate()
    recent = timezone.localdate(timezone.now() - timedelta(days=20)).replace(day=1)
    old = timezone.localdate(timezone.now() - timedelta(days=400)).replace(day=1)
    return [
        (recent, next_month(now)),
        (recent, next_month(recent)),
        (old, next_month(old)),
        (old, recent),
        (None, recent),
        (recent, None),
        (next_month(now), None),  # nothing yet
    ]


@pytest.mark.parametrize("period", range(7))
def test_whole_months_read_the_summary_with_the_live_figures(world, period):
    build(world)
    refresh(full=True)
    first, end = whole_month_periods()[period]
    date_from = local_midnight(first) if first else None
    date_to = local_midnight(end) if end else None
    for region in (world.wuzhong, world.mudu, world.park):
        summary = stats.figures(region, date_from=date_from, date_to=date_to)
        total, children = stats.region_figures(region, date_from=date_from, date_to=date_to)
        assert summary[2] is not None, region.name  # read from the summary
        assert figures_of(summary[0]) == figures_of(total), (region.name, first, end)
        assert [figures_of(f) for _r, f in summary[1]] == [figures_of(f) for _r, f in children], region.name
    # The period's opinions are not all time's: the old month holds only the year-old opinion.
    if (first, end) == whole_month_periods()[2]:
        assert stats.figures(world.wuzhong, date_from=date_from, date_to=date_to)[0].total == 1


def test_the_page_offers_whole_months_and_counts_other_periods_live(world):
    build(world)
    refresh(full=True)
    client = world.client(world.wuzhong_staff)
    page = client.get(URL)
    periods = page.context["periods"]
    assert [str(label) for label, _f, _l in periods] == ["本月", "上月", "今年", "去年"]  # zh-Hans by default
    this_year = {"date_from": periods[2][1].isoformat(), "date_to": periods[2][2].isoformat()}
    assert f"date_from={this_year['date_from']}&amp;date_to={this_year['date_to']}" in page.content.decode()
    answer = client.get(URL, this_year)
    assert answer.context["as_of"] is not None and 'id="stats-as-of"' in answer.content.decode()
    live = stats.region_figures(
        world.wuzhong,
        date_from=local_midnight(periods[2][1]),
        date_to=local_midnight(periods[2][2] + timedelta(days=1)),
    )[0]
    assert figures_of(answer.context["total"]) == figures_of(live)
    # A period ending mid-month is counted live, and says nothing of a summary.
    today = timezone.localdate()
    mid = {"date_from": periods[2][1].isoformat(), "date_to": today.replace(day=15).isoformat()}
    assert client.get(URL, mid).context["as_of"] is None


def test_a_run_after_the_tables_were_reset_rebuilds_them_whole(world):
    """What migration 0002 leaves (Freshness reset, steps and open rows gone) is rebuilt by the next plain run."""
    from renda.dashboards.models import Freshness, OpenDue, StepMonth

    build(world)
    refresh(full=True)
    steps, open_rows = (
        list(StepMonth.objects.values_list("path", "month", "done", "on_time").order_by("path", "month")),
        OpenDue.objects.count(),
    )
    StepMonth.objects.all().delete()
    OpenDue.objects.all().delete()
    Freshness.objects.update(last_opinion=0, last_event=0, refreshed_at=None)
    assert stats.figures(world.wuzhong)[2] is None  # counted live until then
    assert refresh()["keys"] == "all"
    assert list(StepMonth.objects.values_list("path", "month", "done", "on_time").order_by("path", "month")) == steps
    assert OpenDue.objects.count() == open_rows and stats.figures(world.wuzhong)[2] is not None


def test_the_ready_made_periods_are_whole_months_across_a_year_end():
    """Each period runs from a 1st to a month's last day (so the summary answers it), also in January and December."""
    periods = {
        str(label): (first, last) for label, first, last in stats.whole_month_periods(datetime.date(2027, 1, 15))
    }
    assert periods["本月"] == (datetime.date(2027, 1, 1), datetime.date(2027, 1, 31))
    assert periods["上月"] == (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    assert periods["去年"] == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    december = {str(label): (f, lst) for label, f, lst in stats.whole_month_periods(datetime.date(2026, 12, 31))}
    assert december["本月"] == (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    assert december["今年"] == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    february = {str(label): (f, lst) for label, f, lst in stats.whole_month_periods(datetime.date(2028, 2, 10))}
    assert february["本月"] == (datetime.date(2028, 2, 1), datetime.date(2028, 2, 29))
