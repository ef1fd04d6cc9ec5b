"""The rules the table alone cannot say: each refusal is a clear Chinese message and changes nothing."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from renda.audit.models import AuditEvent
from renda.suggestions.models import Contact, Event, Reply, SocialReport, Suggestion, SuggestionRating, UnitTask
from renda.suggestions.workflow import Kind, State

from .helpers import make_suggestion


def act(world, user, s, action, **data):
    return world.client(user).post(reverse("suggestions_my:act", args=[s.pk, action]), data)


def snapshot(s):
    s.refresh_from_db()
    return (
        s.status,
        s.round,
        s.reply_category,
        s.lead_unit_id,
        Event.objects.filter(suggestion=s).count(),
        Reply.objects.filter(suggestion=s).count(),
        SuggestionRating.objects.filter(suggestion=s).count(),
        UnitTask.objects.filter(suggestion=s, is_active=True).count(),
        AuditEvent.objects.count(),
    )


def refused(world, user, s, action, message, **data):
    before = snapshot(s)
    response = act(world, user, s, action, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot(s) == before


def test_unit_cannot_reply_before_the_contact_is_confirmed(world):
    s = make_suggestion(world, State.ASSIGNED)
    Contact.objects.filter(suggestion=s).update(confirmed_at=None, confirmed_by=None)
    refused(world, world.unit_user, s, "reply", "见面沟通", category="A", text="已解决。")
    # The submitter confirms; now the same reply goes through.
    assert act(world, world.deputy_user, s, "confirm_contact").status_code == 302
    assert act(world, world.unit_user, s, "reply", category="A", text="已解决。").status_code == 302
    s.refresh_from_db()
    assert s.status == State.REPLIED and s.replied_on_time is True


def test_rating_twice_is_refused(world):
    s = make_suggestion(world, State.ANSWERED)
    assert act(world, world.deputy_user, s, "rate", rating="satisfied").status_code == 302
    refused(world, world.deputy_user, s, "rate", "您已评价过此答复", rating="dissatisfied")


def test_a_co_unit_cannot_send_the_final_reply(world):
    s = make_suggestion(world, State.ASSIGNED)
    refused(world, world.co_user, s, "reply", "您无权对此件进行该操作", category="A", text="已解决。")


def test_a_unit_cannot_pass_an_item_on_to_another_unit(world):
    s = make_suggestion(world, State.ASSIGNED)
    refused(world, world.unit_user, s, "assign", "您无权对此件进行该操作", lead_unit=world.co_unit.pk)
    s2 = make_suggestion(world, State.RETURNED)
    # Not even once the item is back with the office: only the office reassigns.
    response = act(world, world.unit_user, s2, "assign", lead_unit=world.co_unit.pk)
    assert response.status_code == 404


def test_wrong_unit_return_only_within_the_period(world):
    s = make_suggestion(world, State.ASSIGNED)
    UnitTask.objects.filter(suggestion=s, role="lead").update(return_by=timezone.now() - timedelta(hours=1))
    refused(world, world.unit_user, s, "return", "个工作日", reason="不属于本单位职责")
    UnitTask.objects.filter(suggestion=s, role="lead").update(return_by=timezone.now() + timedelta(days=1))
    refused(world, world.unit_user, s, "return", "请说明", reason="")
    assert act(world, world.unit_user, s, "return", reason="不属于本单位职责").status_code == 302
    s.refresh_from_db()
    assert s.status == State.RETURNED and s.lead_unit_id is None
    # The item leaves the unit's reach; the office reassigns.
    assert world.client(world.unit_user).get(reverse("suggestions_my:detail", args=[s.pk])).status_code == 404
    response = act(world, world.wuzhong_staff, s, "assign", lead_unit=world.co_unit.pk)
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.status == State.ASSIGNED and s.lead_unit == world.co_unit


def test_dissatisfied_sends_it_back_once_then_it_closes(world):
    s = make_suggestion(world, State.ANSWERED)
    assert act(world, world.signer, s, "rate", rating="dissatisfied").status_code == 302
    s.refresh_from_db()
    assert s.status == State.REHANDLING and s.round == 2 and s.reply_due_at > timezone.now()
    # A new round needs a new confirmed contact.
    refused(world, world.unit_user, s, "reply", "见面沟通", category="A", text="再次答复。")
    assert (
        act(
            world,
            world.unit_user,
            s,
            "record_contact",
            method="visit",
            note="上门",
            happened_on=timezone.localdate().isoformat(),
        ).status_code
        == 302
    )
    assert act(world, world.signer, s, "confirm_contact").status_code == 302
    assert act(world, world.unit_user, s, "reply", category="A", text="再次答复。").status_code == 302
    assert act(world, world.wuzhong_staff, s, "accept_reply", category="B").status_code == 302
    s.refresh_from_db()
    assert s.status == State.ANSWERED and s.reply_category == "B"
    assert act(world, world.signer, s, "rate", rating="dissatisfied").status_code == 302
    assert act(world, world.deputy_user, s, "rate", rating="basically").status_code == 302
    s.refresh_from_db()
    # No third round; a B item stays tracked until solved.
    assert s.status == State.TRACKING
    assert act(world, world.unit_user, s, "follow_up", note="年度跟踪：已完成一半").status_code == 302
    assert act(world, world.wuzhong_staff, s, "mark_solved").status_code == 302
    s.refresh_from_db()
    assert s.status == State.CLOSED


def test_the_office_corrects_the_category_and_the_submitter_sees_only_accepted_replies(world):
    s = make_suggestion(world, State.REPLIED)
    page = world.client(world.deputy_user).get(reverse("suggestions_my:detail", args=[s.pk])).content.decode()
    assert "已列入年度计划" not in page
    assert act(world, world.wuzhong_staff, s, "accept_reply", category="C").status_code == 302
    page = world.client(world.deputy_user).get(reverse("suggestions_my:detail", args=[s.pk])).content.decode()
    assert "已列入年度计划" in page
    reply = Reply.objects.get(suggestion=s)
    assert (reply.unit_category, reply.category) == ("A", "C")


def test_not_registered_proposal_becomes_a_social_conditions_report(world):
    congress = make_suggestion(world, State.SUBMITTED)
    refused(
        world, world.wuzhong_staff, congress, "not_register", "社情民意", reason="不宜立案", disposition="social_report"
    )
    cppcc = make_suggestion(world, State.SUBMITTED, kind=Kind.CPPCC)
    response = act(world, world.wuzhong_staff, cppcc, "not_register", reason="反映情况类", disposition="social_report")
    assert response.status_code == 302
    report = SocialReport.objects.get(source=cppcc)
    assert report.member == world.member_wz and report.title == cppcc.title
    page = world.client(world.member_user).get(reverse("suggestions_my:detail", args=[cppcc.pk])).content.decode()
    assert "反映情况类" in page


def test_merged_items_submitters_are_answered_and_rate(world):
    master = make_suggestion(world, State.REGISTERED)
    other = make_suggestion(world, State.SUBMITTED, kind=Kind.CPPCC)
    other.region = world.mudu
    other.save(update_fields=["region"])
    # Only an item of the same kind can absorb it.
    refused(world, world.wuzhong_staff, other, "merge", "同类", merge_into=master.number)
    cppcc_master = make_suggestion(world, State.REGISTERED, kind=Kind.CPPCC)
    assert act(world, world.wuzhong_staff, other, "merge", merge_into=cppcc_master.number).status_code == 302
    other.refresh_from_db()
    assert other.status == State.MERGED and other.merged_into == cppcc_master


def test_every_transition_leaves_an_audit_record_and_messages(world):
    from renda.notifications.models import Message

    s = make_suggestion(world, State.REPLIED)
    before = AuditEvent.objects.count()
    assert act(world, world.wuzhong_staff, s, "accept_reply").status_code == 302
    assert AuditEvent.objects.filter(action="suggestion.accept_reply", object_id=str(s.pk)).count() == 1
    assert AuditEvent.objects.count() == before + 1
    # Both parties (the submitter and the joint signer) are told the reply arrived.
    recipients = set(Message.objects.filter(template="suggestion_update").values_list("user__username", flat=True))
    assert recipients == {"deputy_user", "signer"}


def test_extension_is_bounded_and_moves_the_deadline(world):
    s = make_suggestion(world, State.ASSIGNED)
    refused(world, world.unit_user, s, "request_extension", "1", days=500, reason="情况复杂")
    assert act(world, world.unit_user, s, "request_extension", days=20, reason="情况复杂").status_code == 302
    s.refresh_from_db()
    old_due = s.reply_due_at
    assert act(world, world.wuzhong_staff, s, "grant_extension").status_code == 302
    s.refresh_from_db()
    assert s.status == State.ASSIGNED and s.extension_days == 20 and s.reply_due_at > old_due
    assert s.due_at == s.reply_due_at


def test_key_item_needs_a_leader_and_shows_on_the_board(world):
    s = make_suggestion(world, State.ASSIGNED)
    refused(world, world.wuzhong_staff, s, "set_key", "领导", leader="")
    assert act(world, world.wuzhong_staff, s, "set_key", leader="王副主任").status_code == 302
    page = world.client(world.wuzhong_staff).get(reverse("suggestions:key_board")).content.decode()
    assert "王副主任" in page and s.number in page
    assert "王副主任" not in world.client(world.gusu_staff).get(reverse("suggestions:key_board")).content.decode()


def test_a_merged_items_submitter_is_answered_and_rates_the_item_it_joined(world):
    from renda.accounts.models import Grant, Role, User
    from renda.notifications.models import Message
    from renda.testing import PASSWORD

    master = make_suggestion(world, State.REPLIED)
    other_user = User.objects.create_user(username="deputy_gs_user", password=PASSWORD)
    Grant.objects.create(user=other_user, role=Role.DEPUTY, deputy=world.deputy_gs)
    other = make_suggestion(world, State.SUBMITTED, title="同题建议")
    Suggestion.objects.filter(pk=other.pk).update(author=other_user, status=State.MERGED, merged_into=master)
    # The joined submitter reads the item and its reply once accepted, and rates it from their own login.
    assert world.client(other_user).get(f"/suggestions/{master.pk}/").status_code == 200
    assert act(world, world.wuzhong_staff, master, "accept_reply").status_code == 302
    assert Message.objects.filter(template="suggestion_update", user=other_user).exists()
    assert act(world, other_user, master, "rate", rating="satisfied").status_code == 302
    assert act(world, world.deputy_user, master, "rate", rating="satisfied").status_code == 302
    master.refresh_from_db()
    assert master.status == State.ANSWERED  # the joint signer has not rated yet
    assert act(world, world.signer, master, "rate", rating="basically").status_code == 302
    master.refresh_from_db()
    assert master.status == State.CLOSED


def test_units_hear_of_an_assignment_by_site_message_and_sms(world):
    from renda.notifications.models import Message

    s = make_suggestion(world, State.REGISTERED)
    world.unit_user.phone = "13900001111"
    world.unit_user.save(update_fields=["phone"])
    response = act(
        world, world.wuzhong_staff, s, "assign", lead_unit=world.wuzhong_unit.pk, co_units=[world.co_unit.pk]
    )
    assert response.status_code == 302
    sent = set(Message.objects.filter(template="suggestion_update").values_list("user__username", "channel"))
    assert {("unit_user", "site"), ("unit_user", "sms"), ("co_user", "site")} <= sent
    assert ("co_user", "sms") not in sent  # no phone on that account


def test_submitters_get_an_sms_for_what_waits_on_them_with_a_date_only(world):
    """A reply to rate comes by SMS too (the deputy has a phone); a registration is a site message only. The SMS
    carries the item's kind, number and what happened (sms_templates variables), never the link."""
    from renda.notifications.aliyun_sms import template_params
    from renda.notifications.models import Channel, Message

    world.deputy_user.phone = "13900002222"
    world.deputy_user.save(update_fields=["phone"])
    submitted = make_suggestion(world, State.SUBMITTED)
    assert act(world, world.wuzhong_staff, submitted, "register").status_code == 302
    mine = Message.objects.filter(user=world.deputy_user, template="suggestion_update")
    assert set(mine.values_list("channel", flat=True)) == {Channel.SITE}

    replied = make_suggestion(world, State.REPLIED)
    assert act(world, world.wuzhong_staff, replied, "accept_reply").status_code == 302
    sms = Message.objects.get(user=world.deputy_user, channel=Channel.SMS, context__suggestion_id=replied.pk)
    assert sms.phone == "13900002222"
    values = template_params(sms.context)
    assert values["number"] == replied.number and values["kind"] == "代表建议"
    assert "评价" in values["what"] and "url" not in values
