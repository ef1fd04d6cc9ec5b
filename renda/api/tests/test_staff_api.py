"""Staff endpoints with a bearer token: scoped exactly like the web (outside scope = 404), actions through perform."""

import pytest
from django.test import Client

from renda.api.models import ApiToken
from renda.opinions import search
from renda.opinions.models import Event
from renda.opinions.workflow import Action, State

from .helpers import bearer, opinion_at


def test_no_token_bad_token_and_revoked_token_are_401(world):
    anonymous = Client().get("/api/v1/staff/opinions")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthorized"
    assert "令牌" in anonymous.json()["message"]  # messages are in Chinese by default
    forged = Client(HTTP_AUTHORIZATION="Bearer rd_not-a-real-token").get("/api/v1/staff/opinions")
    assert forged.status_code == 401
    client, _secret = bearer(world.wuzhong_staff)
    assert client.get("/api/v1/staff/opinions").status_code == 200
    token = ApiToken.objects.get(user=world.wuzhong_staff)
    assert token.last_used is not None
    token.revoked = token.last_used
    token.save()
    assert client.get("/api/v1/staff/opinions").status_code == 401


def test_requests_per_token_are_limited(world, settings):
    settings.LIMIT_API_TOKEN_MINUTE = 3
    client, _secret = bearer(world.wuzhong_staff)
    assert [client.get("/api/v1/staff/opinions").status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = client.get("/api/v1/staff/opinions")
    assert limited.json()["code"] == "rate_limited" and limited.json()["message"]
    other, _secret = bearer(world.wuzhong_staff)  # the same person's other token counts on its own
    assert other.get("/api/v1/staff/opinions").status_code == 200


def test_session_alone_is_not_enough(world):
    """The staff API authenticates by token only: a browser session (and its CSRF exposure) does not count."""
    assert world.client(world.wuzhong_staff).get("/api/v1/staff/opinions").status_code == 401


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("city_staff", True),
        ("wuzhong_staff", True),
        ("keeper", True),
        ("deputy_user", True),
        ("gusu_staff", False),
        ("resort_staff", False),
    ],
)
def test_scope_grid_on_list_and_detail(world, name, sees):
    opinion = opinion_at(world.mudu_home)
    client, _secret = bearer(getattr(world, name))
    listed = client.get("/api/v1/staff/opinions?status=").json()["items"]
    assert ([row["id"] for row in listed] == [opinion.pk]) is sees
    detail = client.get(f"/api/v1/staff/opinions/{opinion.pk}")
    assert detail.status_code == (200 if sees else 404)
    if not sees:
        # Outside scope looks exactly like missing.
        assert detail.json() == client.get("/api/v1/staff/opinions/999999").json()


def test_outsider_has_no_inbox(world):
    client, _secret = bearer(world.outsider)
    assert client.get("/api/v1/staff/opinions").status_code == 404


def test_filters_and_cursor_pagination(world, django_assert_max_num_queries):
    first = opinion_at(world.mudu_home, "小区停车难，晚上没有车位", "a")
    second = opinion_at(world.weiting_station, "路灯坏了很久没人修", "b")
    third = opinion_at(world.mudu_home, "菜市场门口道路拥堵", "c")
    client, _secret = bearer(world.wuzhong_staff)
    page = client.get("/api/v1/staff/opinions?limit=2").json()
    assert [row["id"] for row in page["items"]] == [third.pk, second.pk] and page["next_cursor"]
    rest = client.get(f"/api/v1/staff/opinions?limit=2&cursor={page['next_cursor']}").json()
    assert [row["id"] for row in rest["items"]] == [first.pk] and rest["next_cursor"] is None
    by_station = client.get(f"/api/v1/staff/opinions?station={world.weiting_station.public_code}").json()
    assert [row["id"] for row in by_station["items"]] == [second.pk]
    by_text = client.get("/api/v1/staff/opinions", {"q": "停车"}).json()
    assert [row["id"] for row in by_text["items"]] == [first.pk]
    by_status = client.get("/api/v1/staff/opinions?status=accepted").json()
    assert by_status["items"] == []
    bad_status = client.get("/api/v1/staff/opinions?status=nonsense")
    assert bad_status.status_code == 422 and "status" in bad_status.json()["details"]
    bad_cursor = client.get("/api/v1/staff/opinions?cursor=%%%")
    assert bad_cursor.status_code == 400 and bad_cursor.json()["code"] == "bad_cursor"
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/staff/opinions")
    count = len(few.captured_queries)  # read now: every request resets the connection's query log
    assert count > 0
    for n in range(10):
        opinion_at(world.mudu_home, f"第{n}条意见内容很长", f"more{n}")
    with django_assert_max_num_queries(count):
        many = client.get("/api/v1/staff/opinions").json()
    assert len(many["items"]) == 13


