"""The reception day's report against a hand-counted fixture: page, Excel cells and PDF; scoped by region.

The fixture (a city day on 2026-11-20), counted by hand:

    木渎镇代表之家 (吴中区 木渎镇)    4 on duty: 吴测试 attended (checked in), 苏测试 absent (出差), 吴三 checked in
                                      only (counts as attended), 吴四 not recorded → 4 expected, 2 attended, 1 absent
                                      visitors 5 + 3 = 8
                                      opinions: 甲 final/satisfied, 甲 closed/unrated, 乙 forwarded
    唯亭街道代表联络站 (吴中区 唯亭街道) 2 on duty: 吴五 attended, 吴六 absent → 2 expected, 1 attended, 1 absent
                                      visitors 4
                                      opinions: 乙 final/dissatisfied, 甲 reopened/dissatisfied
    沧浪街道代表之家 (姑苏区)          1 on duty: 顾测试 attended → 1 expected, 1 attended; visitors 10
                                      opinions: 甲 submitted
    斜塘街道代表联络站 (虎丘区)        cancelled; 1 on duty (苏七): counts for nothing

    Total: 3 held, 7 expected, 4 attended, 2 absent, 1 not recorded, 57.1%; 22 visitors; 6 opinions, 3 handled
    (final, closed, final), 3 open; 3 rated, 1 satisfied → 33.3%.
    甲: 4 opinions, 2 handled, 2 open, 2 rated, 50.0%.  乙: 2 opinions, 1 handled, 1 open, 1 rated, 0.0%.
    吴中区: 2 held, 6 expected, 3 attended, 2 absent, 50.0%, 12 visitors, 5 opinions, 3 handled, 33.3%.
    姑苏区: 1 held, 1 expected, 1 attended, 0 absent, 100.0%, 10 visitors, 1 opinion, 0 handled, —.
"""

import datetime
from html.parser import HTMLParser
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from renda.opinions.actions import submit
from renda.opinions.models import Category
from renda.people.models import Deputy, DeputyLevel
from renda.receptions.models import Duty, Reception, ReceptionOpinion, Visit
from renda.stations.models import Station
from renda.testing import assert_statuses

from .helpers import on_duty, reception_day, sitting

DAY = datetime.date(2026, 11, 20)


def _deputy(name, region, level=DeputyLevel.COUNTY):
    return Deputy.objects.create(name=name, term=17, level=level, electoral_region=region, public_code=name)


def build_day(world):
    campaign = reception_day(
        world.suzhou,
        title="苏州市统一接待日",
        theme="听民意",
        date=DAY,
        ends=datetime.time(11, 30),
        status="published",
        published_at=timezone.now(),
    )
    cat_a = Category.objects.create(name="测试甲", position=900)
    cat_b = Category.objects.create(name="测试乙", position=901)

    def reception(station, status="scheduled"):
        return sitting(campaign, station, status=status, published_at=timezone.now())

    def duty(rec, deputy, attendance="expected", reason="", checked_in=False):
        return Duty.objects.create(
            reception=rec,
            deputy=deputy,
            campaign=campaign,
            attendance=attendance,
            absence_reason=reason,
            checked_in_at=timezone.now() if checked_in else None,
        )

    def opinion(rec, category, status, rating="", by=None):
        taken = submit(station=rec.station, category=category, text=f"{rec.station.name}的意见").opinion
        taken.status, taken.rating = status, rating
        taken.save(update_fields=["status", "rating"])
        ReceptionOpinion.objects.create(opinion=taken, reception=rec, campaign=campaign, duty=by)
        return taken

    mudu = reception(world.mudu_home)
    wz = duty(mudu, world.deputy_wz, "attended", checked_in=True)
    duty(mudu, world.deputy_city, "absent", "出差")
    d3 = duty(mudu, _deputy("吴三", world.mudu), checked_in=True)
    duty(mudu, _deputy("吴四", world.mudu))
    Visit.objects.create(reception=mudu, duty=wz, count=5, topics="停车")
    Visit.objects.create(reception=mudu, duty=d3, count=3)
    opinion(mudu, cat_a, "final", "satisfied", by=wz)
    opinion(mudu, cat_a, "closed", by=wz)
    opinion(mudu, cat_b, "forwarded", by=d3)

    weiting = reception(world.weiting_station)
    d5 = duty(weiting, _deputy("吴五", world.weiting), "attended")
    duty(weiting, _deputy("吴六", world.weiting), "absent", "生病")
    Visit.objects.create(reception=weiting, duty=d5, count=4)
    opinion(weiting, cat_b, "final", "dissatisfied", by=d5)
    opinion(weiting, cat_a, "reopened", "dissatisfied", by=d5)

    canglang = reception(world.canglang_home)
    gs = duty(canglang, world.deputy_gs, "attended")
    Visit.objects.create(reception=canglang, duty=gs, count=10)
    opinion(canglang, cat_a, "submitted", by=gs)

    xietang = reception(world.xietang_station, status="cancelled")
    duty(xietang, _deputy("苏七", world.xietang, DeputyLevel.CITY))
    return campaign


