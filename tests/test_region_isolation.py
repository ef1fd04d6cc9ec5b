"""Every back-office URL, walked from the URL configuration: another region's objects are missing (404) and never
appear in a list or an export. A new staff view is covered here without anyone remembering to add it."""

import datetime
from io import BytesIO

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import load_workbook

from renda.accounts.models import Grant, Role, User
from renda.api.actions import create_token
from renda.exports.models import ExportJob
from renda.imports.models import ImportJob
from renda.open311.actions import issue_key
from renda.opinions.actions import submit
from renda.opinions.models import Category
from renda.opinions.models import Photo as OpinionPhoto
from renda.stations.models import StationPhoto

# Every URL under these prefixes is back office and is walked, whatever app or namespace it comes from.
BACK_OFFICE_PREFIXES = ("staff/", "accounts/", "api/v1/staff/")
# The other top-level prefixes, each with why it is not walked. A URL under none of these (a new app mounted at a
# new prefix) fails test_every_url_is_classified until someone decides which side it is on.
NOT_WALKED_PREFIXES = {
    "admin/": "Django admin: superusers only (with the second factor), who see everything anyway",
    "i18n/": "the language switch: no object, no scope",
    "api/v1/": "the public API (its staff part is api/v1/staff/, walked above)",
    "open311/v2/": "Open311: public requests, keys checked by renda/open311/tests",
    "wechat/": "the WeChat endpoint: signed by WeChat, no staff object",
    "opendata/": "open data: public fields of active objects only",
    "receptions/": "the public reception schedule",
    "s/": "public station pages, QR codes and the opinion form",
    "d/": "public deputy pages, QR codes and the opinion form",
    "m/": "public member pages",
    "r/": "public region pages",
    "t/": "the constituent's tracking page (the code is the secret)",
    "search/": "public station search",
    "near/": "public nearest stations",
    "large-text/": "the public pages' large-text switch (a cookie): no object, no scope",
    "suggestions/": "a deputy's or member's own suggestions and invitations (their own items only: "
    "renda/suggestions/tests/test_pages.py) and the public disclosed replies",
    "activities/": "a deputy's or member's own invitations and problems (their own only: "
    "renda/activities/tests/test_rules.py) and the public pages of public activities (activities/p/)",
    "calendar/": "a deputy's or member's own calendar and its feed (their own entries only, the feed by its secret "
    "address: renda/calendars/tests)",
    "consultation/": "a CPPCC member's own consultation meetings and speech (their invitations only: "
    "renda/consultation/tests/test_pages.py)",
    "jointmeetings/": "a member deputy's own joint meetings' published topics, read only (their memberships only: "
    "renda/jointmeetings/tests/test_member_pages.py)",
    "records/": "published performance reports (PDF) and the voters' evaluation of a published term report "
    "(renda/records/tests/test_workflow.py)",
    "projects/": "the public livelihood-project pages (rounds, results, ballot lists) and proposing from the phone",
    "healthz": "liveness for load balancers: no object, OPS_ALLOWED_NETWORKS only (renda/ops/tests)",
    "readyz": "readiness for load balancers: counts only, OPS_ALLOWED_NETWORKS only (renda/ops/tests)",
    "metrics": "Prometheus metrics: counts only, OPS_ALLOWED_NETWORKS only (renda/ops/tests)",
    "": "the public home page",
}
# Back-office URLs that are not scoped by region, each with why.
NOT_SCOPED = {
    "accounts:login": "the login page, before any account",
    "accounts:logout": "ends the caller's own session",
    "imports:template": "a blank import workbook, the same for everyone",
}
# Names that belong only to 姑苏区 in the test world (a city deputy elected there serves in 吴中区, so "姑苏区" itself
# may legitimately appear).
GUSU_ONLY = ["顾测试", "顾委员", "姑苏区住房和城乡建设局", "沧浪街道代表之家", "沧浪街道"]


