"""Plenary sessions (大会): the office records its regions' sessions; items submitted on their days are marked, and
with submissions between sessions closed they are taken only then."""

import datetime
import json
import threading
from contextlib import nullcontext

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from renda.audit.models import AuditEvent
from renda.suggestions.models import Session, Suggestion
from renda.suggestions.workflow import Kind

from .helpers import add_people
from .test_submit import write


def _record(world, user, **data):
    today = timezone.localdate()
    fields = {
        "region": world.wuzhong.pk,
        "kind": "congress",
        "name": "吴中区第十八届人民代表大会第三次会议",
        "first_day": today - datetime.timedelta(days=1),
        "last_day": today + datetime.timedelta(days=2),
    } | data
    return world.client(user).post(reverse("suggestions:sessions"), fields)


def _submit(world, user):
    return write(world, user, kind=Kind.CONGRESS if user == world.deputy_user else Kind.CPPCC)


def test_the_office_records_a_session_and_items_submitted_then_are_marked(world, settings):
    add_people(world)
    response = _record(world, world.wuzhong_staff, region=world.mudu.pk)
    assert response.status_code == 302
    session = Session.objects.get()
    assert (session.region, session.kind) == (world.mudu, "congress")
    assert AuditEvent.objects.filter(action="suggestion.session_add", actor=world.wuzhong_staff).exists()
    page = world.client(world.wuzhong_staff).get(reverse("suggestions:sessions")).content.decode()
    assert "吴中区第十八届人民代表大会第三次会议" in page

    # The deputy of 木渎镇 submits to 木渎镇's congress, in session today: marked as submitted during the session.
    assert _submit(world, world.deputy_user).status_code == 302
    assert Suggestion.objects.get(author=world.deputy_user).during_session is True

    # With submissions between sessions closed, another region's member (not in session) is refused.
    cppcc = dict(settings.SUGGESTION_PERIODS["cppcc"], between_sessions=False)
    settings.SUGGESTION_PERIODS = {**settings.SUGGESTION_PERIODS, "cppcc": cppcc}
    response = _submit(world, world.member_user)
    assert response.status_code == 400 and "目前不在建议或提案的提交期" in response.content.decode()
    assert not Suggestion.objects.filter(author=world.member_user).exists()
    # …until the committee of the member's region records a session covering today.
    assert _record(world, world.wuzhong_staff, kind="cppcc", name="吴中区政协第十四届第三次会议").status_code == 302
    assert _submit(world, world.member_user).status_code == 302
    assert Suggestion.objects.get(author=world.member_user).during_session is True


def test_refusals_leave_nothing_recorded(world):
    today = timezone.localdate()
    staff = world.wuzhong_staff
    assert _record(world, staff, last_day=today - datetime.timedelta(days=5)).status_code == 400  # ends first
    assert _record(world, staff, name="  ").status_code == 400
    assert _record(world, staff, last_day=today + datetime.timedelta(days=90)).status_code == 400  # far too long
    assert _record(world, staff, region=world.gusu.pk).status_code == 400  # not a choice: another district
    assert _record(world, world.gusu_staff).status_code == 400  # 吴中区 is not 姑苏区 staff's
    assert not Session.objects.exists()
    assert _record(world, staff).status_code == 302
    assert _record(world, staff, name="重叠的会议", first_day=today).status_code == 400  # overlaps the first
    assert Session.objects.count() == 1
    page = _record(world, staff, name="重叠的会议", first_day=today).content.decode()
    assert "重叠" in page  # the form comes back with what was typed


def test_only_the_regions_office_removes_a_session(world):
    assert _record(world, world.wuzhong_staff).status_code == 302
    session = Session.objects.get()
    url = reverse("suggestions:session_remove", args=[session.pk])
    assert world.client(world.gusu_staff).post(url).status_code == 404
    assert world.client(world.deputy_user).post(url).status_code == 404  # no office: the page does not exist
    assert Session.objects.filter(pk=session.pk).exists()
    assert world.client(world.wuzhong_staff).get(url).status_code == 404  # POST only
    assert world.client(world.wuzhong_staff).post(url).status_code == 302
    assert not Session.objects.exists()
    assert AuditEvent.objects.filter(action="suggestion.session_remove").exists()


def test_sessions_through_the_api(world):
    from renda.api.tests.helpers import bearer

    base = "/api/v1/staff/suggestions/sessions"
    today = timezone.localdate()
    data = {
        "region_code": world.wuzhong.code,
        "kind": "cppcc",
        "name": "吴中区政协第十四届第三次会议",
        "first_day": today.isoformat(),
        "last_day": (today + datetime.timedelta(days=3)).isoformat(),
    }
    office, _ = bearer(world.wuzhong_staff)
    response = office.post(base, json.dumps(data), content_type="application/json")
    assert response.status_code == 201, response.content
    session_id = response.json()["id"]
    assert Session.objects.get(pk=session_id).region == world.wuzhong
    # The same call again (a retry) answers with the same session; another overlapping one, or another district's,
    # is refused: 409 with the reason in Chinese, nothing stored.
    again = office.post(base, json.dumps(data), content_type="application/json")
    assert again.status_code == 201 and again.json()["id"] == session_id
    other_name = json.dumps(data | {"name": "另一次会议"})
    overlap = office.post(base, other_name, content_type="application/json")
    assert overlap.status_code == 409 and "重叠" in overlap.json()["message"]
    other, _ = bearer(world.gusu_staff)
    refused = other.post(base, json.dumps(data), content_type="application/json")
    assert refused.status_code == 409 and Session.objects.count() == 1
    assert other.get(base).json() == []
    assert [s["name"] for s in office.get(base).json()] == ["吴中区政协第十四届第三次会议"]
    assert other.post(f"{base}/{session_id}/remove").status_code == 404
    assert office.post(f"{base}/{session_id}/remove").status_code == 204
    assert not Session.objects.exists()


def test_a_retried_post_answers_with_the_session_it_recorded(world):
    assert _record(world, world.wuzhong_staff).status_code == 302
    assert _record(world, world.wuzhong_staff).status_code == 302  # the same form again: no error, no second row
    assert Session.objects.count() == 1
    assert AuditEvent.objects.filter(action="suggestion.session_add").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_offices_recording_overlapping_days_at_once_store_one(world):
    from renda.suggestions.actions import sessions as session_actions
    from renda.suggestions.actions.errors import TransitionError

    today = timezone.localdate()
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    barrier = threading.Barrier(2)
    added, refused, errors = [], [], []

    def add(name):
        try:
            barrier.wait()
            with turns:
                session_actions.add(
                    world.wuzhong_staff,
                    region=world.wuzhong,
                    kind="congress",
                    name=name,
                    first_day=today,
                    last_day=today + datetime.timedelta(days=2),
                )
            added.append(name)
        except TransitionError:
            refused.append(name)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(name,)) for name in ("第三次会议", "第三次全体会议")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert (len(added), len(refused)) == (1, 1)
    assert list(Session.objects.values_list("name", flat=True)) == added
