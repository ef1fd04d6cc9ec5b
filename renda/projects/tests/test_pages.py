"""The pages through HTTP, then the database: staff back office (scoped, another region's round is missing), the
deputy's ballot with its receipt, and the public pages (propose, mine too, the published ballot list)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from renda.testing import assert_statuses

from ..models import Ballot, Milestone, Proposal, ProposalStatus, Receipt, Result, RollEntry, Session, SessionStatus
from ..phases import Phase
from .helpers import add_candidates, make_deputies, make_round, voting_session


def test_staff_pages_are_scoped(world):
    round_ = make_round(world)
    url = reverse("projects:round", args=[round_.pk])
    assert_statuses(
        world,
        url,
        {
            "wuzhong_staff": 200,
            "city_staff": 200,
            "gusu_staff": 404,
            "park_staff": 404,
            "deputy_user": 404,
            "unit_user": 404,
            "outsider": 404,
            "anonymous": 302,
        },
    )
    home = world.client(world.gusu_staff).get(reverse("projects:home"))
    assert round_.title not in home.content.decode()
    assert round_.title in world.client(world.wuzhong_staff).get(reverse("projects:home")).content.decode()


def _patterns():
    resolver = get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if getattr(entry, "namespace", None) == "projects":
            found += [p for p in entry.url_patterns if isinstance(p, URLPattern)]
    return found


def test_every_staff_url_of_another_regions_round_is_missing(world):
    """Walks the URL configuration: a new view is covered without anyone remembering to add it."""
    round_ = make_round(world, region=world.gusu, phase=Phase.VOTING)
    (project,) = add_candidates(world, round_, 1)
    proposal = Proposal.objects.create(round=round_, tracking_code="GUSU0001", title="t", description="d", source="x")
    now = timezone.now()
    session = Session.objects.create(
        round=round_, kind="vote", method="electronic", title="s", starts_at=now, ends_at=now
    )
    values = {
        "round_pk": round_.pk,
        "proposal_pk": proposal.pk,
        "project_pk": project.pk,
        "session_pk": session.pk,
        "step": "open",
        "milestone_pk": Milestone.objects.create(project=project, title="m", due=now.date()).pk,
    }
    client = world.client(world.wuzhong_staff)
    checked = 0
    for pattern in _patterns():
        params = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
        if not params:
            continue
        url = reverse(f"projects:{pattern.name}", kwargs={p: values[p] for p in params})
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status in (404, 405), f"{method} {url}: {status}"
        checked += 1
    assert checked >= 14
    session.refresh_from_db()
    assert session.status == SessionStatus.PREPARED and not session.roll.exists()


def test_staff_screen_candidates_and_session_through_http(world):
    round_ = make_round(world, phase=Phase.SCREENING, places=1)
    proposal = Proposal.objects.create(
        round=round_, tracking_code="WZ000001", title="路灯", description="d", source="x"
    )
    client = world.client(world.wuzhong_staff)
    client.post(reverse("projects:screen", args=[round_.pk, proposal.pk]), {"decision": "accepted", "note": "需要"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.screening_note == "需要"
    client.post(reverse("projects:advance", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.phase == Phase.CANDIDATES
    for n in range(2):
        client.post(
            reverse("projects:project_add", args=[round_.pk]),
            {
                "title": f"项目{n}",
                "description": "d",
                "budget": "80",
                "lead_unit": world.wuzhong_unit.pk,
                "timeline": "年内",
                "proposals": [proposal.pk],
            },
        )
    assert round_.projects.count() == 2
    client.post(reverse("projects:publish_candidates", args=[round_.pk]))
    client.post(reverse("projects:advance", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.candidates_published_at and round_.phase == Phase.VOTING
    make_deputies(world, 2)
    now = timezone.localtime()
    response = client.post(
        reverse("projects:session_create", args=[round_.pk]),
        {
            "title": "联席会议",
            "method": "mixed",
            "starts_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "scrutineers": [world.deputy_wz.pk],
            "counters": "甲\n乙",
        },
    )
    session = round_.sessions.get()
    assert response.status_code == 302 and session.officers.count() == 3
    client.post(reverse("projects:session_step", args=[round_.pk, session.pk, "open"]))
    assert session.roll.count() == 3
    client.post(reverse("projects:session_step", args=[round_.pk, session.pk, "start"]))  # no quorum yet
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    page = client.get(reverse("projects:session", args=[round_.pk, session.pk]))
    assert page.status_code == 200 and 'id="count-record"' in page.content.decode()
    ids = list(session.roll.values_list("deputy_id", flat=True))[:2]
    client.post(reverse("projects:presence", args=[round_.pk, session.pk]), {"present": ids})
    client.post(reverse("projects:session_step", args=[round_.pk, session.pk, "start"]))
    session.refresh_from_db()
    assert session.status == SessionStatus.VOTING


@pytest.fixture
def open_vote(world):
    round_ = make_round(world, phase=Phase.VOTING, places=1)
    projects = add_candidates(world, round_, 2)
    make_deputies(world, 2)
    session = voting_session(world, round_)
    return round_, projects, session


def test_deputy_casts_in_one_step_and_finds_the_receipt(world, open_vote):
    round_, (a, b), session = open_vote
    client = world.client(world.deputy_user)
    listing = client.get(reverse("projects:my_sessions")).content.decode()
    assert session.title in listing
    page = client.get(reverse("projects:ballot", args=[session.pk])).content.decode()
    assert 'id="cast"' in page and "项目1" in page
    secret = "a1" * 16
    response = client.post(
        reverse("projects:ballot", args=[session.pk]), {f"p{a.pk}": "for", f"p{b.pk}": "against", "secret": secret}
    )
    assert response.status_code == 200
    body = response.content.decode()
    code = Receipt.objects.get().code
    assert 'id="confirmation"' in body and code in body and secret in body
    assert RollEntry.objects.get(session=session, deputy=world.deputy_wz).voted
    again = client.post(reverse("projects:ballot", args=[session.pk]), {f"p{a.pk}": "for", "secret": secret})
    assert again.status_code == 400 and Ballot.objects.count() == 1
    # Before voting closes the ballot list is not public.
    ballots_url = reverse("projects_public:ballots", args=[round_.pk, session.pk])
    assert world.client(None).get(ballots_url).status_code == 404
    from ..actions import sessions

    sessions.close_voting(world.wuzhong_staff, session, {"staff"})
    public = world.client(None).get(ballots_url, {"receipt": code}).content.decode()
    assert code in public and Receipt.objects.get().commitment in public and 'id="found"' in public
    for deputy in session.roll.select_related("deputy"):
        assert deputy.deputy.name not in public


def test_too_many_for_is_refused_with_the_ballot_kept(world, open_vote):
    round_, (a, b), session = open_vote
    client = world.client(world.deputy_user)
    response = client.post(
        reverse("projects:ballot", args=[session.pk]), {f"p{a.pk}": "for", f"p{b.pk}": "for", "secret": "b2" * 16}
    )
    assert response.status_code == 400 and not Ballot.objects.exists()
    assert "最多只能对1个项目投赞成票，您选了2个。" in response.content.decode()
    assert not RollEntry.objects.get(session=session, deputy=world.deputy_wz).voted


def test_ballot_without_javascript_gets_a_server_secret(world, open_vote):
    round_, (a, b), session = open_vote
    body = world.client(world.deputy_user).post(reverse("projects:ballot", args=[session.pk]), {f"p{a.pk}": "for"})
    assert 'id="server-secret"' in body.content.decode()


def test_deputy_of_another_region_has_no_ballot(world, open_vote):
    round_, projects, session = open_vote
    from renda.accounts.models import Grant, Role, User

    user = User.objects.create_user(username="gs_dep")
    Grant.objects.create(user=user, role=Role.DEPUTY, deputy=world.deputy_gs)
    assert world.client(user).get(reverse("projects:ballot", args=[session.pk])).status_code == 404


def test_scrutineer_signs_from_the_phone(world, open_vote):
    round_, projects, session = open_vote
    from ..actions import sessions

    sessions.close_voting(world.wuzhong_staff, session, {"staff"})
    client = world.client(world.deputy_user)
    assert 'id="sign"' in client.get(reverse("projects:ballot", args=[session.pk])).content.decode()
    client.post(reverse("projects:sign", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == SessionStatus.SIGNED
    world.client(world.wuzhong_staff).post(reverse("projects:session_step", args=[round_.pk, session.pk, "publish"]))
    assert round_.projects.filter(result=Result.NOT_ELECTED).count() == 2


def test_public_propose_similar_and_mine_too(world):
    round_ = make_round(world)
    client = world.client(None)
    form = client.get(reverse("projects_public:propose", args=[round_.pk]))
    token = re.search(r'name="client_token" value="([^"]+)"', form.content.decode()).group(1)
    data = {"client_token": token, "title": "老小区加装电梯", "description": "老人上下楼难", "place": "木渎镇"}
    response = client.post(reverse("projects_public:propose", args=[round_.pk]), data)
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.tracking_code in response["Location"]
    client.post(reverse("projects_public:propose", args=[round_.pk]), data)
    assert Proposal.objects.count() == 1
    bad = client.post(
        reverse("projects_public:propose", args=[round_.pk]), {**data, "client_token": "", "phone": "139"}
    )
    assert bad.status_code == 400 and Proposal.objects.count() == 1
    similar = client.get(
        reverse("projects_public:similar", args=[round_.pk]), {"title": "加装电梯", "description": "老小区"}
    )
    body = similar.content.decode()
    assert "老小区加装电梯" in body
    ref = re.search(r'name="ref" value="([^"]+)"', body).group(1)
    client.post(reverse("projects_public:mine_too", args=[round_.pk]), {"ref": ref})
    proposal.refresh_from_db()
    assert proposal.supporters_count == 1
    assert (
        client.post(reverse("projects_public:mine_too", args=[round_.pk]), {"ref": str(proposal.pk)}).status_code == 404
    )


def test_public_round_page_query_count_is_fixed(world):
    round_ = make_round(world, phase=Phase.RESULTS)
    add_candidates(world, round_, 30)
    for n in range(30):
        Proposal.objects.create(round=round_, tracking_code=f"Q{n:07d}", title=f"p{n}", description="d", source="x")
    client = world.client(None)
    url = reverse("projects_public:round", args=[round_.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= 8, [q["sql"] for q in queries]
    for page in ("rounds", "history"):
        args = [] if page == "rounds" else [round_.pk]
        assert client.get(reverse(f"projects_public:{page}", args=args)).status_code == 200
    project = round_.projects.first()
    assert client.get(reverse("projects_public:project", args=[round_.pk, project.pk])).status_code == 200


def test_staff_promote_an_opinion_by_its_code(world):
    from renda.opinions.actions import submit
    from renda.opinions.models import Category

    round_ = make_round(world)
    opinion = submit(station=world.mudu_home, category=Category.objects.first(), text="村口缺路灯，晚上很黑").opinion
    other = submit(station=world.canglang_home, category=Category.objects.first(), text="姑苏的意见").opinion
    client = world.client(world.wuzhong_staff)
    url = reverse("projects:promote_opinion", args=[round_.pk])
    client.post(url, {"code": other.tracking_code})
    assert not Proposal.objects.exists()
    client.post(url, {"code": opinion.tracking_code.lower(), "title": "村口路灯"})
    proposal = Proposal.objects.get()
    assert proposal.opinion == opinion and proposal.title == "村口路灯"


def test_results_download_as_excel_and_pdf(world, open_vote):
    from io import BytesIO

    from openpyxl import load_workbook

    from ..actions import sessions

    round_, (a, b), session = open_vote
    url = reverse("projects_public:results", args=[round_.pk, session.pk, "xlsx"])
    assert world.client(None).get(url).status_code == 404  # not before publication
    sessions.close_voting(world.wuzhong_staff, session, {"staff"})
    sessions.sign_off(world.deputy_user, session, {"deputy"}, world.deputy_wz)
    sessions.publish_results(world.wuzhong_staff, session, {"staff"})
    response = world.client(None).get(url)
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("#", "项目") and rows[1][1] == "项目1" and (None, "应到", 3) in [r[:3] for r in rows]
    pdf = world.client(None).get(reverse("projects_public:results", args=[round_.pk, session.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = world.client(None).get(reverse("projects_public:ballots", args=[round_.pk, session.pk])).content.decode()
    assert 'id="downloads"' in page


def test_propose_from_a_station_qr_code(world):
    round_ = make_round(world)
    client = world.client(None)
    response = client.get(reverse("projects_public:station_propose", args=["mudu01"]))
    assert response.status_code == 302 and response["Location"].endswith(
        f"/projects/{round_.pk}/propose/?station=MUDU01"
    )
    page = client.get(response["Location"])
    assert "木渎镇代表之家" in page.content.decode()
    client.post(response["Location"], {"title": "村口路灯", "description": "晚上太黑"})
    assert Proposal.objects.get().station == world.mudu_home
    gusu = client.get(reverse("projects_public:station_propose", args=["CANG01"]))
    assert gusu.status_code == 302 and gusu["Location"].endswith("/projects/")
    # The station's own page says a round is taking proposals, and only where one covers the station.
    mudu_page = client.get(reverse("public:station", args=["MUDU01"])).content.decode()
    assert 'id="station-proposals"' in mudu_page and round_.title in mudu_page
    assert reverse("projects_public:station_propose", args=["MUDU01"]) in mudu_page
    canglang_page = client.get(reverse("public:station", args=["CANG01"])).content.decode()
    assert 'id="station-proposals"' not in canglang_page
    round_.phase = Phase.SCREENING
    round_.save()
    assert 'id="station-proposals"' not in client.get(reverse("public:station", args=["MUDU01"])).content.decode()


def test_staff_round_page_lists_earlier_unsatisfactory_projects_and_keeps_its_query_count(world):
    earlier = make_round(world, phase=Phase.CLOSED, start=timezone.localdate().replace(year=2024, month=1, day=5))
    (late,) = add_candidates(world, earlier, 1)
    late.follow_up = True
    late.save()
    round_ = make_round(world)
    for n in range(20):
        Proposal.objects.create(round=round_, tracking_code=f"F{n:07d}", title=f"p{n}", description="d", source="x")
    client = world.client(world.wuzhong_staff)
    url = reverse("projects:round", args=[round_.pk])
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert 'id="earlier-follow-up"' in body and late.title in body
    assert len(queries) <= 30, len(queries)


def test_screening_page_query_count_does_not_grow_with_proposals(world):
    round_ = make_round(world, phase=Phase.SCREENING)
    client = world.client(world.wuzhong_staff)
    url = reverse("projects:round", args=[round_.pk])
    counts = []
    for batch in (5, 50):
        for n in range(batch):
            Proposal.objects.create(
                round=round_,
                tracking_code=f"S{batch}{n:05d}",
                title=f"p{n}",
                description="d",
                source="x",
                status=ProposalStatus.ACCEPTED if n % 2 else ProposalStatus.SUBMITTED,
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], (counts, [q["sql"][:150] for q in queries.captured_queries][-12:])


def test_staff_create_a_joint_meeting_round_through_the_form(world):
    import datetime as dt

    from .helpers import phase_dates

    data = {
        "title": "开发区2027年民生实事",
        "year": 2027,
        "region": world.resort.pk,
        "body": "joint_meeting",
        "places": 5,
    }
    data["electorate"] = [world.mudu.pk]
    for phase, (starts, ends) in phase_dates(dt.date(2027, 1, 1)).items():
        data[f"{phase}_starts"], data[f"{phase}_ends"] = starts.isoformat(), ends.isoformat()
    response = world.client(world.wuzhong_staff).post(reverse("projects:round_create"), data)
    assert response.status_code == 400  # 吴中区 staff cannot reach the resort zone: not among the choices
    response = world.client(world.city_staff).post(reverse("projects:round_create"), data)
    from ..models import Round

    round_ = Round.objects.get()
    assert response.status_code == 302 and list(round_.electorate.all()) == [world.mudu]
    body = world.client(world.deputy_user).get(reverse("projects:my_sessions")).content.decode()
    assert 'id="open-rounds"' in body and round_.title in body


def test_staff_rounds_list_query_count_is_fixed(world):
    client = world.client(world.wuzhong_staff)
    counts = []
    for batch in (1, 8):
        for _ in range(batch):
            round_ = make_round(world)
            add_candidates(world, round_, 2, publish=False)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("projects:home")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_deputy_and_unit_propose_from_the_back_office(world):
    round_ = make_round(world)
    url = reverse("projects:propose", args=[round_.pk])
    for user, title in ((world.deputy_user, "代表建议"), (world.unit_user, "单位建议")):
        response = world.client(user).post(url, {"title": title, "description": "内容", "place": "木渎"})
        assert response.status_code == 302
    sources = dict(Proposal.objects.values_list("title", "source"))
    assert sources == {"代表建议": "deputy", "单位建议": "unit"}
    assert Proposal.objects.get(title="代表建议").deputy == world.deputy_wz
    assert Proposal.objects.get(title="单位建议").unit == world.wuzhong_unit
    assert world.client(world.gusu_staff).get(url).status_code == 404
    assert world.client(world.keeper).get(url).status_code == 404


def test_staff_see_a_consenting_proposers_phone_masked_only(world):
    from ..actions import proposals as proposal_actions
    from ..phases import Role

    round_ = make_round(world)
    proposal_actions.propose(
        round_,
        role=Role.PUBLIC,
        roles={Role.PUBLIC},
        title="路灯",
        description="修路灯",
        name="张三",
        phone="13900001111",
        consent=True,
    )
    staff_page = world.client(world.wuzhong_staff).get(reverse("projects:round", args=[round_.pk])).content.decode()
    assert "139****1111" in staff_page and "13900001111" not in staff_page and "张三" not in staff_page
    public = world.client(None).get(reverse("projects_public:round", args=[round_.pk])).content.decode()
    assert "139" not in public and "张三" not in public


def test_refusals_are_explained_in_chinese_and_change_nothing(world):
    round_ = make_round(world, phase=Phase.CANDIDATES, places=2)
    add_candidates(world, round_, 2, publish=False)
    client = world.client(world.wuzhong_staff)
    response = client.post(reverse("projects:publish_candidates", args=[round_.pk]), follow=True)
    assert "2个名额至少需要3个候选项目（差额），清单现有2个。" in response.content.decode()
    response = client.post(reverse("projects:advance", args=[round_.pk]), follow=True)
    assert "请先审定并公布候选项目清单。" in response.content.decode()
    round_.refresh_from_db()
    assert round_.phase == Phase.CANDIDATES and round_.candidates_published_at is None
