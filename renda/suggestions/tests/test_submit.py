"""Submitting from the phone pages: joint signers by name, signing online, an opinion turned into a suggestion."""

from django.urls import reverse

from renda.opinions.models import Opinion
from renda.opinions.tests.staff_helpers import make_opinion
from renda.opinions.workflow import State as OpinionState
from renda.suggestions.models import Signature, Suggestion
from renda.suggestions.workflow import Kind, State

from .helpers import add_people, category


def write(world, user, **extra):
    data = {
        "title": "关于木渎镇停车的建议",
        "category": category(extra.pop("kind", Kind.CONGRESS)).pk,
        "text": "正文" * 20,
    }
    data["submitter_type"] = "person"
    data.update(extra)
    return world.client(user).post(reverse("suggestions_my:write") + extra.pop("query", ""), data)


def test_deputy_submits_with_a_joint_signer_who_signs_online(world):
    add_people(world)
    response = write(world, world.deputy_user, signers="苏测试")
    assert response.status_code == 302
    s = Suggestion.objects.get()
    assert s.kind == Kind.CONGRESS and s.status == State.SIGNING and s.number.startswith("J")
    assert s.region == world.mudu and s.sign_deadline is not None
    # The invitation is on the signer's own page; signing closes the signing and sends it to the office.
    page = world.client(world.signer).get(reverse("suggestions_my:list")).content.decode()
    assert s.number in page
    response = world.client(world.signer).post(reverse("suggestions_my:act", args=[s.pk, "sign"]))
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.status == State.SUBMITTED
    assert Signature.objects.get(suggestion=s).status == Signature.Status.SIGNED
    # The office sees it now; the other district's office does not.
    assert s.number in world.client(world.wuzhong_staff).get(reverse("suggestions:inbox")).content.decode()
    assert s.number not in world.client(world.gusu_staff).get(reverse("suggestions:inbox")).content.decode()


def test_unknown_signer_name_is_refused_and_nothing_is_saved(world):
    add_people(world)
    response = write(world, world.deputy_user, signers="不存在")
    assert response.status_code == 400
    assert "不存在" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_cppcc_member_submits_a_proposal(world):
    add_people(world)
    response = write(world, world.member_user, kind=Kind.CPPCC)
    assert response.status_code == 302
    s = Suggestion.objects.get()
    assert (
        s.kind == Kind.CPPCC
        and s.status == State.SUBMITTED
        and s.number.startswith("T")
        and s.member == world.member_wz
    )
    # A congress category is not a proposal's.
    response = write(world, world.member_user, kind=Kind.CONGRESS)
    assert response.status_code == 400


def test_only_deputies_and_members_may_write(world):
    add_people(world)
    for name in ("wuzhong_staff", "unit_user", "outsider"):
        assert world.client(getattr(world, name)).get(reverse("suggestions_my:write")).status_code == 404
    assert world.client(None).get(reverse("suggestions_my:write")).status_code == 302


def test_an_opinion_turned_into_a_suggestion_keeps_the_link(world):
    add_people(world)
    opinion = make_opinion(world, OpinionState.ACCEPTED, text="小区停车难，晚上没有车位")
    page = world.client(world.deputy_user).get(reverse("suggestions_my:write") + f"?opinion={opinion.pk}")
    assert page.status_code == 200 and "小区停车难" in page.content.decode()
    response = write(world, world.deputy_user, opinion=opinion.pk)
    assert response.status_code == 302
    s = Suggestion.objects.get()
    opinion.refresh_from_db()
    assert opinion.status == OpinionState.SUGGESTION
    assert list(s.opinions.all()) == [opinion]
    # The constituent's tracking page shows where it went.
    tracking = world.client(None).get(f"/t/{opinion.tracking_code}/").content.decode()
    assert s.number in tracking


def test_an_opinion_outside_the_deputys_stations_cannot_be_linked(world):
    add_people(world)
    opinion = make_opinion(world, OpinionState.ACCEPTED, station=world.canglang_home)
    response = world.client(world.deputy_user).get(reverse("suggestions_my:write") + f"?opinion={opinion.pk}")
    assert response.status_code == 404
    assert Opinion.objects.get(pk=opinion.pk).status == OpinionState.ACCEPTED


def test_unsigned_invitations_lapse_when_the_author_closes_the_signing(world):
    add_people(world)
    write(world, world.deputy_user, signers="苏测试")
    s = Suggestion.objects.get()
    assert (
        world.client(world.deputy_user).post(reverse("suggestions_my:act", args=[s.pk, "close_signing"])).status_code
        == 302
    )
    s.refresh_from_db()
    assert s.status == State.SUBMITTED
    assert Signature.objects.get(suggestion=s).status == Signature.Status.LAPSED
    # A lapsed invitee can no longer sign.
    response = world.client(world.signer).post(reverse("suggestions_my:act", args=[s.pk, "sign"]))
    assert response.status_code == 400


def test_attachments_are_kept_and_the_invitee_is_told(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renda.notifications.models import Message
    from renda.suggestions.models import Attachment

    add_people(world)
    assert world.client(world.deputy_user).get(reverse("suggestions_my:write")).status_code == 200
    upload = SimpleUploadedFile("调研报告.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    response = write(world, world.deputy_user, signers="苏测试", attachments=[upload])
    assert response.status_code == 302
    s = Suggestion.objects.get()
    assert list(Attachment.objects.filter(suggestion=s).values_list("name", flat=True)) == ["调研报告.pdf"]
    invitation = Message.objects.get(template="suggestion_update", user=world.signer)
    assert s.number in invitation.context["number"] and "联名" in invitation.context["what"]
    # The office hears of it only when the signing is over.
    assert not Message.objects.filter(template="suggestion_update", user=world.wuzhong_staff).exists()
    # Stored under a random name, served only to those who may see the suggestion (never from /media/).
    attachment = Attachment.objects.get(suggestion=s)
    assert "调研报告" not in attachment.file.name and attachment.file.name.startswith("suggestions/")
    url = reverse("suggestions_my:attachment", args=[s.pk, attachment.pk])
    page = world.client(world.deputy_user).get(reverse("suggestions_my:detail", args=[s.pk])).content.decode()
    assert url in page and "/media/" not in page
    download = world.client(world.deputy_user).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 demo"
    assert world.client(world.gusu_staff).get(url).status_code == 404
    assert world.client(None).get(url).status_code == 302  # sign in first


def test_submission_only_during_the_session_when_configured(world, settings):
    from datetime import timedelta

    from django.utils import timezone

    add_people(world)
    today = timezone.localdate()
    congress = dict(settings.SUGGESTION_PERIODS["congress"], between_sessions=False)
    congress["sessions"] = [(today - timedelta(days=10), today - timedelta(days=5))]
    settings.SUGGESTION_PERIODS = {**settings.SUGGESTION_PERIODS, "congress": congress}
    response = write(world, world.deputy_user)
    assert response.status_code == 400 and "目前不在建议或提案的提交期" in response.content.decode()
    assert not Suggestion.objects.exists()
    congress["sessions"] = [(today - timedelta(days=1), today + timedelta(days=2))]
    assert write(world, world.deputy_user).status_code == 302
    assert Suggestion.objects.get().during_session is True
