"""The deadline job with an explicit `now` walked across the 2026 National Day week (1–7 Oct holidays, Sat 10 Oct a
调休 working day): periods in working days, reminders before, escalation after, lapsing, closing, disclosure queue."""

from datetime import datetime, timedelta

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from renda.notifications.models import Message
from renda.suggestions import deadlines, reminders
from renda.suggestions.models import Disclosure, Signature, Suggestion
from renda.suggestions.workflow import State
from renda.workdays.calendar import CHINA

from .helpers import add_people, make_suggestion


def at(month, day, hour=9):
    return datetime(2026, month, day, hour, 0, tzinfo=CHINA)


def test_periods_count_working_days_over_national_day(db):
    # Assigned on Wed 30 Sep: 7 working days to return a wrong item are 8, 9, 10 (调休 Sat), 12, 13, 14, 15 Oct.
    assert deadlines.period_end("congress", "return", at(9, 30)) == datetime(2026, 10, 15, 23, 59, 59, tzinfo=CHINA)


@override_settings(
    SUGGESTION_PERIODS={
        "congress": {"remind": 1, "disclose": 2, "follow_up": 250, "open": True},
        "cppcc": {"remind": 1, "disclose": 2, "follow_up": 250, "open": True},
    }
)
def test_reminded_before_then_escalated_after_once(world):
    add_people(world)
    s = make_suggestion(world, State.ASSIGNED)
    Suggestion.objects.filter(pk=s.pk).update(due_at=datetime(2026, 10, 9, 23, 59, 59, tzinfo=CHINA))
    # During the holiday, 1 working day before the 9th is the 8th: nothing yet on 5 Oct.
    assert reminders.run(at(10, 5)).reminded == 0
    summary = reminders.run(at(10, 8))
    assert summary.reminded == 1
    units = set(Message.objects.filter(template="suggestion_reminder").values_list("user__username", flat=True))
    assert units == {"unit_user"}
    assert reminders.run(at(10, 8, 15)).reminded == 0  # idempotent
    summary = reminders.run(at(10, 10))
    assert summary.escalated == 1
    told = set(
        Message.objects.filter(template="suggestion_reminder", context__overdue=True).values_list(
            "user__username", flat=True
        )
    )
    assert {"wuzhong_staff", "unit_user"} <= told
    before = Message.objects.count()
    assert reminders.run(at(10, 12)).escalated == 0
    # Co-units' overdue views were told once, in the first overdue run; nothing new now.
    assert Message.objects.count() == before


def test_unsigned_invitations_lapse_at_the_deadline(world):
    s = make_suggestion(world, State.SIGNING)
    Suggestion.objects.filter(pk=s.pk).update(sign_deadline=at(10, 9))
    assert reminders.run(at(10, 8)).lapsed == 0
    assert reminders.run(at(10, 10)).lapsed == 1
    s.refresh_from_db()
    assert s.status == State.SUBMITTED
    assert Signature.objects.get(suggestion=s).status == Signature.Status.LAPSED
    assert reminders.run(at(10, 11)).lapsed == 0


def test_rating_period_over_closes_b_items_into_tracking(world):
    s = make_suggestion(world, State.ANSWERED)
    Suggestion.objects.filter(pk=s.pk).update(due_at=at(10, 9), reply_category="B")
    assert reminders.run(at(10, 12)).closed == 1
    s.refresh_from_db()
    assert s.status == State.TRACKING


def test_answered_items_are_queued_for_the_disclosure_review_and_published_redacted(world):
    s = make_suggestion(world, State.CLOSED)
    Suggestion.objects.filter(pk=s.pk).update(
        answered_at=at(9, 1), text="请联系我 13912345678 商量。", reply_category="A"
    )
    call_command("suggestion_deadlines")
    s.refresh_from_db()
    assert s.disclosure == Disclosure.REVIEW
    public = world.client(None)
    assert s.number not in public.get(reverse("suggestions_my:public_search")).content.decode()
    client = world.client(world.wuzhong_staff)
    page = client.get(reverse("suggestions:disclosure_review", args=[s.pk])).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    assert world.client(world.gusu_staff).get(reverse("suggestions:disclosure_review", args=[s.pk])).status_code == 404
    response = client.post(
        reverse("suggestions:disclosure_review", args=[s.pk]),
        {"decision": "publish", "title": s.title, "text": "请联系我 139****5678 商量。", "reply": ""},
    )
    assert response.status_code == 400  # the reply text is required
    response = client.post(
        reverse("suggestions:disclosure_review", args=[s.pk]),
        {"decision": "publish", "title": s.title, "text": "请联系我商量。", "reply": "已解决。"},
    )
    assert response.status_code == 302
    page = public.get(reverse("suggestions_my:public_search"), {"year": s.year}).content.decode()
    assert s.number in page
    detail = public.get(reverse("suggestions_my:public_detail", args=[s.pk])).content.decode()
    assert "已解决" in detail and "1391234" not in detail
    assert s.number not in public.get(reverse("suggestions_my:public_search"), {"year": s.year - 1}).content.decode()


def test_command_is_idempotent(world, capsys):
    make_suggestion(world, State.SUBMITTED, due_at=datetime.now(CHINA) - timedelta(days=1))
    call_command("suggestion_deadlines")
    first = Message.objects.count()
    call_command("suggestion_deadlines")
    assert Message.objects.count() == first
    assert "escalated 0" in capsys.readouterr().out.splitlines()[-1]


def test_tracked_items_ask_the_lead_unit_for_a_yearly_report(world):
    s = make_suggestion(world, State.TRACKING)
    Suggestion.objects.filter(pk=s.pk).update(answered_at=at(1, 5))
    assert reminders.run(at(10, 12)).follow_ups == 0  # not a year yet
    summary = reminders.run(datetime(2027, 2, 1, 9, tzinfo=CHINA))
    assert summary.follow_ups == 1
    asked = Message.objects.filter(template="suggestion_reminder", context__step="年度跟踪报告")
    assert set(asked.values_list("user__username", flat=True)) == {"unit_user"}
    assert reminders.run(datetime(2027, 2, 2, 9, tzinfo=CHINA)).follow_ups == 0