def all_patterns() -> list[tuple[str, str, URLPattern]]:
    """(full route, namespaced name, pattern) of every URL the project serves, from the resolver itself."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern):
                found.append((prefix + str(entry.pattern), f"{namespace}:{entry.name}", entry))

    walk(get_resolver(), "", None)
    return found


def staff_patterns():
    return [
        (name, entry)
        for route, name, entry in all_patterns()
        if route.startswith(BACK_OFFICE_PREFIXES) and name not in NOT_SCOPED
    ]


PATTERNS = staff_patterns()


def test_every_url_is_classified():
    """A URL is back office (walked) or under a prefix listed, with its reason, in NOT_WALKED_PREFIXES."""
    unclassified = [
        route
        for route, _name, _entry in all_patterns()
        if not route.startswith(BACK_OFFICE_PREFIXES)
        and not any(route.startswith(prefix) for prefix in NOT_WALKED_PREFIXES if prefix)
        and route not in NOT_WALKED_PREFIXES
    ]
    assert not unclassified, f"back office or public? put them under a prefix of either list: {unclassified}"


def other_region_kwargs(world, name: str, params) -> dict:
    """URL arguments naming 姑苏区's objects, for a user whose scope is 吴中区."""
    namespace, view = name.split(":")
    gusu_job = ImportJob.objects.create(kind="deputies", original_name="x.xlsx", created_by=world.gusu_staff)
    gusu_export = ExportJob.objects.create(
        kind="opinions.inbox", title="x", created_by=world.gusu_staff, download_name="x.xlsx", status="done"
    )
    photo = StationPhoto.objects.create(station=world.canglang_home, image="stations/x.jpg")
    opinion = submit(station=world.canglang_home, category=Category.objects.first(), text="沧浪街道的意见").opinion
    opinion_photo = OpinionPhoto.objects.create(opinion=opinion, image="opinions/x.jpg")
    attachment = opinion.events.get().attachments.create(file="opinion-replies/x.pdf", name="x.pdf")
    by_view = {
        "people": {"deputy": world.deputy_gs.pk, "member": world.member_gs.pk, "unit": world.gusu_unit.pk},
        "stations": world.canglang_home.pk,
        "qrcodes": world.canglang_home.pk,
        "opinions": opinion.pk,
        "imports": gusu_job.pk,
        "exports": gusu_export.pk,
        "accounts": world.gusu_staff.pk,
        "backoffice": {"opinion": opinion.pk, "deputy": world.deputy_gs.pk},  # reveal a phone
        "api_tokens": create_token(world.gusu_staff, "姑苏区的令牌")[0].pk,
        "open311_staff": issue_key(world.gusu_staff, "姑苏区的密钥")[0].pk,
        "suggestions": gusu_suggestion(world).pk,
    }
    kwargs = {}
    for param in params:
        if param == "pk":
            value = by_view[namespace]
            kwargs[param] = value[view.split("_")[0]] if isinstance(value, dict) else value
        elif param == "code":
            kwargs[param] = world.gusu.code
        elif param == "member_code":
            kwargs[param] = world.canglang.code
        elif param == "assignment_pk":
            kwargs[param] = world.canglang_home.assignments.get().pk
        elif param == "photo_pk":
            kwargs[param] = opinion_photo.pk if namespace == "opinions" else photo.pk
        elif param == "attachment_pk":
            kwargs[param] = attachment.pk
        elif param == "action":
            kwargs[param] = "accept"
        elif param == "opinion_id":
            kwargs[param] = opinion.pk
        elif param == "suggestion_id":
            kwargs[param] = gusu_suggestion(world).pk
        elif param == "session_pk":
            from renda.suggestions.models import Session

            day = timezone.localdate()
            kwargs[param] = Session.objects.create(
                region=world.gusu, kind="congress", name="姑苏区人大会议", first_day=day, last_day=day
            ).pk
        elif param in ACTIVITY_PARAMS:
            kwargs[param] = gusu_activity_objects(world)[ACTIVITY_PARAMS[param]]
        elif param in PROJECT_PARAMS:
            kwargs[param] = gusu_project_objects(world)[PROJECT_PARAMS[param]]
        elif param in ("duty_id", "campaign_id"):
            kwargs[param] = gusu_reception_objects(world)[param.replace("_id", "_pk")]
        elif param in JOINT_PARAMS:
            kwargs[param] = gusu_joint_objects(world)[JOINT_PARAMS[param]]
        elif param in CONSULTATION_PARAMS:
            kwargs[param] = gusu_consultation_objects(world)[CONSULTATION_PARAMS[param]]
        elif param == "member_assignment_pk":
            from renda.stations.models import MemberAssignment

            kwargs[param] = MemberAssignment.objects.get_or_create(station=world.canglang_home, member=world.member_gs)[
                0
            ].pk
        elif param == "grant_pk":
            kwargs[param] = world.gusu_staff.grants.get().pk
        elif param in RECORD_PARAMS:
            kwargs[param] = gusu_record_objects(world)[param]
        elif param in RECEPTION_PARAMS:
            kwargs[param] = gusu_reception_objects(world)[param]
        else:
            raise AssertionError(f"{name}: no test value for URL parameter {param!r}; add one here")
    return kwargs


