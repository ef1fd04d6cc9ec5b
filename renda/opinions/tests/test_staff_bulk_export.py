"""Bulk actions on the inbox and the Excel export of the filtered list."""

import datetime
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from renda.opinions.models import Event
from renda.opinions.workflow import Action, State
from renda.testing import assert_statuses

from .staff_helpers import make_opinion

BULK = reverse("opinions:bulk")
EXPORT = reverse("opinions:export")


def sheet_rows(response) -> list[list]:
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    return [["" if cell is None else cell for cell in row] for row in workbook.active.iter_rows(values_only=True)]


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_bulk_accept_reports_successes_and_failures(world):
    first = make_opinion(world, State.SUBMITTED)
    second = make_opinion(world, State.SUBMITTED)
    already = make_opinion(world, State.FINAL)
    foreign = make_opinion(world, State.SUBMITTED, station=world.canglang_home)
    data = {"ids": [first.pk, second.pk, already.pk, foreign.pk, 999999], "action": Action.ACCEPT}
    response = world.client(world.wuzhong_staff).post(BULK, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("opinions:list")
    lines = messages_of(response)
    assert first.tracking_code in lines[0] and second.tracking_code in lines[0]
    assert len(lines) == 4  # one success line, three failures
    assert any(already.tracking_code in line for line in lines[1:])
    # Out of scope reads exactly like missing: by id, never by its tracking code.
    assert not any(foreign.tracking_code in line for line in lines)
    for opinion, state in ((first, State.ACCEPTED), (second, State.ACCEPTED), (already, State.FINAL)):
        opinion.refresh_from_db()
        assert opinion.status == state
    foreign.refresh_from_db()
    assert foreign.status == State.SUBMITTED and foreign.events.count() == 1


def test_bulk_forward_to_one_unit(world):
    accepted = [make_opinion(world, State.ACCEPTED) for _i in range(3)]
    submitted = make_opinion(world, State.SUBMITTED)
    ids = [o.pk for o in accepted] + [submitted.pk]
    data = {"ids": ids, "action": Action.FORWARD, "unit": world.wuzhong_unit.pk, "note": "请限期办理", "next": "/x"}
    client = world.client(world.wuzhong_staff)
    response = client.post(BULK, {**data, "next": reverse("opinions:list") + "?status=accepted"})
    assert response.status_code == 302 and response["Location"] == reverse("opinions:list") + "?status=accepted"
    for opinion in accepted:
        opinion.refresh_from_db()
        assert opinion.status == State.FORWARDED and opinion.unit == world.wuzhong_unit
        assert opinion.events.get(action=Action.FORWARD).note == "请限期办理"
    submitted.refresh_from_db()
    assert submitted.status == State.SUBMITTED
    # A unit outside the user's scope, or none at all, is refused before anything is done.
    again = make_opinion(world, State.ACCEPTED)
    for unit in (world.gusu_unit.pk, ""):
        response = client.post(BULK, {"ids": [again.pk], "action": Action.FORWARD, "unit": unit}, follow=True)
        assert messages_of(response)
    again.refresh_from_db()
    assert again.status == State.ACCEPTED
    # An outside "next" is not followed.
    response = client.post(BULK, {"ids": [again.pk], "action": Action.ACCEPT, "next": "https://evil.example/"})
    assert response["Location"] == reverse("opinions:list")


def test_bulk_grid(world):
    opinion = make_opinion(world, State.SUBMITTED)
    data = {"ids": [opinion.pk], "action": Action.ACCEPT}
    assert_statuses(
        world,
        BULK,
        {"anonymous": 302, "outsider": 404, "sysadmin": 404, "unit_user": 404, "gusu_staff": 302},
        method="post",
        data=data,
    )
    opinion.refresh_from_db()
    assert opinion.status == State.SUBMITTED
    assert world.client(world.keeper).post(BULK, data).status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == State.ACCEPTED and Event.objects.filter(opinion=opinion, actor=world.keeper).exists()


def test_export_grid_and_filtered_rows_with_masked_phones(world):
    assert_statuses(
        world,
        EXPORT,
        {"anonymous": 302, "outsider": 404, "sysadmin": 404, "wuzhong_staff": 200, "gusu_staff": 200, "keeper": 200},
    )
    parking = make_opinion(world, State.FORWARDED, text="小区停车难", submitter_phone="13812345678", consent=True)
    make_opinion(world, State.SUBMITTED, text="路灯坏了")
    make_opinion(world, State.SUBMITTED, text="停车收费", station=world.canglang_home)
    response = world.client(world.wuzhong_staff).get(EXPORT, {"q": "停车"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response)
    assert len(rows) == 2
    assert rows[1][0] == parking.tracking_code
    assert parking.tracking_code in rows[1] and "吴中区住房和城乡建设局" in rows[1] and "小区停车难" in rows[1]
    assert "138****5678" in rows[1] and not any("13812345678" in str(cell) for cell in rows[1])
    # The submission time is a real date-time in Beijing time (to the second; Excel keeps milliseconds at most).
    created = timezone.localtime(parking.created).replace(tzinfo=None)
    assert isinstance(rows[1][1], datetime.datetime) and abs(rows[1][1] - created) < datetime.timedelta(seconds=1)


def test_export_is_capped_with_a_message(world, monkeypatch):
    from renda.opinions import exports

    monkeypatch.setattr(exports, "EXPORT_CAP", 2)
    made = [make_opinion(world) for _i in range(3)]
    rows = sheet_rows(world.client(world.wuzhong_staff).get(EXPORT))
    assert len(rows) == 4  # header, two rows, the message
    assert {rows[1][0], rows[2][0]} == {made[2].tracking_code, made[1].tracking_code}
    assert "2" in rows[3][0] and not any(rows[3][1:])
