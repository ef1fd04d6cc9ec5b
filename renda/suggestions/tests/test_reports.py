"""社情民意 reports: a member submits; the office of the region edits, adopts at a level, records instructions."""

from django.urls import reverse

from renda.suggestions.models import SocialReport
from renda.suggestions.workflow import ReportState

from .helpers import add_people


def test_member_submits_and_the_office_adopts_with_an_instruction(world):
    add_people(world)
    member = world.client(world.member_user)
    response = member.post(reverse("suggestions_my:reports"), {"title": "菜价波动", "text": "近期菜价上涨明显。"})
    assert response.status_code == 302
    report = SocialReport.objects.get()
    assert report.region == world.wuzhong and report.status == ReportState.SUBMITTED
    # Revising is the member's, until the office decides.
    url = lambda action: reverse("suggestions_my:report_act", args=[report.pk, action])  # noqa: E731
    assert member.post(url("revise"), {"text": "近期蔬菜价格上涨明显。"}).status_code == 302
    assert member.post(url("adopt"), {"level": "local"}).status_code == 400
    office = world.client(world.wuzhong_staff)
    assert office.post(url("edit"), {"text": "编辑后：蔬菜价格上涨。"}).status_code == 302
    response = office.post(url("adopt"), {"level": "bogus"})
    assert response.status_code == 400 and "采用级别" in response.content.decode()
    assert office.post(url("adopt"), {"level": "provincial"}).status_code == 302
    assert office.post(url("instruct"), {"text": "请商务局跟踪。——王副市长"}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.adopted_level) == (ReportState.ADOPTED, "provincial")
    assert "王副市长" in report.instructions and report.text == "近期蔬菜价格上涨明显。"
    assert member.post(url("revise"), {"text": "再改"}).status_code == 400
    # Another district's office does not find it.
    assert world.client(world.gusu_staff).get(reverse("suggestions_my:report", args=[report.pk])).status_code == 404
    assert "菜价波动" in office.get(reverse("suggestions:reports")).content.decode()
    assert "菜价波动" not in world.client(world.gusu_staff).get(reverse("suggestions:reports")).content.decode()


def test_only_members_submit_reports(world):
    add_people(world)
    assert world.client(world.deputy_user).get(reverse("suggestions_my:reports")).status_code == 404