# Activity URL parameters (staff pages and the staff API) → the 姑苏区 object they name.
ACTIVITY_PARAMS = {
    "activity_pk": "activity",
    "activity_id": "activity",
    "file_pk": "file",
    "problem_pk": "problem",
    "problem_id": "problem",
    "invitation_id": "invitation",
    "invitation_pk": "invitation",
    "activity_campaign_pk": "campaign",
}


def gusu_activity_objects(world) -> dict:
    """A 姑苏区 activity (started, 顾测试 invited) with a file, a problem item and its campaign."""
    from datetime import timedelta

    from django.utils import timezone

    from renda.activities.models import Activity, ActivityFile, Campaign, Invitation, Kind, ProblemItem

    if getattr(world, "_gusu_activities", None):
        return world._gusu_activities
    campaign = Campaign.objects.create(region=world.gusu, title="姑苏区助民企", year=2026)
    now = timezone.now()
    activity = Activity.objects.create(
        region=world.gusu,
        kind=Kind.objects.get(code="theme"),
        campaign=campaign,
        title="沧浪街道走访企业",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        status="published",
    )
    invitation = Invitation.objects.create(activity=activity, deputy=world.deputy_gs)
    world._gusu_activities = {
        "activity": activity.pk,
        "campaign": campaign.pk,
        "invitation": invitation.pk,
        "file": ActivityFile.objects.create(activity=activity, file="activities/x.pdf", name="x.pdf").pk,
        "problem": ProblemItem.objects.create(activity=activity, number=1, text="沧浪街道企业的问题").pk,
    }
    return world._gusu_activities


RECORD_PARAMS = {"member_pk", "line_pk", "dispute_pk", "table_pk", "report_pk"}


def gusu_record_objects(world) -> dict:
    """姑苏区's performance-record objects: a member's record, a line, a dispute, a weight table, a report."""
    if getattr(world, "_gusu_records", None):
        return world._gusu_records
    import datetime

    from renda.records.models import Dispute, Line, Report, WeightTable

    line = Line.objects.create(
        deputy=world.deputy_gs,
        year=2026,
        kind="duty_attended",
        source="receptions",
        key="duty:0",
        date=datetime.date(2026, 3, 1),
        label="沧浪街道代表之家",
    )
    world._gusu_records = {
        "member_pk": world.member_gs.pk,
        "line_pk": line.pk,
        "dispute_pk": Dispute.objects.create(
            deputy=world.deputy_gs,
            year=2026,
            line=line,
            line_key=line.key,
            line_label=line.label,
            kind=line.kind,
            text="x",
            filed_by=world.gusu_staff,
        ).pk,
        "table_pk": WeightTable.objects.create(region=world.gusu, year=2026).pk,
        "report_pk": Report.objects.create(deputy=world.deputy_gs, year=2026, first_year=2026).pk,
    }
    return world._gusu_records


