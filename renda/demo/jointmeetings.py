"""The demo's development-zone joint meetings (一题四联): 苏州太湖国家旅游度假区's meeting with a topic for each of
the last 12 months (relative to the day of the run) and, under each, the four linked streams — a joint inspection
with a problem item taken up, a question to a unit (answered for past months), an information report (adopted for
some) — plus the month's sitting as an activity; and 吴中经济技术开发区's meeting with its members and three topics.

Idempotent: if a joint meeting exists, nothing is written. Deterministic; dates relative to today.
"""

import datetime
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.activities.models import Activity, Kind, OrganiserKind, ProblemItem
from renda.jointmeetings.access import addressable_units, eligible_deputies
from renda.jointmeetings.models import JointMeeting, Membership, ReportLevel, Stream, Topic, Work, WorkStatus
from renda.jointmeetings.workflow import TopicStatus
from renda.regions.models import Region

RESORT = "320590000000"
WUZHONG_ZONE = "320591000000"
MEMBERS = 12
TOPICS = [
    "太湖生态岸线保护",
    "乡村民宿规范管理",
    "景区交通微循环",
    "农文旅融合发展",
    "碧螺春茶产业提质",
    "古村落保护利用",
    "农村生活污水治理",
    "游客服务中心建设",
    "渔民上岸安置保障",
    "山林防火与安全",
    "文旅消费新场景",
    "湖鲜产业链延伸",
]
SUPERVISION_KINDS = ["inspection", "law_check", "inquiry"]


