"""A constituent who writes inside WeChat is told through WeChat: silent OAuth before the form, the openid stored
with the opinion (with consent, encrypted, de-identified with the phone), template messages queued by the routing
and sent through the real client to the local fake WeChat server."""

import json
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.utils import timezone

from renda.notifications import actions as outbox
from renda.notifications.models import Channel, Message, MessageStatus
from renda.notifications.texts import render_body
from renda.opinions import actions
from renda.opinions.models import Category, Opinion
from renda.opinions.privacy import deidentify_opinions
from renda.opinions.workflow import Action
from renda.wechat import client as wechat_client
from renda.wechat.client import WeChatClient
from renda.wechat.views import SESSION_OPENID

from .conftest import FakeWeChat

FORM = "/s/MUDU01/opinion/"
IN_WECHAT = {"User-Agent": "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.50 NetType/WIFI"}
PHONE_BROWSER = {"User-Agent": "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1"}
OPENID = "oFromServer"  # what the fake server answers for the code "good"
NAME, PHONE, TEXT = "张三丰", "13812345678", "路口红绿灯时间太短，行人过不去"


@pytest.fixture
def real_client(monkeypatch, api_server):
    """The views and the sender use the real client, talking to the fake server."""
    monkeypatch.setattr(wechat_client, "get_client", lambda: WeChatClient(api_base=api_server))
    return api_server


def _sign_in_through_wechat(client, code="good"):
    """Open the form inside WeChat and play WeChat's part of snsapi_base; returns the final response."""
    response = client.get(FORM, headers=IN_WECHAT)
    assert (
        response.status_code == 302 and response["Location"] == f"/wechat/oauth/start?next={FORM.replace('/', '%2F')}"
    )
    assert "no-store" in response["Cache-Control"]
    response = client.get(response["Location"], headers=IN_WECHAT)
    authorize = urlparse(response["Location"])
    assert authorize.netloc == "open.weixin.qq.com" and parse_qs(authorize.query)["scope"] == ["snsapi_base"]
    state = parse_qs(authorize.query)["state"][0]
    response = client.get("/wechat/oauth/callback", {"code": code, "state": state}, headers=IN_WECHAT)
    assert response.status_code == 302 and response["Location"] == FORM
    return client.get(FORM, headers=IN_WECHAT)


def _post_form(client, **contact):
    category = Category.objects.get(name="交通出行")
    data = {"category": category.pk, "text": TEXT, "place": "", "name": "", "phone": "", "client_token": uuid.uuid4()}
    response = client.post(FORM, data | contact, headers=IN_WECHAT)
    assert response.status_code == 302, response.content.decode()[:500]
    return Opinion.objects.get(text=TEXT)


def test_form_inside_wechat_signs_in_silently_once(wechat, real_client):
    client = wechat.client
    assert _sign_in_through_wechat(client).status_code == 200
    assert client.session[SESSION_OPENID] == OPENID
    assert [call[0] for call in FakeWeChat.calls] == ["/sns/oauth2/access_token"]
    assert client.get(FORM, headers=IN_WECHAT).status_code == 200  # known now: no second round
    assert client.get("/d/DWZ001/opinion/", headers=IN_WECHAT).status_code == 200


def test_no_detour_outside_wechat_or_without_a_configured_account(wechat, settings, world):
    assert world.client(None).get(FORM, headers=PHONE_BROWSER).status_code == 200
    assert world.client(None).get(FORM).status_code == 200
    settings.WECHAT_APPID = ""
    assert world.client(None).get(FORM, headers=IN_WECHAT).status_code == 200
    settings.WECHAT_APPID, settings.WECHAT_TOKEN = "wx1234567890abcdef", ""
    assert world.client(None).get(FORM, headers=IN_WECHAT).status_code == 200


def test_a_failed_sign_in_is_not_repeated_and_the_form_still_works(wechat, real_client):
    client = wechat.client
    assert _sign_in_through_wechat(client, code="stale").status_code == 200  # WeChat refused the code
    assert SESSION_OPENID not in client.session
    assert client.get(FORM, headers=IN_WECHAT).status_code == 200  # no loop back to WeChat
    opinion = _post_form(client, phone=PHONE, consent="on")
    assert opinion.submitter_openid == "" and opinion.submitter_phone == PHONE


def test_openid_is_stored_encrypted_with_consent_only(wechat, real_client):
    _sign_in_through_wechat(wechat.client)
    opinion = _post_form(wechat.client, name=NAME, phone=PHONE, consent="on")
    assert opinion.submitter_openid == OPENID
    with connection.cursor() as cursor:
        cursor.execute("SELECT submitter_openid FROM opinions_opinion WHERE id = %s", [opinion.pk])
        stored = cursor.fetchone()[0]
    assert stored and OPENID not in stored  # a Fernet token, like the phone

    Opinion.objects.all().delete()
    opinion = _post_form(wechat.client)  # anonymous: no name, no phone, no consent
    assert (opinion.consent, opinion.submitter_openid) == (False, "")