RECEPTION_PARAMS = {
    "campaign_pk",
    "reception_pk",
    "duty_pk",
    "slot_pk",
    "station_pk",
    "deputy_pk",
    "visit_pk",
    "absence_pk",
}


# Livelihood-project URL parameters (staff pages and the staff API) → the 姑苏区 object they name.
PROJECT_PARAMS = {
    "round_pk": "round",
    "round_id": "round",
    "proposal_pk": "proposal",
    "project_pk": "project",
    "session_pk": "session",
    "session_id": "session",
    "milestone_pk": "milestone",
    "step": "step",
}


def gusu_project_objects(world) -> dict:
    """A 姑苏区 livelihood round in voting with a candidate, a proposal, a session and a milestone."""
    from django.utils import timezone

    from renda.projects.models import Milestone, Proposal, Session
    from renda.projects.phases import Phase
    from renda.projects.tests.helpers import add_candidates, make_round

    if getattr(world, "_gusu_projects", None):
        return world._gusu_projects
    round_ = make_round(world, region=world.gusu, phase=Phase.VOTING)
    (project,) = add_candidates(world, round_, 1)
    now = timezone.now()
    world._gusu_projects = {
        "round": round_.pk,
        "project": project.pk,
        "proposal": Proposal.objects.create(
            round=round_, tracking_code="GUSU0001", title="t", description="d", source="x"
        ).pk,
        "session": Session.objects.create(
            round=round_, kind="vote", method="electronic", title="s", starts_at=now, ends_at=now
        ).pk,
        "milestone": Milestone.objects.create(project=project, title="m", due=now.date()).pk,
        "step": "open",
    }
    return world._gusu_projects


# Joint-meeting URL parameters (staff pages and the staff API) → the object of 苏州工业园区's meeting they name (a zone
# 吴中区's staff do not reach; its question goes to 姑苏区's unit, so 吴中区's unit staff do not reach it either).
JOINT_PARAMS = {
    "meeting_pk": "meeting",
    "meeting_id": "meeting",
    "membership_pk": "membership",
    "topic_pk": "topic",
    "topic_id": "topic",
    "work_pk": "work",
    "work_id": "work",
}


def gusu_joint_objects(world) -> dict:
    from renda.jointmeetings.models import JointMeeting, Membership, Topic, Work

    if getattr(world, "_gusu_joint", None):
        return world._gusu_joint
    meeting = JointMeeting.objects.create(zone=world.park, name="园区人大代表联席会议")
    membership = Membership.objects.create(meeting=meeting, deputy=world.deputy_gs)
    topic = Topic.objects.create(
        meeting=meeting, month=datetime.date(2026, 5, 1), title="沧浪街道联动议题", status="published"
    )
    work = Work.objects.create(topic=topic, stream="inquiry", title="沧浪街道的询问", unit=world.gusu_unit)
    world._gusu_joint = {"meeting": meeting.pk, "membership": membership.pk, "topic": topic.pk, "work": work.pk}
    return world._gusu_joint


# Consultation URL parameters → 姑苏区's consultation meeting and the feedback its result asks of 姑苏区's unit.
CONSULTATION_PARAMS = {
    "consultation_pk": "meeting",
    "consultation_id": "meeting",
    "feedback_pk": "feedback",
    "feedback_id": "feedback",
}


def gusu_consultation_objects(world) -> dict:
    from django.utils import timezone

    from renda.activities.models import Activity, Invitation, Kind
    from renda.consultation.models import Feedback, Meeting, Result, Speech

    if getattr(world, "_gusu_consultation", None):
        return world._gusu_consultation
    now = timezone.now()
    activity = Activity.objects.create(
        region=world.gusu,
        body="cppcc",
        kind=Kind.objects.get(code="consultation"),
        title="沧浪街道双周协商座谈会",
        starts_at=now,
        ends_at=now,
        status="published",
    )
    meeting = Meeting.objects.create(activity=activity)
    Invitation.objects.create(activity=activity, member=world.member_gs)
    Speech.objects.create(meeting=meeting, member=world.member_gs, title="沧浪街道的发言", text="x")
    result = Result.objects.create(meeting=meeting, title="沧浪街道的建言成果", text="x", sent_at=now)
    feedback = Feedback.objects.create(result=result, unit=world.gusu_unit)
    world._gusu_consultation = {"meeting": meeting.pk, "feedback": feedback.pk}
    return world._gusu_consultation


