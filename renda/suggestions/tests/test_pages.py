"""The pages: who reaches which (another region's items answer 404), fixed query counts on lists, statistics."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from renda.suggestions.models import SuggestionRating
from renda.suggestions.workflow import Kind, State
from renda.testing import assert_statuses

from .helpers import add_people, make_suggestion


def test_item_page_reach(world):
    s = make_suggestion(world, State.ASSIGNED)
    url = reverse("suggestions_my:detail", args=[s.pk])
    assert_statuses(
        world,
        url,
        {
            "wuzhong_staff": 200,
            "city_staff": 200,
            "deputy_user": 200,
            "signer": 200,
            "unit_user": 200,
            "co_user": 200,
            "gusu_staff": 404,
            "park_staff": 404,
            "keeper": 404,
            "outsider": 404,
            "anonymous": 302,
        },
    )


def test_back_office_pages_reach(world):
    add_people(world)
    for name in ("inbox", "key_board", "stats"):
        assert_statuses(
            world,
            reverse(f"suggestions:{name}"),
            {"wuzhong_staff": 200, "gusu_staff": 200, "unit_user": 404, "deputy_user": 404, "outsider": 404},
        )
    assert_statuses(
        world,
        reverse("suggestions:unit_inbox"),
        {"unit_user": 200, "co_user": 200, "wuzhong_staff": 404, "deputy_user": 404, "outsider": 404},
    )


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    ("user_name", "url_name"),
    [
        ("wuzhong_staff", "suggestions:inbox"),
        ("unit_user", "suggestions:unit_inbox"),
        ("deputy_user", "suggestions_my:list"),
    ],
)
def test_list_query_counts_do_not_grow_with_rows(world, user_name, url_name):
    add_people(world)
    client = world.client(getattr(world, user_name))
    make_suggestion(world, State.ANSWERED)  # one row in every list of the page (mine, to rate, signed…)
    first, _ = _count_queries(client, reverse(url_name))
    for state in (State.ASSIGNED, State.ANSWERED, State.TRACKING, State.SUBMITTED) * 3:
        make_suggestion(world, state)
    more, response = _count_queries(client, reverse(url_name))
    assert more == first, f"{url_name}: {first} queries with one row, {more} with thirteen"
    assert first <= 12


def test_office_inbox_filters(world):
    key = make_suggestion(world, State.ASSIGNED, title="重点件标题", is_key=True, key_leader="王")
    other = make_suggestion(world, State.SUBMITTED, title="普通件标题")
    client = world.client(world.wuzhong_staff)
    page = client.get(reverse("suggestions:inbox"), {"key": "on"}).content.decode()
    assert key.number in page and other.number not in page
    page = client.get(reverse("suggestions:inbox"), {"status": "submitted"}).content.decode()
    assert other.number in page and key.number not in page
    page = client.get(reverse("suggestions:inbox"), {"q": "普通"}).content.decode()
    assert other.number in page and key.number not in page


def test_statistics_page_and_excel(world):
    add_people(world)
    answered = make_suggestion(world, State.ANSWERED)
    make_suggestion(world, State.TRACKING)
    make_suggestion(world, State.SUBMITTED, kind=Kind.CPPCC)
    SuggestionRating.objects.create(suggestion=answered, user=world.deputy_user, value="satisfied")
    client = world.client(world.wuzhong_staff)
    page = client.get(reverse("suggestions:stats"), {"by": "region"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "木渎镇" in text and "吴中区" in text
    response = client.get(reverse("suggestions:stats"), {"by": "unit", "format": "xlsx", "kind": "congress"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    header, data = rows[0], {row[0]: row for row in rows[1:]}
    unit_row = dict(zip(header, data["吴中区住房和城乡建设局"], strict=True))
    assert unit_row["立案"] == 2 and unit_row["A"] == 1 and unit_row["B"] == 1 and unit_row["满意"] == 1
    assert unit_row["按期答复"] == 2
    # Another district's office counts nothing of 吴中区.
    response = world.client(world.gusu_staff).get(reverse("suggestions:stats"), {"by": "unit", "format": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1:] == []
    assert world.client(world.wuzhong_staff).get(reverse("suggestions:stats"), {"by": "nope"}).status_code == 404


def test_unit_inbox_pages_through_items_due_soonest_first(world, settings):
    from datetime import timedelta

    from django.utils import timezone

    from renda.suggestions.models import UnitTask

    settings.PAGE_SIZE = 3
    items = [make_suggestion(world, State.ASSIGNED) for _ in range(5)]
    done = make_suggestion(world, State.CLOSED)
    now = timezone.now()
    for days, s in zip((5, -1, 3, 9, 1), items, strict=True):
        UnitTask.objects.filter(suggestion=s, role="lead").update(due_at=now + timedelta(days=days))
    client = world.client(world.unit_user)
    page = client.get(reverse("suggestions:unit_inbox"))
    numbers = [s.number for s in (items[1], items[4], items[2])]
    text = page.content.decode()
    assert [text.index(n) for n in numbers] == sorted(text.index(n) for n in numbers)
    assert "已逾期" in text and items[0].number not in text and done.number not in text
    more = page.context["more"]
    text = client.get(reverse("suggestions:unit_inbox") + "?" + more).content.decode()
    assert items[0].number in text and items[3].number in text and items[1].number not in text
    text = client.get(reverse("suggestions:unit_inbox"), {"all": "1"}).content.decode()
    assert done.number in text


def test_back_office_navigation_leads_to_the_inboxes(world):
    add_people(world)
    office = world.client(world.wuzhong_staff).get(reverse("suggestions:stats")).content.decode()
    assert reverse("suggestions:inbox") in office and reverse("suggestions:unit_inbox") not in office
    unit = world.client(world.unit_user).get(reverse("suggestions:unit_inbox")).content.decode()
    assert reverse("suggestions:unit_inbox") in unit and 'href="/staff/suggestions/"' not in unit
    deputy = world.client(world.deputy_user).get("/staff/").content.decode()
    assert reverse("suggestions_my:list") in deputy
