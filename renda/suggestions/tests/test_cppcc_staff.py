"""CPPCC staff (政协机关工作人员): the office of their region's proposals, 社情民意 reports and CPPCC sessions — and of
nothing on the congress side (a deputy's suggestion is missing to them, 404)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import Grant, Role, User
from renda.notifications.models import Message
from renda.suggestions.models import Session, SocialReport, Suggestion
from renda.suggestions.workflow import Kind, State
from renda.testing import PASSWORD

from .helpers import add_people, make_suggestion
from .test_submit import write


@pytest.fixture
def cppcc(world):
    add_people(world)
    user = User.objects.create_user(username="wuzhong_cppcc", password=PASSWORD, display_name="吴中区政协办")
    Grant.objects.create(user=user, role=Role.CPPCC_STAFF, region=world.wuzhong)
    other = User.objects.create_user(username="gusu_cppcc", password=PASSWORD, display_name="姑苏区政协办")
    Grant.objects.create(user=other, role=Role.CPPCC_STAFF, region=world.gusu)
    return user, other


def test_cppcc_staff_handle_their_regions_proposals_and_see_nothing_of_the_congress_side(world, cppcc):
    staff, other = cppcc
    proposal = make_suggestion(world, State.SUBMITTED, kind=Kind.CPPCC, title="关于加强非遗保护的提案")
    suggestion = make_suggestion(world, State.SUBMITTED, title="关于增加公交线路的建议")
    client = world.client(staff)
    inbox = client.get(reverse("suggestions:inbox")).content.decode()
    assert proposal.number in inbox and suggestion.number not in inbox
    assert client.get(reverse("suggestions_my:detail", args=[proposal.pk])).status_code == 200
    assert client.get(reverse("suggestions_my:detail", args=[suggestion.pk])).status_code == 404
    # The office's step on the proposal: registered; on the suggestion: missing, nothing changed.
    act = "suggestions_my:act"
    assert client.post(reverse(act, args=[proposal.pk, "register"])).status_code == 302
    assert client.post(reverse(act, args=[suggestion.pk, "register"])).status_code == 404
    assert Suggestion.objects.get(pk=proposal.pk).status == State.REGISTERED
    assert Suggestion.objects.get(pk=suggestion.pk).status == State.SUBMITTED
    # Statistics count proposals only: one item submitted this year.
    stats = client.get(reverse("suggestions:stats"), {"by": "year"})
    assert stats.status_code == 200
    assert [row["values"][0] for row in stats.context["rows"]] == [1]
    # Another district's CPPCC staff: nothing.
    assert world.client(other).get(reverse("suggestions_my:detail", args=[proposal.pk])).status_code == 404
    assert proposal.number not in world.client(other).get(reverse("suggestions:inbox")).content.decode()
    # The congress side's pages are not theirs.
    assert world.client(staff).get(reverse("projects:home")).status_code == 404


def test_the_home_counts_and_the_office_notices_reach_cppcc_staff(world, cppcc):
    staff, _other = cppcc
    assert write(world, world.member_user, kind=Kind.CPPCC).status_code == 302  # a member submits a proposal
    proposal = Suggestion.objects.get(author=world.member_user)
    assert Message.objects.filter(user=staff, template="suggestion_update", context__number=proposal.number).exists()
    assert write(world, world.deputy_user).status_code == 302  # a deputy's suggestion: not theirs to hear of
    congress = Suggestion.objects.get(author=world.deputy_user)
    assert not Message.objects.filter(user=staff, context__number=congress.number).exists()
    title = "关于菜场价格的社情民意"
    SocialReport.objects.create(
        region=world.wuzhong, title=title, text="反映", author=world.member_user, member=world.member_wz
    )
    page = world.client(staff).get("/staff/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="home-cppcc"' in html
    assert 'data-count="cppcc-proposals_submitted"><span class="stat">1</span>' in html
    assert 'data-count="cppcc-reports_submitted"><span class="stat">1</span>' in html
    assert 'id="home-staff"' not in html  # no congress staff section
    reports = world.client(staff).get(reverse("suggestions:reports")).content.decode()
    assert title in reports


def test_cppcc_staff_record_the_committees_sessions_only(world, cppcc):
    staff, _other = cppcc
    today = timezone.localdate()
    fields = {
        "region": world.wuzhong.pk,
        "name": "吴中区政协第十四届第三次会议",
        "first_day": today,
        "last_day": today + datetime.timedelta(days=2),
    }
    client = world.client(staff)
    assert client.post(reverse("suggestions:sessions"), fields | {"kind": "congress"}).status_code == 400
    assert client.post(reverse("suggestions:sessions"), fields | {"kind": "cppcc"}).status_code == 302
    assert list(Session.objects.values_list("kind", flat=True)) == ["cppcc"]
    # The congress's staff see it too (they keep the office of every kind in their region).
    page = world.client(world.wuzhong_staff).get(reverse("suggestions:sessions")).content.decode()
    assert fields["name"] in page