def gusu_suggestion(world):
    """A suggestion of 姑苏区's deputy, filed in 姑苏区 and led by its unit: what a 吴中区 user must never reach."""
    from renda.suggestions.models import Category as SuggestionCategory
    from renda.suggestions.models import Suggestion
    from renda.suggestions.workflow import Kind, State

    if getattr(world, "_gusu_suggestion", None):
        return world._gusu_suggestion
    world._gusu_suggestion = Suggestion.objects.create(
        kind=Kind.CONGRESS,
        number="J-GUSU-1",
        year=2026,
        region=world.gusu,
        title="沧浪街道的建议",
        category=SuggestionCategory.objects.filter(kind=Kind.CONGRESS).first(),
        text="沧浪街道的建议正文",
        author=world.gusu_staff,
        submitter_name="顾测试",
        deputy=world.deputy_gs,
        status=State.ANSWERED,
        lead_unit=world.gusu_unit,
    )
    return world._gusu_suggestion


def gusu_reception_objects(world) -> dict:
    """A 姑苏区 reception day, roster slot, reception, duty and visit: what a 吴中区 user must never reach."""
    import datetime

    from renda.receptions.models import Absence, Campaign, Duty, Reception, RosterSlot, Visit

    if getattr(world, "_gusu_receptions", None):
        return world._gusu_receptions

    campaign = Campaign.objects.create(
        region=world.gusu,
        title="姑苏区接待日",
        date=datetime.date(2026, 12, 10),
        starts=datetime.time(9),
        ends=datetime.time(11),
    )
    reception = Reception.objects.create(
        station=world.canglang_home,
        date=campaign.date,
        starts=campaign.starts,
        ends=campaign.ends,
        kind="campaign",
        campaign=campaign,
    )
    duty = Duty.objects.create(reception=reception, deputy=world.deputy_gs, campaign=campaign)
    slot = RosterSlot.objects.create(
        station=world.canglang_home,
        weekday=2,
        starts=datetime.time(9),
        ends=datetime.time(11),
        valid_from=datetime.date(2026, 1, 1),
    )
    visit = Visit.objects.create(reception=reception, duty=duty, count=3)
    world._gusu_receptions = {
        "campaign_pk": campaign.pk,
        "reception_pk": reception.pk,
        "duty_pk": duty.pk,
        "slot_pk": slot.pk,
        "station_pk": world.canglang_home.pk,
        "deputy_pk": world.deputy_gs.pk,
        "visit_pk": visit.pk,
        "absence_pk": Absence.objects.create(
            deputy=world.deputy_gs, starts=campaign.date, ends=campaign.date, reason="出差"
        ).pk,
    }
    return world._gusu_receptions


def wuzhong_actor(world, namespace):
    """吴中区's user for the namespace: a system admin for account pages, an audit admin for the audit log, congress
    staff elsewhere."""
    roles = {"accounts": Role.SYSTEM_ADMIN, "audit": Role.AUDIT_ADMIN}
    if namespace in ("suggestions_unit", "jointmeetings_unit", "consultation_unit"):  # a unit's own: 吴中区's unit
        return world.unit_user
    if namespace not in roles:
        return world.wuzhong_staff
    admin = User.objects.create_user(f"wz_{namespace}", password="x")
    Grant.objects.create(user=admin, role=roles[namespace], region=world.wuzhong)
    return admin


def wuzhong_client(world, namespace):
    """The staff API takes a bearer token only; every other back-office page a session."""
    user = wuzhong_actor(world, namespace)
    if namespace == "api":
        return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user, 'walk')[1]}")
    return world.client(user)