@dataclass
class Summary:
    meetings: int = 0
    topics: int = 0
    works: int = 0
    skipped: bool = False
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"Demo joint meetings: already there, nothing written ({self.seconds:.1f} s)."]
        return [
            f"Demo joint meetings: {self.meetings} meetings, {self.topics} monthly topics, {self.works} linked works "
            f"in {self.seconds:.1f} s."
        ]


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the last `count` months, oldest first, the current month last."""
    first = today.replace(day=1)
    months = []
    for back in range(count):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(datetime.date(year, month + 1, 1))
    return months[::-1]


def _meeting(zone, name, description) -> JointMeeting:
    meeting = JointMeeting.objects.create(zone=zone, name=name, description=description)
    deputies = list(eligible_deputies(meeting).order_by("level", "id")[:MEMBERS])
    Membership.objects.bulk_create(
        [
            Membership(
                meeting=meeting, deputy=deputy, role=Membership.Role.CONVENER if i == 0 else Membership.Role.MEMBER
            )
            for i, deputy in enumerate(deputies)
        ]
    )
    return meeting


def _activity(zone, kind, title, starts, status="finished") -> Activity:
    return Activity.objects.create(
        region=zone,
        kind=kind,
        organiser_kind=OrganiserKind.JOINT_MEETING,
        title=title,
        place=f"{zone.name}人大工委",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status=status,
        published_at=starts - datetime.timedelta(days=3),
        finished_at=starts + datetime.timedelta(hours=2) if status == "finished" else None,
    )


def _topics(summary, meeting, months, titles, now):
    zone = meeting.zone
    kinds = {kind.code: kind for kind in Kind.objects.filter(code__in=[*SUPERVISION_KINDS, "meeting"])}
    owners = [m.deputy for m in meeting.memberships.select_related("deputy").order_by("id")]
    units = list(addressable_units(meeting).order_by("region__depth", "id")[:6])
    tz = timezone.get_current_timezone()
    for i, (month, title) in enumerate(zip(months, titles, strict=False)):
        current = i == len(months) - 1
        status = TopicStatus.PUBLISHED if current else TopicStatus.CLOSED
        published = timezone.make_aware(datetime.datetime.combine(month, datetime.time(9)), tz)
        topic = Topic.objects.create(
            meeting=meeting,
            month=month,
            title=title,
            description=f"围绕“{title}”开展监督联动、询问联通、事项联办、信息联报。",
            status=status,
            published_at=published,
            closed_at=None if current else published + datetime.timedelta(days=27),
        )
        summary.topics += 1
        sitting_day = min(published + datetime.timedelta(days=5), now - datetime.timedelta(hours=3))
        _activity(zone, kinds["meeting"], f"{month:%Y年%m月}联席会议：{title}", sitting_day)
        kind = kinds[SUPERVISION_KINDS[i % len(SUPERVISION_KINDS)]]
        inspected = _activity(zone, kind, f"{kind.name}：{title}", sitting_day + datetime.timedelta(days=3))
        if inspected.starts_at > now:
            inspected.status, inspected.finished_at = "published", None
            inspected.save(update_fields=["status", "finished_at"])
        item = ProblemItem.objects.create(
            activity=inspected,
            number=1,
            raised_by_kind="enterprise" if i % 2 else "resident",
            raised_by="某民宿经营户" if i % 2 else "沿湖村民",
            text=f"{title}中反映的突出问题，请有关部门协调解决。",
            place=zone.name,
        )
        owner = owners[i % len(owners)] if owners else None
        due = month + datetime.timedelta(days=25)
        done = {"status": WorkStatus.OPEN if current else WorkStatus.DONE, "done_at": None if current else now}
        works = [
            Work(topic=topic, stream=Stream.SUPERVISION, title=f"联合{kind.name}", activity=inspected, **done),
            Work(topic=topic, stream=Stream.MATTER, title=item.text[:60], problem=item, **done),
            Work(
                topic=topic,
                stream=Stream.REPORT,
                title=f"关于{title}的情况报告",
                sent_to=ReportLevel.CITY if i % 2 else ReportLevel.DISTRICT,
                sent_on=due,
                adopted=None if current else i % 3 != 0,
                adopted_level=(ReportLevel.CITY if i % 2 else ReportLevel.DISTRICT) if not current and i % 3 else "",
                adopted_on=due + datetime.timedelta(days=10) if not current and i % 3 else None,
                **done,
            ),
        ]
        if units:
            unit = units[i % len(units)]
            works.append(
                Work(
                    topic=topic,
                    stream=Stream.INQUIRY,
                    title=f"询问{unit.name}：{title}工作进展",
                    unit=unit,
                    answer="" if current else f"我单位已将{title}列入年度重点工作，正在推进。",
                    answered_at=None if current else published + datetime.timedelta(days=15),
                    **done,
                )
            )
        for work in works:
            work.owner, work.due = owner, due
        Work.objects.bulk_create(works)
        summary.works += len(works)


# The demo login who sits on the resort's meeting (renda/demo/logins.py), to show a member deputy's pages.
MEMBER_LOGIN = "deputy.taihu"


def _seat_member_login(meeting) -> None:
    """Make the member login's deputy a member of `meeting` (idempotent; only if eligible, as the office's form
    would require)."""
    user = User.objects.filter(username=MEMBER_LOGIN).select_related("deputy").first()
    deputy = getattr(user, "deputy", None) if user is not None else None
    if deputy is not None and eligible_deputies(meeting).filter(pk=deputy.pk).exists():
        Membership.objects.get_or_create(meeting=meeting, deputy=deputy)


def load_demo_joint_meetings(*, now=None) -> Summary:
    started = time.perf_counter()
    summary = Summary()
    if JointMeeting.objects.exists():
        resort = JointMeeting.objects.filter(zone__code=RESORT).first()
        if resort is not None:
            _seat_member_login(resort)
        summary.skipped = True
        summary.seconds = time.perf_counter() - started
        return summary
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        resort = Region.objects.filter(code=RESORT).first()
        if resort is not None:
            meeting = _meeting(
                resort, "苏州太湖国家旅游度假区人大代表联席会议", "度假区与金庭、东山、光福、香山“1+4”代表联席会议。"
            )
            _seat_member_login(meeting)
            summary.meetings += 1
            _topics(summary, meeting, _months_back(today, 12), TOPICS, now)
        zone = Region.objects.filter(code=WUZHONG_ZONE).first()
        if zone is not None:
            meeting = _meeting(zone, "吴中经济技术开发区人大代表联席会议", "开发区代表联席会议。")
            summary.meetings += 1
            _topics(summary, meeting, _months_back(today, 3), ["优化营商环境", "产业园区配套", "企业用工保障"], now)
    summary.seconds = time.perf_counter() - started
    return summary