class _Page(HTMLParser):
    """The texts of elements with an id, and the rows (attributes, cell texts) of each table with an id."""

    def __init__(self, html):
        super().__init__()
        self.texts, self.tables = {}, {}
        self._open_ids, self._table, self._row, self._cell = [], None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._table is not None:
            self._row = (attrs, [])
        elif tag == "td" and self._row is not None:
            self._cell = []
        if attrs.get("id"):
            self._open_ids.append((tag, attrs["id"]))
            self.texts[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row[1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row[1]:
                self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        if self._open_ids and self._open_ids[-1][0] == tag:
            self._open_ids.pop()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        for _tag, element_id in self._open_ids:
            self.texts[element_id] += data


def pdf_text(content: bytes) -> str:
    # The CJK font is embedded as two-byte glyph ids: pypdf's text comes with NUL bytes between characters.
    return "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).replace("\x00", "")


def page(response) -> _Page:
    return _Page(response.content.decode())


def rows_by(parsed: _Page, table_id: str, attr: str) -> dict:
    """{row attribute value: cell texts} of a table's body rows."""
    return {attrs[attr]: cells for attrs, cells in parsed.tables.get(table_id, []) if attr in attrs}


def test_city_report_page_matches_the_hand_count(world):
    campaign = build_day(world)
    response = world.client(world.city_staff).get(reverse("receptions:campaign_report", args=[campaign.pk]))
    assert response.status_code == 200
    parsed = page(response)
    assert parsed.texts["stat-participation"].strip() == "57.1%"
    assert parsed.texts["stat-visitors"].strip() == "22"
    assert parsed.texts["stat-opinions"].strip() == "6"
    assert parsed.texts["stat-satisfaction"].strip() == "33.3%"

    regions = rows_by(parsed, "by-region", "data-region")
    # held, expected, attended, absent, rate, visitors, opinions, handled, satisfaction
    assert regions[world.wuzhong.code][1:] == ["2", "6", "3", "2", "50.0%", "12", "5", "3", "33.3%"]
    assert regions[world.gusu.code][1:] == ["1", "1", "1", "0", "100.0%", "10", "1", "0", "—"]
    # 虎丘区 only had a cancelled reception: listed, with nothing counted
    assert regions[world.huqiu.code][1:] == ["0", "0", "0", "0", "—", "0", "0", "0", "—"]
    # 苏州工业园区 (a zone) counts the towns it manages (唯亭街道, 斜塘街道), as its scope does; they stay in their
    # legal districts' rows too (issue 11 item 9).
    assert regions[world.park.code][1:] == ["1", "2", "1", "1", "50.0%", "4", "2", "1", "0.0%"]
    assert set(regions) == {world.wuzhong.code, world.gusu.code, world.huqiu.code, world.park.code}

    stations = {int(pk): cells for pk, cells in rows_by(parsed, "by-station", "data-station").items()}
    assert stations[world.mudu_home.pk][1:] == ["1", "4", "2", "1", "50.0%", "8", "3", "2", "100.0%"]
    assert stations[world.weiting_station.pk][1:] == ["1", "2", "1", "1", "50.0%", "4", "2", "1", "0.0%"]
    assert stations[world.canglang_home.pk][1:] == ["1", "1", "1", "0", "100.0%", "10", "1", "0", "—"]

    categories = {cells[0]: cells[1:] for _attrs, cells in parsed.tables["by-category"]}
    # opinions, handled, open, rated, satisfaction
    assert categories == {"测试甲": ["4", "2", "2", "2", "50.0%"], "测试乙": ["2", "1", "1", "1", "0.0%"]}


def test_drilling_down_to_a_district_shows_its_towns(world):
    campaign = build_day(world)
    url = reverse("receptions:campaign_report", args=[campaign.pk]) + f"?region={world.wuzhong.code}"
    response = world.client(world.city_staff).get(url)
    html = response.content.decode()
    regions = rows_by(page(response), "by-region", "data-region")
    assert regions[world.mudu.code][1:] == ["1", "4", "2", "1", "50.0%", "8", "3", "2", "100.0%"]
    assert regions[world.weiting.code][1:] == ["1", "2", "1", "1", "50.0%", "4", "2", "1", "0.0%"]
    assert set(regions) == {world.mudu.code, world.weiting.code}
    assert "沧浪街道代表之家" not in html


def test_excel_cells_match_the_hand_count(world):
    campaign = build_day(world)
    response = world.client(world.city_staff).get(reverse("receptions:campaign_report_xlsx", args=[campaign.pk]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-2:] == ["测试甲", "测试乙"]
    by_name = {row[1]: list(row) for row in rows[1:]}
    total = by_name["苏州市"]
    # held, expected, attended, absent, not recorded, rate, visitors, opinions, handled, open, rated, satisfied,
    # satisfaction rate, 甲, 乙
    # The rates are fractions in percentage cells (0.571 shows as 57.1%).
    assert total[3:] == [3, 7, 4, 2, 1, 0.571, 22, 6, 3, 3, 3, 1, 0.333, 4, 2]
    assert by_name["吴中区"][3:] == [2, 6, 3, 2, 1, 0.5, 12, 5, 3, 2, 3, 1, 0.333, 3, 2]
    assert by_name["木渎镇代表之家"][2:] == ["木渎镇", 1, 4, 2, 1, 1, 0.5, 8, 3, 2, 1, 1, 1, 1.0, 2, 1]
    assert by_name["沧浪街道代表之家"][3:] == [1, 1, 1, 0, 0, 1.0, 10, 1, 0, 1, 0, 0, None, 1, 0]
    formats = load_workbook(BytesIO(response.content)).worksheets[0]
    assert [formats.cell(2, column).number_format for column in (9, 16)] == ["0.0%", "0.0%"]


def test_pdf_opens_and_names_the_stations(world):
    campaign = build_day(world)
    response = world.client(world.city_staff).get(reverse("receptions:campaign_report_pdf", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "木渎镇代表之家" in text
    assert "57.1%" in text
    # The footer of every page: the issuing office, the date, page N of M (renda/core/pdf.py).
    flat = "".join(text.split())
    assert "苏州市人大常委会" in flat and "第1页/共" in flat


def test_another_district_sees_only_its_own_stations_in_a_city_day(world):
    campaign = build_day(world)
    url = reverse("receptions:campaign_report", args=[campaign.pk])
    html = world.client(world.gusu_staff).get(url).content.decode()
    for word in ("木渎镇代表之家", "唯亭街道代表联络站", "吴中区", "斜塘街道"):
        assert word not in html
    assert "沧浪街道代表之家" in html
    regions = set(rows_by(_Page(html), "by-region", "data-region"))
    assert regions == {world.gusu.code}

    sheet = world.client(world.gusu_staff).get(reverse("receptions:campaign_report_xlsx", args=[campaign.pk]))
    text = str(list(load_workbook(BytesIO(sheet.content), read_only=True).worksheets[0].iter_rows(values_only=True)))
    assert "木渎镇代表之家" not in text and "吴中区" not in text

    pdf = world.client(world.gusu_staff).get(reverse("receptions:campaign_report_pdf", args=[campaign.pk]))
    text = pdf_text(pdf.content)
    assert "木渎镇代表之家" not in text and "沧浪街道代表之家" in text

    html = world.client(world.wuzhong_staff).get(url).content.decode()
    assert "沧浪街道代表之家" not in html and "木渎镇代表之家" in html


def test_drilling_into_a_region_without_visible_receptions_is_missing(world):
    campaign = build_day(world)
    url = reverse("receptions:campaign_report", args=[campaign.pk])
    client = world.client(world.wuzhong_staff)
    assert client.get(url + f"?region={world.gusu.code}").status_code == 404
    assert client.get(url + "?region=999999999999").status_code == 404
    assert client.get(url + f"?region={world.mudu.code}").status_code == 200


def test_who_may_read_the_report(world):
    campaign = build_day(world)
    url = reverse("receptions:campaign_report", args=[campaign.pk])
    assert_statuses(
        world,
        url,
        {
            "city_staff": 200,
            "wuzhong_staff": 200,
            "gusu_staff": 200,
            "keeper": 200,
            "deputy_user": 404,
            "unit_user": 404,
            "outsider": 404,
            "anonymous": 302,
        },
    )
    gusu_day = reception_day(world.gusu, title="姑苏区接待日", date=DAY)
    for name in ("campaign_report", "campaign_report_xlsx", "campaign_report_pdf"):
        assert_statuses(world, reverse(f"receptions:{name}", args=[gusu_day.pk]), {"wuzhong_staff": 404})


def test_the_report_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries, django_assert_num_queries):
    campaign = build_day(world)
    client = world.client(world.city_staff)
    url = reverse("receptions:campaign_report", args=[campaign.pk])
    client.get(url)  # the session and the scope, as on any later page
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        station = Station.objects.create(
            name=f"木渎测试站{n}", kind="home", region=world.mudu, public_code=f"MT{n:04d}", address="x"
        )
        reception = sitting(campaign, station)
        [duty] = on_duty(reception, world.deputy_wz)
        Visit.objects.create(reception=reception, duty=duty, count=1)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_report_index_lists_the_days_the_user_may_read(world):
    campaign = build_day(world)
    gusu_day = reception_day(world.gusu, title="姑苏区接待日", date=DAY, status="finished")
    draft = reception_day(world.wuzhong, title="吴中区草稿", date=DAY)
    index = reverse("receptions:campaign_reports")
    html = world.client(world.wuzhong_staff).get(index).content.decode()
    assert reverse("receptions:campaign_report", args=[campaign.pk]) in html
    assert "姑苏区接待日" not in html and "吴中区草稿" not in html
    assert (
        reverse("receptions:campaign_report", args=[gusu_day.pk])
        in world.client(world.gusu_staff).get(index).content.decode()
    )
    assert draft.pk  # a draft has no report yet: nothing to read
    # Staff of the station's region get a link to record attendance; a keeper does not record a reception day's.
    report = reverse("receptions:campaign_report", args=[campaign.pk])
    mudu = Reception.objects.get(campaign=campaign, station=world.mudu_home)
    attendance = reverse("receptions:attendance", args=[mudu.pk])
    assert attendance in world.client(world.wuzhong_staff).get(report).content.decode()
    assert attendance not in world.client(world.keeper).get(report).content.decode()


def test_the_station_table_is_paged_while_the_totals_cover_every_station(world, monkeypatch):
    """A province's day has 20,000 stations: the page shows them a page at a time; the figures above do not change."""
    from renda.receptions.views import reports as report_views

    campaign = build_day(world)
    monkeypatch.setattr(report_views, "STATIONS_PER_PAGE", 2)
    url = reverse("receptions:campaign_report", args=[campaign.pk])
    client = world.client(world.city_staff)
    first, second = client.get(url).content.decode(), client.get(url, {"page": 2}).content.decode()
    rows = [
        html.split('id="by-station"', 1)[1].split("</table>", 1)[0].count("data-station=") for html in (first, second)
    ]
    assert rows[0] == 2 and rows[1] >= 1
    assert 'rel="next"' in first and "page=2" in first
    # The summary and the region table are the whole region's on every page (the CSRF token differs per response).
    summary = [html.split("</header>", 1)[1].split('id="by-station"', 1)[0] for html in (first, second)]
    assert summary[0] == summary[1] and 'data-region="' in summary[0]


def test_the_pdf_stops_listing_stations_at_its_limit_and_says_so(world, monkeypatch):
    from renda.receptions import reports

    campaign = build_day(world)
    url = reverse("receptions:campaign_report_pdf", args=[campaign.pk])
    client = world.client(world.city_staff)
    whole = pdf_text(client.get(url).content)
    monkeypatch.setattr(reports, "PDF_STATION_ROWS", 1)
    cut = pdf_text(client.get(url).content)
    assert "Excel" not in whole and "Excel" in cut  # "1 of N stations are listed here; the Excel file lists all"
    stations = ["斜塘街道代表联络站", "木渎镇代表之家", "唯亭街道代表联络站", "沧浪街道代表之家"]
    assert all(name in whole for name in stations)
    assert sum(name in cut for name in stations) == 1


def test_every_export_is_audited_with_the_client_address(world):
    """Issue 10 item 5: an export records who, what and from which address, like every other audit row."""
    from renda.audit.models import AuditEvent

    campaign = build_day(world)
    client = world.client(world.city_staff)
    for name, kwargs in (
        ("campaign_report_xlsx", {"campaign_pk": campaign.pk}),
        ("campaign_report_pdf", {"campaign_pk": campaign.pk}),
        ("deputy_record_xlsx", {"deputy_pk": world.deputy_wz.pk}),
        ("idle_stations_xlsx", {}),
        ("not_on_duty_xlsx", {}),
    ):
        assert client.get(reverse(f"receptions:{name}", kwargs=kwargs), REMOTE_ADDR="10.1.2.3").status_code == 200
    events = AuditEvent.objects.filter(action__endswith="export") | AuditEvent.objects.filter(
        action="receptions.report_pdf"
    )
    assert sorted(events.values_list("action", "ip")) == [
        ("receptions.idle_stations_export", "10.1.2.3"),
        ("receptions.not_on_duty_export", "10.1.2.3"),
        ("receptions.record_export", "10.1.2.3"),
        ("receptions.report_export", "10.1.2.3"),
        ("receptions.report_pdf", "10.1.2.3"),
    ]