def test_the_walk_finds_the_staff_views():
    names = {name for name, _ in PATTERNS}
    assert {
        "people:deputy_detail",
        "stations:edit",
        "regions:detail",
        "imports:detail",
        "accounts:user_detail",
        "audit:list",
        "open311_staff:revoke",
        "api_tokens:revoke",
        "backoffice:opinion_reveal_phone",
        "api:opinion_detail",
        "receptions:my_duty",
    } <= names


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_other_regions_objects_are_missing(world, name, pattern):
    params = list(pattern.pattern.converters)
    from django.urls import reverse

    namespace = name.split(":")[0]
    if not params:
        url = reverse(name)
        if namespace == "api":  # a token-only list: no token is 401; what a token lists is tested in renda/api/tests
            assert world.client(None).get(url).status_code in (401, 405), f"anonymous {url}"
            return
        # 405 (a POST-only view) answers before any login or scope check, so it reveals nothing either.
        assert world.client(None).get(url).status_code in (302, 405), f"anonymous {url}"
        assert world.client(world.outsider).get(url).status_code in (404, 405), f"outsider {url}"
        return
    url = reverse(name, kwargs=other_region_kwargs(world, name, params))
    client = wuzhong_client(world, namespace)
    for method in ("get", "post"):
        # The staff API validates a JSON body before it looks anything up: give one every endpoint accepts, so the
        # answer is about the object.
        body = {"data": API_BODY | {"category_id": Category.objects.first().pk}, "content_type": "application/json"}
        status = getattr(client, method)(url, **(body if namespace == "api" and method == "post" else {})).status_code
        # 405 answers before any lookup (wrong method), so it says nothing about the object either.
        assert status in (404, 405), f"{method.upper()} {url} as 吴中区 user: {status}"


# Fields of every staff API body (unknown fields are ignored by each endpoint's schema).
API_BODY = {
    "count": 1,
    "topics": "",
    "text": "沧浪街道的意见",
    "reason": "出差",
    "note": "",
    "latitude": None,
    "choices": {},  # a livelihood-project ballot
    "secret": "0123456789abcdef0123",
    "title": "沧浪街道",  # a joint meeting's linked work, a consultation speech
    "stream": "inquiry",  # a joint meeting's linked work
}


def page_text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = load_workbook(BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
        )
    return response.content.decode()


# Lists walked as 吴中区's congress staff (or audit admin). Account lists are a system admin's and the staff API's are
# JSON behind a token: both have their own scoped-list tests (renda/accounts/tests, renda/api/tests).
LISTS = [
    name
    for name, pattern in PATTERNS
    if not pattern.pattern.converters and name.split(":")[0] not in ("accounts", "api")
]


@pytest.mark.parametrize("name", LISTS)
def test_lists_and_exports_never_show_another_region(world, name):
    from django.urls import reverse

    submit(station=world.canglang_home, category=Category.objects.first(), text="沧浪街道代表之家门口路灯不亮")
    gusu_suggestion(world)  # its submitter 顾测试 must not show in 吴中区's suggestion lists either
    gusu_joint_objects(world)  # a zone 吴中区 does not reach, its question to 姑苏区's unit
    gusu_consultation_objects(world)  # 姑苏区's consultation meeting, 顾委员's speech, feedback of 姑苏区's unit

    actor = "suggestions_unit" if name == "suggestions:unit_inbox" else name.split(":")[0]
    response = wuzhong_client(world, actor).get(reverse(name))
    if response.status_code == 405:
        return  # a POST-only action, not a page
    if response.status_code != 200:
        pytest.fail(f"{name} answered {response.status_code} to its region's congress staff")
    text = page_text(response)
    leaked = [word for word in GUSU_ONLY if word in text]
    assert not leaked, f"{name} shows 姑苏区's {leaked}"
    # and the same page for 姑苏区's staff does show their own objects, so the check above means something
    if name in ("people:deputy_list", "stations:list", "people:unit_list", "people:member_list", "opinions:list"):
        own = page_text(world.client(world.gusu_staff).get(reverse(name)))
        assert any(word in own for word in GUSU_ONLY), f"{name} shows 姑苏区's staff nothing of their own"
