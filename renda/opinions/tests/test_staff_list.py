"""The inbox: who reaches it, what each user sees, filters, Chinese search, htmx, keyset pages, query count."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from renda.opinions.models import Category, Opinion
from renda.opinions.workflow import State
from renda.testing import assert_statuses

from .staff_helpers import make_opinion

URL = reverse("opinions:list")


def codes(response):
    return {opinion.tracking_code for opinion in response.context["rows"]}


def test_list_grid(world):
    assert_statuses(
        world,
        URL,
        {
            "anonymous": 302,
            "outsider": 404,
            "sysadmin": 404,
            "wuzhong_staff": 200,
            "gusu_staff": 200,
            "keeper": 200,
            "deputy_user": 200,
            "unit_user": 200,
            "city_staff": 200,
        },
    )


def test_each_user_sees_only_their_inbox(world):
    mudu = make_opinion(world, State.SUBMITTED)
    forwarded = make_opinion(world, State.FORWARDED)
    canglang = make_opinion(world, State.SUBMITTED, station=world.canglang_home, text="路灯坏了")
    weiting = make_opinion(world, State.SUBMITTED, station=world.weiting_station, text="噪音扰民")
    everything = {"status": ""}
    seen = {
        name: codes(world.client(getattr(world, name)).get(URL, everything))
        for name in ("wuzhong_staff", "gusu_staff", "park_staff", "keeper", "deputy_user", "unit_user", "city_staff")
    }
    assert seen["wuzhong_staff"] == {mudu.tracking_code, forwarded.tracking_code, weiting.tracking_code}
    assert seen["gusu_staff"] == {canglang.tracking_code}
    assert seen["park_staff"] == {weiting.tracking_code}
    assert seen["keeper"] == {mudu.tracking_code, forwarded.tracking_code}
    assert seen["deputy_user"] == {mudu.tracking_code, forwarded.tracking_code}
    assert seen["unit_user"] == {forwarded.tracking_code}
    assert len(seen["city_staff"]) == 4


def test_needs_my_action_is_the_default_for_deputies_keepers_and_units(world):
    waiting_for_triage = make_opinion(world, State.SUBMITTED)
    with_unit = make_opinion(world, State.FORWARDED)
    unit_replied = make_opinion(world, State.UNIT_REPLIED)
    make_opinion(world, State.FINAL)
    assert codes(world.client(world.keeper).get(URL)) == {waiting_for_triage.tracking_code, unit_replied.tracking_code}
    assert codes(world.client(world.unit_user).get(URL)) == {with_unit.tracking_code}
    # Congress staff open on everything in their region; "needs my action" is one choice away.
    assert len(codes(world.client(world.wuzhong_staff).get(URL))) == 4
    mine = codes(world.client(world.wuzhong_staff).get(URL, {"status": "mine"}))
    assert mine == {waiting_for_triage.tracking_code, unit_replied.tracking_code}
    assert codes(world.client(world.keeper).get(URL, {"status": State.FINAL})) != set()


def test_filters(world):
    now = timezone.now()
    education = Category.objects.get(name="教育")
    old = make_opinion(world, State.ACCEPTED, created=now - timedelta(days=40), text="学校门口拥堵", category=education)
    overdue = make_opinion(world, State.FORWARDED, due_at=now - timedelta(days=1))
    done_late = make_opinion(world, State.FINAL, due_at=now - timedelta(days=1))
    weiting = make_opinion(world, State.SUBMITTED, station=world.weiting_station, text="噪音扰民")
    client = world.client(world.wuzhong_staff)
    assert codes(client.get(URL, {"category": education.pk})) == {old.tracking_code}
    assert codes(client.get(URL, {"status": State.FORWARDED})) == {overdue.tracking_code}
    # Overdue means open and past due: a finished opinion is never overdue.
    assert codes(client.get(URL, {"overdue": "on"})) == {overdue.tracking_code}
    assert done_late.tracking_code not in codes(client.get(URL, {"overdue": "on"}))
    assert codes(client.get(URL, {"station": "WEIT01"})) == {weiting.tracking_code}
    assert codes(client.get(URL, {"station": "唯亭"})) == {weiting.tracking_code}
    # A station outside the user's scope matches nothing, even by its exact code.
    make_opinion(world, State.SUBMITTED, station=world.canglang_home)
    assert codes(client.get(URL, {"station": "CANG01"})) == set()
    assert codes(client.get(URL, {"unit": world.wuzhong_unit.pk})) == {overdue.tracking_code, done_late.tracking_code}
    # Dates in filters are China dates: between 16:00 and 24:00 UTC the UTC date is a day behind.
    day = timezone.localdate(now - timedelta(days=40))
    assert codes(client.get(URL, {"date_from": day.isoformat(), "date_to": day.isoformat()})) == {old.tracking_code}
    recent = timezone.localdate(now - timedelta(days=2)).isoformat()
    assert old.tracking_code not in codes(client.get(URL, {"date_from": recent}))
    # A unit outside scope is not a valid choice: the filter reports it and does not apply it.
    response = client.get(URL, {"unit": world.gusu_unit.pk})
    assert response.context["form"].errors["unit"] and len(codes(response)) == 4


def test_two_character_chinese_search_newest_first(world):
    now = timezone.now()
    first = make_opinion(world, text="小区停车难", created=now - timedelta(days=2))
    second = make_opinion(world, text="菜场门口乱停车", created=now - timedelta(days=1))
    make_opinion(world, text="路灯坏了")
    make_opinion(world, text="停在车库", station=world.mudu_home)  # 停 and 车 apart: no match
    make_opinion(world, text="停车收费", station=world.canglang_home)  # out of scope
    response = world.client(world.wuzhong_staff).get(URL, {"q": "停车"})
    assert [row.tracking_code for row in response.context["rows"]] == [second.tracking_code, first.tracking_code]
    three = world.client(world.wuzhong_staff).get(URL, {"q": "停车难"})
    assert codes(three) == {first.tracking_code}


def test_htmx_filter_returns_the_table_fragment(world):
    opinion = make_opinion(world, text="路灯坏了")
    response = world.client(world.wuzhong_staff).get(URL, {"q": "路灯"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200 and opinion.tracking_code in content
    assert "<html" not in content and 'class="filters" role="search"' not in content and 'class="table-wrap"' in content


def test_columns_and_overdue_marker(world):
    long_text = "小区停车难" * 20
    opinion = make_opinion(world, State.FORWARDED, text=long_text, due_at=timezone.now() - timedelta(hours=1))
    content = world.client(world.wuzhong_staff).get(URL).content.decode()
    assert opinion.tracking_code in content and "木渎镇代表之家" in content and "吴中区住房和城乡建设局" in content
    assert long_text[:60] + "…" in content and long_text[:61] not in content
    assert 'class="date overdue"' in content and 'class="is-overdue"' in content


def test_keyset_pages(world, settings):
    settings.PAGE_SIZE = 3
    now = timezone.now()
    made = [make_opinion(world, created=now - timedelta(minutes=i)) for i in range(7)]
    # Two rows in the same instant: the id breaks the tie and neither is lost between pages.
    twin = make_opinion(world, created=made[2].created)
    expected = [o.tracking_code for o in sorted([*made, twin], key=lambda o: (o.created, o.pk), reverse=True)]
    client = world.client(world.wuzhong_staff)
    seen, params = [], {}
    for _page in range(5):
        response = client.get(URL, params)
        seen += [row.tracking_code for row in response.context["rows"]]
        if not response.context["older"]:
            break
        params = {"before": response.context["older"]}
    assert seen == expected
    assert client.get(URL, {"before": "garbage"}).status_code == 200


def test_count_is_capped(world, settings, monkeypatch):
    from renda.opinions import views

    settings.PAGE_SIZE = 2
    monkeypatch.setattr(views, "COUNT_CAP", 3)
    for _i in range(5):
        make_opinion(world)
    response = world.client(world.wuzhong_staff).get(URL)
    assert response.context["count_capped"] and response.context["count"] == 3


def test_query_count_does_not_grow_with_rows(world, django_assert_num_queries):
    client = world.client(world.wuzhong_staff)
    for i in range(3):
        make_opinion(world, State.FORWARDED, text=f"第{i}条意见")
    client.get(URL)  # warm up: session, user
    # session, user, grants, the page of opinions among the newest 1,000 and 10,000 (search.recent_first), the page
    # through the index (fewer than a page matched there), categories and units for the filter and the bulk form
    with django_assert_num_queries(9) as captured:
        client.get(URL, {"status": "mine", "q": "意见"})
    first = len(captured)
    for i in range(20):
        make_opinion(world, State.FORWARDED, text=f"第{i}条意见")
    with django_assert_num_queries(first):
        client.get(URL, {"status": "mine", "q": "意见"})


def _pages(client, query):
    """Every page of the inbox for `query`, following the keyset links."""
    pages, params = [], {"q": query}
    while True:
        response = client.get(URL, params)
        pages.append([row.pk for row in response.context["rows"]])
        if not response.context["older"]:
            return pages
        params = {"q": query, "before": response.context["older"]}


def test_search_through_the_newest_window_gives_the_index_answer(world, settings):
    """A frequent term fills its page among the newest opinions; a rare one falls back to the index: the same pages
    (and the same order) either way, page after page."""
    settings.PAGE_SIZE = 2
    now = timezone.now()
    texts = ["希望加装电梯，老人上下楼难", "路灯不亮，晚上出行不便", "加装电梯资金怎么分摊", "小区停车难"]
    for i in range(12):
        make_opinion(world, text=texts[i % len(texts)], created=now - timedelta(hours=i))
    make_opinion(world, text="旧楼加装电梯", created=now - timedelta(days=30))
    client = world.client(world.wuzhong_staff)
    for query in ["加装电梯", "电梯", "路灯 晚上", "停车难", "没有这个词"]:
        settings.SEARCH_WINDOW = 4
        windowed = _pages(client, query)
        settings.SEARCH_WINDOW = 0
        assert windowed == _pages(client, query), query
    settings.SEARCH_WINDOW = 4
    assert sum(len(page) for page in _pages(client, "加装电梯")) == 7


def test_a_searchs_capped_count_is_the_same_through_the_window(world, settings, monkeypatch):
    from renda.opinions import search, views
    from renda.opinions.models import Opinion

    settings.PAGE_SIZE = 2
    monkeypatch.setattr(views, "COUNT_CAP", 3)
    for i in range(8):
        make_opinion(world, text="希望加装电梯" if i % 2 else "路灯不亮", created=timezone.now() - timedelta(hours=i))
    client = world.client(world.wuzhong_staff)
    for window in (1, 0):  # 20 rows through the window (more than the cap there), then the index alone
        settings.SEARCH_WINDOW = window
        response = client.get(URL, {"q": "加装电梯"})
        assert response.context["count_capped"] and response.context["count"] == 3
    settings.SEARCH_WINDOW = 1
    assert search.capped_count(Opinion.objects.all(), "路灯", 10) == 4  # under the cap: counted by the index
    assert search.capped_count(Opinion.objects.all(), "路灯", 2) == 3  # over it within the window


def test_capped_counts_through_the_newest_rows_are_the_indexs(world, settings):
    """The count among the newest rows (one statement stopping at the cap on PostgreSQL) agrees with the index's,
    for one term and several, under the cap, at it and over it, and in a scope smaller than the window."""
    from renda.opinions import search
    from renda.opinions.access import opinions_for

    texts = ["希望加装电梯，老人上下楼难", "路灯不亮，晚上出行不便", "路灯坏了", "小区停车难"]
    for i in range(16):
        make_opinion(world, text=texts[i % len(texts)], created=timezone.now() - timedelta(hours=i))
    make_opinion(world, station=world.canglang_home, text="路灯不亮")  # outside the district: never counted
    scope = opinions_for(world.wuzhong_staff)
    for query in ["加装电梯", "路灯", "路灯 晚上", "没有这个词"]:
        for cap in (1, 4, 8, 100):
            settings.SEARCH_WINDOW = 0
            expected = search.capped_count(scope, query, cap)
            for window in (1, 2):  # the newest 20 and 40 rows: the whole scope (16), so exact there
                settings.SEARCH_WINDOW = window
                assert search.capped_count(scope, query, cap) == expected, (query, cap, window)
    assert expected == 0 and search.capped_count(scope, "路灯", 100) == 8


def test_a_deputys_inbox_merges_its_parts_into_the_same_pages(world, settings):
    """A deputy's scope is the stations served OR the opinions addressed to them: each part is read newest first
    through its own index and merged; the pages are those of the one-statement path, in the same order."""
    settings.PAGE_SIZE = 2
    now = timezone.now()
    served = [make_opinion(world, created=now - timedelta(hours=2 * i)) for i in range(4)]
    own = []
    for i in range(3):  # addressed to the deputy (no station), between the served station's
        opinion = make_opinion(world, station=world.weiting_station, created=now - timedelta(hours=2 * i + 1))
        Opinion.objects.filter(pk=opinion.pk).update(station=None, deputy=world.deputy_wz)
        own.append(opinion)
    make_opinion(world, station=world.weiting_station)  # neither: not in the inbox
    client = world.client(world.deputy_user)

    def pages():
        seen, params = [], {"status": ""}
        while True:
            response = client.get(URL, params)
            seen.append([row.pk for row in response.context["rows"]])
            if not response.context["older"]:
                return seen
            params = {"status": "", "before": response.context["older"]}

    merged = pages()
    expected = sorted(served + own, key=lambda o: (o.created, o.pk), reverse=True)
    assert [pk for page in merged for pk in page] == [o.pk for o in expected]
    settings.INBOX_MERGE_PARTS = 0
    assert pages() == merged
    # The merged first page: one statement per part (the station, the deputy's own) more than the single one.
    settings.INBOX_MERGE_PARTS = 20
    with CaptureQueriesContext(connection) as merged_queries:
        client.get(URL, {"status": ""})
    settings.INBOX_MERGE_PARTS = 0
    with CaptureQueriesContext(connection) as single_queries:
        client.get(URL, {"status": ""})
    assert len(merged_queries) == len(single_queries) + 2
    # The served stations are read once a request, for the scope and its parts alike.
    served = [q for q in merged_queries.captured_queries if 'FROM "stations_assignment"' in q["sql"]]
    assert len(served) == 1
