"""The tracking page and rating: the public timeline hides staff names, internal notes and contact details."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from renda.opinions import actions
from renda.opinions.models import Event, Opinion
from renda.opinions.workflow import Action, Actor, Rating, RefusalReason, State, progress
from renda.testing import assert_statuses

from .public_helpers import NAME, PHONE, close, jpeg_with_exif, submit


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def english(world, user=None):
    client = world.client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(world, opinion, **params):
    response = english(world).get(f"/t/{opinion.tracking_code}/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_tracking_page_is_public_by_code(world):
    opinion = submit(world)
    grid = {"anonymous": 200, "outsider": 200, "wuzhong_staff": 200, "gusu_staff": 200}
    assert_statuses(world, f"/t/{opinion.tracking_code}/", grid)
    assert_statuses(world, f"/t/{opinion.tracking_code.lower()}/", {"anonymous": 200})
    assert_statuses(world, "/t/ZZZZZZZZZZ/", {"anonymous": 404, "wuzhong_staff": 404})
    response = english(world).get(f"/t/{opinion.tracking_code}/")
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"


def test_lookup_form(world):
    opinion = submit(world)
    client = english(world)
    assert client.get("/t/").status_code == 200
    code = opinion.tracking_code
    response = client.get("/t/", {"code": f" {code[:5].lower()} - {code[5:]} "})  # as read aloud and typed back
    assert response.status_code == 302 and response["Location"] == f"/t/{code}/"
    missing = client.get("/t/", {"code": "ZZZZZZZZZZ"})
    assert missing.status_code == 404 and 'id="not-found"' in missing.content.decode()
    assert "No opinion has this tracking code" in missing.content.decode()
    assert client.get("/t/", {"code": ""}).status_code == 400


def test_page_shows_the_opinion(world):
    opinion = actions.submit(
        station=world.mudu_home,
        category=submit(world).category,
        text="桥下积水严重",
        place="金山路桥",
        name=NAME,
        phone=PHONE,
        consent=True,
        photos=[jpeg_with_exif()],
    ).opinion
    html = page(world, opinion)
    assert "木渎镇代表之家" in html and "交通出行" in html and "桥下积水严重" in html and "金山路桥" in html
    assert opinion.created.astimezone().strftime("%Y-%m-%d") in html
    photo_url = reverse("opinions_public:photo", args=[opinion.tracking_code, opinion.photos.get().pk])
    assert 'id="opinion-photos"' in html and f'src="{photo_url}"' in html and "/media/" not in html
    assert "Received, waiting to be accepted" in html and 'id="due"' in html
    assert NAME not in html and PHONE not in html and PHONE[-4:] not in html  # not even masked


def test_timeline_names_units_and_deputies_never_staff(world):
    opinion = submit(world, name=NAME, phone=PHONE, consent=True)
    actions.perform(world.wuzhong_staff, opinion.pk, Action.ACCEPT, internal_note="先核实是否重复-内部")
    actions.perform(world.wuzhong_staff, opinion.pk, Action.NOTE, internal_note="领导关注-内部备注")
    actions.perform(
        world.wuzhong_staff,
        opinion.pk,
        Action.FORWARD,
        unit=world.wuzhong_unit,
        note="请住建局研究",
        internal_note="催办电话已打-内部",
    )
    actions.perform(
        world.unit_user, opinion.pk, Action.UNIT_REPLY, note="已规划新增车位", internal_note="预算未定-内部"
    )
    actions.perform(world.deputy_user, opinion.pk, Action.REPLY, note="住建局将在下月划线")
    world.wuzhong_staff.display_name = "王秘书"
    world.wuzhong_staff.save(update_fields=["display_name"])

    html = page(world, opinion)
    timeline = html[html.index('id="timeline"') :]
    for secret in ("内部", "wuzhong_staff", "王秘书", "unit_user", "deputy_user", NAME, PHONE, PHONE[-4:]):
        assert secret not in html, secret
    assert "People&#x27;s congress staff" in timeline
    assert "吴中区住房和城乡建设局" in timeline and "Forwarded to 吴中区住房和城乡建设局" in timeline
    assert "吴测试" in timeline  # the deputy is named
    for public_note in ("请住建局研究", "已规划新增车位", "住建局将在下月划线"):
        assert public_note in timeline
    steps = timeline.count('<li class="step ')
    assert steps == 5  # submit, accept, forward, unit reply, reply: the internal note is no step
    assert "Answered: please tell us whether you are satisfied" in html and 'id="rating-form"' in html


def test_refused_and_merged_opinions_explain_themselves(world):
    refused = submit(world)
    actions.perform(world.keeper, refused.pk, Action.REFUSE, reason=RefusalReason.IN_LITIGATION, note="请通过法院解决")
    html = page(world, refused)
    assert 'id="refusal-reason"' in html and "请通过法院解决" in html and 'id="rating-form"' not in html

    target, duplicate = submit(world), submit(world, "小区停车难")
    actions.perform(world.keeper, duplicate.pk, Action.MERGE, merge_into=target)
    html = page(world, duplicate)
    assert f'href="/t/{target.tracking_code}/"' in html  # the submitter can follow the opinion that answers them
    # The other opinion's page counts one more person, without revealing the merged opinion's code.
    html = page(world, target)
    assert duplicate.tracking_code not in html and "1 other person raised the same matter" in html


def test_rating_satisfied_makes_it_final(world):
    opinion = close(world, submit(world))
    client = english(world)
    response = client.post(f"/t/{opinion.tracking_code}/rate/", {"rating": Rating.SATISFIED, "comment": "很及时"})
    assert response.status_code == 302 and response["Location"] == f"/t/{opinion.tracking_code}/?rated=1#rating"
    opinion.refresh_from_db()
    assert opinion.status == State.FINAL and opinion.rating == Rating.SATISFIED
    html = page(world, opinion, rated="1")
    assert 'id="rating-result"' in html and "satisfied" in html and 'id="rating-form"' not in html
    assert "很及时" in html

    again = client.post(f"/t/{opinion.tracking_code}/rate/", {"rating": Rating.DISSATISFIED})
    assert again.status_code == 400 and "cannot be rated now" in again.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == State.FINAL and opinion.rating == Rating.SATISFIED
    assert opinion.events.filter(action=Action.RATE).count() == 1


def test_rating_dissatisfied_reopens_once(world):
    opinion = close(world, submit(world))
    url = f"/t/{opinion.tracking_code}/rate/"
    assert world.client(None).post(url, {"rating": Rating.DISSATISFIED}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == State.REOPENED and opinion.reopen_count == 1
    html = page(world, opinion)
    assert "Reopened to be handled again" in html and 'id="rating-form"' not in html
    assert "the matter is handled again" in html

    actions.perform(world.keeper, opinion.pk, Action.HANDLE)
    actions.perform(world.keeper, opinion.pk, Action.REPLY, note="已再次处理")
    assert world.client(None).post(url, {"rating": Rating.DISSATISFIED}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == State.FINAL and opinion.reopen_count == 1


def test_rating_before_closure_or_without_a_choice_is_refused(world):
    opinion = submit(world)
    url = f"/t/{opinion.tracking_code}/rate/"
    response = english(world).post(url, {"rating": Rating.SATISFIED})
    assert response.status_code == 400 and 'id="rating-errors"' in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == State.SUBMITTED and opinion.rating == ""
    close(world, opinion)
    for bad in ({}, {"rating": "excellent"}):
        assert english(world).post(url, bad).status_code == 400
    opinion.refresh_from_db()
    assert opinion.status == State.CLOSED and not opinion.events.filter(action=Action.RATE).exists()
    assert world.client(None).get(url).status_code == 405
    assert world.client(None).post("/t/ZZZZZZZZZZ/rate/", {"rating": Rating.SATISFIED}).status_code == 404


def test_query_count_does_not_grow_with_the_timeline(world, django_assert_num_queries):
    opinion = close(world, submit(world, photos=[jpeg_with_exif()]))
    client = world.client(None)
    # the per-IP look-up count (one atomic upsert in the shared counter table), opinion with its relations, photos,
    # events with units
    with django_assert_num_queries(4):
        client.get(f"/t/{opinion.tracking_code}/")
    for i in range(30):
        Event.objects.create(
            opinion=opinion,
            action=Action.SUPPORT if i % 2 else Action.FORWARD,
            actor_role=Actor.CONSTITUENT if i % 2 else Actor.STAFF,
            unit=world.wuzhong_unit,
            note=f"第{i}步",
        )
    with django_assert_num_queries(4):
        response = client.get(f"/t/{opinion.tracking_code}/")
    assert response.content.decode().count('<li class="step ') == 4 + 30
    assert Opinion.objects.count() == 1


# 办件进度: the step bar above the timeline ------------------------------------------------------------------------


def step_bar(world, opinion) -> list[tuple[str, str]]:
    """[(step, status)] as the page shows them, in order."""
    body = page(world, opinion)
    assert body.index('id="progress-bar"') < body.index('id="timeline"')  # above the timeline
    bar = body[body.index('id="progress-bar"') : body.index("</ol>", body.index('id="progress-bar"'))]
    return re.findall(r'class="progress-step (\w+)" data-step="(\w+)"', bar)


def test_step_bar_follows_the_workflow(world):
    opinion = submit(world)
    assert step_bar(world, opinion) == [
        ("done", "submit"),
        ("current", "accept"),
        ("todo", "handle"),
        ("todo", "answer"),
        ("todo", "rate"),
    ]
    actions.perform(world.keeper, opinion.pk, Action.ACCEPT)
    assert [status for status, _ in step_bar(world, opinion)] == ["done", "done", "current", "todo", "todo"]
    actions.perform(world.keeper, opinion.pk, Action.HANDLE)
    actions.perform(world.keeper, opinion.pk, Action.REPLY, note="已联系物业")
    assert [status for status, _ in step_bar(world, opinion)] == ["done", "done", "done", "done", "current"]
    response = english(world).post(
        reverse("opinions_public:rate", args=[opinion.tracking_code]), {"rating": "satisfied"}
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == State.FINAL
    assert [status for status, _ in step_bar(world, opinion)] == ["done"] * 5


def test_step_bar_stops_where_a_refusal_ended_it(world):
    opinion = submit(world)
    actions.perform(world.keeper, opinion.pk, Action.REFUSE, reason=RefusalReason.NO_CONTENT)
    opinion.refresh_from_db()
    assert opinion.status == State.REFUSED
    assert [status for status, _ in step_bar(world, opinion)] == ["done", "stopped", "todo", "todo", "todo"]


def test_step_bar_in_chinese(world):
    opinion = submit(world)
    body = world.client(None).get(f"/t/{opinion.tracking_code}/").content.decode()
    assert "办件进度" in body
    for label in ("提交", "受理", "办理", "答复", "评价"):
        assert f">{label}</li>" in body


@pytest.mark.parametrize("state", State.values)
def test_every_state_has_a_step_bar(state):
    bar = progress(state)
    assert [item["step"] for item in bar] == ["submit", "accept", "handle", "answer", "rate"]
    statuses = [item["status"] for item in bar]
    assert statuses[0] == "done"  # whatever happened, it was submitted
    assert sum(s in ("current", "stopped") for s in statuses) == (0 if state == State.FINAL else 1)
    # Done steps come first, then at most one current or stopped step, then steps still to come.
    order = {"done": 0, "current": 1, "stopped": 1, "todo": 2}
    assert [order[s] for s in statuses] == sorted(order[s] for s in statuses)
