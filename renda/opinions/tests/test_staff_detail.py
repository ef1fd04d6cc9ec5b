"""The opinion page: who reaches it, what it shows staff, one form per allowed action, errors, attachments."""

import io
import zipfile

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renda.opinions import actions
from renda.opinions.models import Attachment, Event, Photo, Supporter
from renda.opinions.workflow import Action, State
from renda.testing import assert_statuses

from .staff_helpers import make_opinion

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def detail(opinion):
    return reverse("opinions:detail", args=[opinion.pk])


def act(opinion, action):
    return reverse("opinions:act", args=[opinion.pk, action])


def docx_bytes(part="word/document.xml"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<document/>")
    return buffer.getvalue()


def test_detail_grid(world):
    opinion = make_opinion(world, State.SUBMITTED)
    assert_statuses(
        world,
        detail(opinion),
        {
            "anonymous": 302,
            "outsider": 404,
            "sysadmin": 404,
            "gusu_staff": 404,
            "park_staff": 404,
            "unit_user": 404,  # not forwarded to the unit
            "wuzhong_staff": 200,
            "city_staff": 200,
            "keeper": 200,
            "deputy_user": 200,
        },
    )
    assert world.client(world.wuzhong_staff).get(reverse("opinions:detail", args=[999999])).status_code == 404
    forwarded = make_opinion(world, State.FORWARDED)
    assert_statuses(world, detail(forwarded), {"unit_user": 200, "gusu_staff": 404})


def test_posting_outside_scope_is_404_and_changes_nothing(world):
    opinion = make_opinion(world, State.SUBMITTED)
    for user in (world.gusu_staff, world.outsider, world.unit_user):
        response = world.client(user).post(act(opinion, Action.ACCEPT), {"accept-state": State.SUBMITTED})
        assert response.status_code == 404
    assert world.client(None).post(act(opinion, Action.ACCEPT), {}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == State.SUBMITTED and opinion.events.count() == 1
    assert world.client(world.wuzhong_staff).post(act(opinion, "rate"), {}).status_code == 404
    assert world.client(world.wuzhong_staff).get(act(opinion, Action.ACCEPT)).status_code == 405


def test_page_shows_the_whole_staff_timeline_and_masks_the_phone(world):
    opinion = make_opinion(world, State.SUBMITTED, submitter_phone="13812345678", consent=True, place="木渎老街口")
    Supporter.objects.create(opinion=opinion)
    Supporter.objects.create(opinion=opinion)
    Photo.objects.create(opinion=opinion, image=ContentFile(PNG, name="p.png"))
    actions.perform(world.keeper, opinion.pk, Action.ACCEPT, internal_note="先核实情况")
    actions.perform(world.wuzhong_staff, opinion.pk, Action.FORWARD, unit=world.wuzhong_unit, note="请住建局处理")
    duplicate = make_opinion(world, State.SUBMITTED, text="停车难")
    actions.perform(world.deputy_user, duplicate.pk, Action.MERGE, merge_into=opinion)
    content = world.client(world.wuzhong_staff).get(detail(opinion)).content.decode()
    assert "138****5678" in content and "13812345678" not in content
    assert "木渎老街口" in content and "木渎镇代表之家" in content
    assert "先核实情况" in content and "请住建局处理" in content
    # Staff see who did what by name (the public page shows roles only).
    assert "keeper" in content and "wuzhong_staff" in content
    assert duplicate.tracking_code in content
    assert reverse("opinions:photo", args=[opinion.pk, opinion.photos.get().pk]) in content
    response = world.client(world.wuzhong_staff).get(detail(opinion))
    assert response.context["supporters"] == 2
    assert list(response.context["merged"]) == [duplicate]


def test_only_allowed_actions_get_a_form(world):
    opinion = make_opinion(world, State.FORWARDED)
    staff = [form.action for form in world.client(world.wuzhong_staff).get(detail(opinion)).context["action_forms"]]
    unit = [form.action for form in world.client(world.unit_user).get(detail(opinion)).context["action_forms"]]
    keeper = [form.action for form in world.client(world.keeper).get(detail(opinion)).context["action_forms"]]
    assert staff == [Action.NOTE]
    assert unit == [Action.UNIT_REPLY, Action.REQUEST_REASSIGN, Action.REQUEST_EXTENSION, Action.NOTE]
    assert keeper == [Action.NOTE]


def test_forward_offers_and_accepts_only_sensible_units(world):
    opinion = make_opinion(world, State.ACCEPTED)
    response = world.client(world.keeper).get(detail(opinion))
    forward = next(form for form in response.context["action_forms"] if form.action == Action.FORWARD)
    assert list(forward.fields["unit"].queryset) == [world.wuzhong_unit]
    data = {"forward-state": State.ACCEPTED, "forward-unit": world.gusu_unit.pk}
    response = world.client(world.keeper).post(act(opinion, Action.FORWARD), data)
    assert response.status_code == 400
    opinion.refresh_from_db()
    assert opinion.status == State.ACCEPTED and opinion.unit is None
    data["forward-unit"] = world.wuzhong_unit.pk
    response = world.client(world.keeper).post(act(opinion, Action.FORWARD), data)
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == State.FORWARDED and opinion.unit == world.wuzhong_unit


def test_a_stale_form_is_refused_with_a_clear_error(world):
    opinion = make_opinion(world, State.SUBMITTED)
    actions.perform(world.keeper, opinion.pk, Action.ACCEPT)
    # The deputy's page still showed "submitted" and its accept button.
    response = world.client(world.deputy_user).post(act(opinion, Action.ACCEPT), {"accept-state": State.SUBMITTED})
    assert response.status_code == 400
    assert response.context["failed"].has_error(NON_FIELD_ERRORS, code="stale")
    opinion.refresh_from_db()
    assert opinion.status == State.ACCEPTED and opinion.events.filter(action=Action.ACCEPT).count() == 1


def test_transition_error_shows_the_page_again_with_the_error(world):
    # The form lets an empty "days" through (the unit's request decides), but no request was recorded: the action
    # refuses, and the page shows its message.
    opinion = make_opinion(world, State.EXTENSION_REQUESTED)
    data = {"grant_extension-state": State.EXTENSION_REQUESTED}
    response = world.client(world.wuzhong_staff).post(act(opinion, Action.GRANT_EXTENSION), data)
    assert response.status_code == 400 and response.context["failed"].non_field_errors()
    opinion.refresh_from_db()
    assert opinion.status == State.EXTENSION_REQUESTED


def test_the_form_offers_no_merge_into_a_finished_opinion(world):
    opinion = make_opinion(world, State.SUBMITTED)
    refused = make_opinion(world, State.REFUSED)
    data = {"merge-state": State.SUBMITTED, "merge-merge_into": refused.tracking_code}
    response = world.client(world.wuzhong_staff).post(act(opinion, Action.MERGE), data)
    assert response.status_code == 400 and response.context["failed"].has_error("merge_into")
    opinion.refresh_from_db()
    assert opinion.status == State.SUBMITTED and opinion.merged_into is None
    # A tracking code outside the user's scope is "not found", never merged into.
    other = make_opinion(world, State.SUBMITTED, station=world.canglang_home)
    data["merge-merge_into"] = other.tracking_code.lower()
    response = world.client(world.wuzhong_staff).post(act(opinion, Action.MERGE), data)
    assert response.status_code == 400 and response.context["failed"].errors["merge_into"]
    opinion.refresh_from_db()
    assert opinion.status == State.SUBMITTED


def test_required_inputs(world):
    opinion = make_opinion(world, State.FORWARDED)
    client = world.client(world.unit_user)
    response = client.post(act(opinion, Action.UNIT_REPLY), {"unit_reply-state": State.FORWARDED})
    assert response.status_code == 400 and response.context["failed"].errors["note"]
    response = client.post(
        act(opinion, Action.REQUEST_EXTENSION),
        {
            "request_extension-state": State.FORWARDED,
            "request_extension-note": "需要协调",
            "request_extension-days": 90,
        },
    )
    assert response.status_code == 400 and response.context["failed"].errors["days"]
    opinion.refresh_from_db()
    assert opinion.status == State.FORWARDED and opinion.events.count() == 1


def test_unit_reply_with_attachments(world):
    opinion = make_opinion(world, State.FORWARDED)
    files = [
        SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("方案.docx", docx_bytes(), content_type="application/octet-stream"),
    ]
    data = {"unit_reply-state": State.FORWARDED, "unit_reply-note": "已规划新增车位", "unit_reply-attachments": files}
    response = world.client(world.unit_user).post(act(opinion, Action.UNIT_REPLY), data)
    assert response.status_code == 302
    opinion.refresh_from_db()
    event = opinion.events.get(action=Action.UNIT_REPLY)
    assert opinion.status == State.UNIT_REPLIED and event.note == "已规划新增车位"
    assert {a.name for a in event.attachments.all()} == {"答复函.pdf", "方案.docx"}
    pdf = event.attachments.get(name="答复函.pdf")
    url = reverse("opinions:attachment", args=[opinion.pk, pdf.pk])
    assert_statuses(world, url, {"unit_user": 200, "wuzhong_staff": 200, "gusu_staff": 404, "outsider": 404})
    response = world.client(world.wuzhong_staff).get(url)
    assert b"".join(response.streaming_content) == PDF
    # Another opinion's page does not reach this attachment.
    other = make_opinion(world, State.FORWARDED)
    url = reverse("opinions:attachment", args=[other.pk, pdf.pk])
    assert world.client(world.wuzhong_staff).get(url).status_code == 404


def test_bad_attachments_are_refused_and_nothing_changes(world, settings):
    opinion = make_opinion(world, State.FORWARDED)
    bad = [
        SimpleUploadedFile("假的.pdf", b"MZ\x90\x00 not a pdf"),
        SimpleUploadedFile("程序.exe", PDF),
        SimpleUploadedFile("表格.xlsx", docx_bytes()),  # a zip, but a Word package, not a workbook
        SimpleUploadedFile("大.pdf", PDF + b"0" * (10 * 1024 * 1024)),
    ]
    client = world.client(world.unit_user)
    for upload in bad:
        data = {"unit_reply-state": State.FORWARDED, "unit_reply-note": "答复", "unit_reply-attachments": [upload]}
        response = client.post(act(opinion, Action.UNIT_REPLY), data)
        assert response.status_code == 400, upload.name
        assert response.context["failed"].errors["attachments"]
    opinion.refresh_from_db()
    assert opinion.status == State.FORWARDED and not Attachment.objects.exists()
    assert not Event.objects.filter(action=Action.UNIT_REPLY).exists()


def test_photo_is_served_to_those_who_see_the_opinion(world):
    opinion = make_opinion(world, State.SUBMITTED)
    photo = Photo.objects.create(opinion=opinion, image=ContentFile(PNG, name="p.png"))
    url = reverse("opinions:photo", args=[opinion.pk, photo.pk])
    assert_statuses(world, url, {"anonymous": 302, "keeper": 200, "gusu_staff": 404, "unit_user": 404})


def test_success_redirects_with_a_message(world):
    opinion = make_opinion(world, State.SUBMITTED)
    response = world.client(world.keeper).post(
        act(opinion, Action.REFUSE),
        {"refuse-state": State.SUBMITTED, "refuse-reason": "personal", "refuse-note": "属于个人纠纷"},
        follow=True,
    )
    assert response.redirect_chain == [(detail(opinion), 302)]
    assert [str(m) for m in response.context["messages"]]
    opinion.refresh_from_db()
    assert opinion.status == State.REFUSED and opinion.refusal_reason == "personal"