def test_search_pages_are_the_webs_through_the_newest_window(world, settings, monkeypatch):
    """The API reads its inbox as the web does (renda/opinions/views.py inbox_page): a search looks among the newest
    opinions first, and the pages are the full-text index's, in the same order."""
    for n in range(9):
        opinion_at(world.mudu_home, "希望加装电梯" if n % 3 else "路灯不亮", f"lift{n}")
    client, _secret = bearer(world.wuzhong_staff)
    windows = []
    newest = search._newest
    monkeypatch.setattr(search, "_newest", lambda opinions, window: windows.append(window) or newest(opinions, window))

    def pages(query):
        seen, cursor = [], ""
        while True:
            page = client.get("/api/v1/staff/opinions", {"q": query, "limit": 2, "cursor": cursor, "status": ""})
            seen.append([row["id"] for row in page.json()["items"]])
            cursor = page.json()["next_cursor"]
            if not cursor:
                return seen

    for query in ("加装电梯", "路灯", "没有这个词"):
        settings.SEARCH_WINDOW = 3
        windowed = pages(query)
        settings.SEARCH_WINDOW = 0
        assert windowed == pages(query), query
    assert sum(map(len, windowed)) == 0 and sum(map(len, pages("加装电梯"))) == 6
    windows.clear()
    settings.SEARCH_WINDOW = 0
    pages("加装电梯")
    assert windows == []  # the index alone
    settings.SEARCH_WINDOW = 3
    pages("加装电梯")
    assert 3 in windows  # the first window was read


def test_detail_has_internal_notes_for_staff_and_masks_the_phone(world):
    opinion = opinion_at(world.mudu_home)
    opinion.submitter_name, opinion.submitter_phone, opinion.consent = "张三", "13800138000", True
    opinion.save()
    client, _secret = bearer(world.wuzhong_staff)
    response = client.post(
        f"/api/v1/staff/opinions/{opinion.pk}/actions/accept",
        {"internal_note": "内部：先核实", "state": "submitted"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == State.ACCEPTED and body["timeline"][-1]["internal_note"] == "内部：先核实"
    assert "forward" in body["actions"]
    assert body["submitter_name"] == "张三" and body["submitter_phone"] != "13800138000"
    assert "13800138000" not in response.content.decode() and body["submitter_phone"].endswith("8000")
    event = Event.objects.get(opinion=opinion, action=Action.ACCEPT)
    assert event.actor == world.wuzhong_staff and event.internal_note == "内部：先核实"


def test_full_loop_through_the_api(world):
    opinion = opinion_at(world.mudu_home)
    staff, _s = bearer(world.wuzhong_staff)
    unit, _s = bearer(world.unit_user)
    url = f"/api/v1/staff/opinions/{opinion.pk}/actions"
    assert staff.post(f"{url}/accept", {}, content_type="application/json").status_code == 200
    forwarded = staff.post(
        f"{url}/forward", {"unit": world.wuzhong_unit.pk, "note": "请处理"}, content_type="application/json"
    )
    assert forwarded.status_code == 200 and forwarded.json()["unit"] == world.wuzhong_unit.name
    replied = unit.post(f"{url}/unit_reply", {"note": "已处理"}, content_type="application/json")
    assert replied.status_code == 200 and replied.json()["status"] == State.UNIT_REPLIED
    opinion.refresh_from_db()
    assert opinion.status == State.UNIT_REPLIED and opinion.unit == world.wuzhong_unit


def test_action_errors(world):
    opinion = opinion_at(world.mudu_home)
    staff, _s = bearer(world.wuzhong_staff)
    url = f"/api/v1/staff/opinions/{opinion.pk}/actions"
    missing_reason = staff.post(f"{url}/refuse", {}, content_type="application/json")
    assert missing_reason.status_code == 422 and "reason" in missing_reason.json()["details"]
    stale = staff.post(f"{url}/accept", {"state": "accepted"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    wrong_state = staff.post(f"{url}/reply", {"note": "答复"}, content_type="application/json")
    assert wrong_state.status_code == 409 and wrong_state.json()["code"] == "transition_not_allowed"
    assert wrong_state.json()["message"]
    unknown = staff.post(f"{url}/explode", {}, content_type="application/json")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_action"
    other, _s = bearer(world.gusu_staff)
    hidden = other.post(f"{url}/accept", {}, content_type="application/json")
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    keeper_only, _s = bearer(world.unit_user)  # the unit sees nothing before the opinion is forwarded to it
    assert keeper_only.post(f"{url}/accept", {}, content_type="application/json").status_code == 404
    opinion.refresh_from_db()
    assert opinion.status == State.SUBMITTED and opinion.events.count() == 1