def test_inside_wechat_the_tick_alone_keeps_the_openid(wechat, real_client):
    """No name, no phone: inside WeChat the consent tick still means "tell me through the official account"."""
    page = _sign_in_through_wechat(wechat.client)
    assert 'id="wechat-notice"' in page.content.decode()
    opinion = _post_form(wechat.client, consent="on")
    assert (opinion.consent, opinion.submitter_openid, opinion.submitter_phone) == (True, OPENID, "")
    Opinion.objects.all().delete()
    opinion = _post_form(wechat.client)  # no tick: nothing kept
    assert (opinion.consent, opinion.submitter_openid) == (False, "")


def test_the_constituent_is_told_through_wechat(
    wechat, real_client, world, settings, django_capture_on_commit_callbacks
):
    settings.WECHAT_TEMPLATE_IDS = {"opinion_accepted": "TPL-ACCEPTED", "opinion_replied": "TPL-REPLIED"}
    settings.NOTIFICATION_SENDERS = settings.NOTIFICATION_SENDERS | {"wechat": "renda.wechat.senders.TemplateSender"}
    _sign_in_through_wechat(wechat.client)
    opinion = _post_form(wechat.client, name=NAME, phone=PHONE, consent="on")

    with django_capture_on_commit_callbacks(execute=True):
        actions.perform(world.keeper, opinion.pk, Action.ACCEPT)
    queued = {(m.channel, m.template) for m in Message.objects.filter(user__isnull=True)}
    assert queued == {(Channel.SMS, "opinion_accepted"), (Channel.WECHAT, "opinion_accepted")}
    message = Message.objects.get(channel=Channel.WECHAT)
    assert (message.address, message.phone) == (OPENID, "")
    assert message.dedupe_key.endswith(f":wechat:o{opinion.pk}")  # what de-identification looks for
    stored = json.dumps(message.context, ensure_ascii=False) + render_body(message)
    for secret in (NAME, PHONE, OPENID, "红绿灯"):
        assert secret not in stored

    outbox.send_pending()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    [(path, query, payload)] = [call for call in FakeWeChat.calls if call[0] == "/cgi-bin/message/template/send"]
    assert payload["touser"] == OPENID and payload["template_id"] == "TPL-ACCEPTED"
    assert payload["url"] == f"{settings.PUBLIC_BASE_URL}/t/{opinion.tracking_code}/"
    assert payload["data"]["keyword1"] == {"value": opinion.tracking_code}
    assert NAME not in json.dumps(payload, ensure_ascii=False) and PHONE not in json.dumps(payload)


def test_merged_submitters_are_each_told_once(world, django_capture_on_commit_callbacks):
    category = Category.objects.get(name="交通出行")

    def submit(openid, consent=True):
        return actions.submit(
            station=world.mudu_home, category=category, text=TEXT, phone=PHONE, consent=consent, openid=openid
        ).opinion

    target, duplicate, same_person, no_consent = submit("oA"), submit("oB"), submit("oA"), submit("oC", False)
    with django_capture_on_commit_callbacks(execute=True):
        for op in (duplicate, same_person, no_consent):
            actions.perform(world.keeper, op.pk, Action.MERGE, merge_into=target)
        actions.perform(world.deputy_user, target.pk, Action.ANSWER_ON_SPOT, note="已现场答复")
    event = target.events.get(action=Action.ANSWER_ON_SPOT)
    told = Message.objects.filter(channel=Channel.WECHAT, dedupe_key__startswith=f"e{event.pk}:")
    assert sorted(told.values_list("address", flat=True)) == ["oA", "oB"]


def test_deidentification_clears_the_openid_with_the_phone(wechat, real_client, world):
    _sign_in_through_wechat(wechat.client)
    opinion = _post_form(wechat.client, phone=PHONE, consent="on")
    outbox.enqueue(
        channel=Channel.WECHAT,
        template="opinion_final",
        context={},
        dedupe_key=f"e1:wechat:o{opinion.pk}",
        address=OPENID,
    )
    Opinion.objects.filter(pk=opinion.pk).update(closed_at=timezone.now() - timedelta(days=731))

    assert deidentify_opinions() == {"opinions": 1, "supporters": 0, "messages": 1}
    opinion.refresh_from_db()
    assert (opinion.submitter_phone, opinion.submitter_openid) == ("", "")
    assert Message.objects.get(dedupe_key=f"e1:wechat:o{opinion.pk}").address == ""
    assert deidentify_opinions() == {"opinions": 0, "supporters": 0, "messages": 0}
