"""The demo's CPPCC consultation (协商议政) and members' studios (委员工作室): 吴中区's consultation topics of this
year, a 双周协商座谈会 held two weeks ago with invited members, their speeches and two results sent to units (one
answered), another meeting next week to which `member.demo` is invited; and two studios with members on duty.

Idempotent: if a consultation meeting exists, nothing is written. Deterministic; dates relative to today.
"""

import datetime
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from renda.activities.models import Activity, Body, Invitation, Kind, Status
from renda.consultation.access import addressable_units
from renda.consultation.models import Feedback, Form, Meeting, Result, Speech, Topic
from renda.core.codes import unique_code
from renda.demo.plan import demo_desk_phone, station_code
from renda.people.models import Member
from renda.regions.models import Region
from renda.stations.models import MemberAssignment, Station, StationKind
from renda.suggestions.models import MemberAccount

WUZHONG = "320506000000"
TOPICS = ["太湖生态保护与绿色发展", "推进乡村振兴示范区建设", "提升基层医疗服务能力", "优化民营经济发展环境"]
SPEECHES = [
    ("建立环太湖跨区域生态补偿机制", "建议市区两级共同设立生态补偿资金，按水质考核结果分配。"),
    ("以数字化提升生态监管效能", "建议整合水利、环保、农业监测数据，建设统一的太湖岸线监管平台。"),
    ("发展生态友好型乡村旅游", "建议制定民宿环保标准，引导游客绿色出行。"),
    ("加强渔民退捕后就业保障", "建议开发生态管护公益岗位，优先吸纳退捕渔民。"),
    ("推动茶果产业绿色转型", "建议推广生物防治，打响洞庭碧螺春区域公用品牌。"),
]
STUDIO_SERIAL = 99  # the demo's station codes per town end in a serial; the studio takes the last one
STUDIOS = [("320506108000", "木渎镇政协委员工作室"), ("320506113000", "东山镇政协委员工作室")]


@dataclass
class Summary:
    meetings: int = 0
    speeches: int = 0
    results: int = 0
    studios: int = 0
    skipped: bool = False
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"Demo consultation: already there, nothing written ({self.seconds:.1f} s)."]
        return [
            f"Demo consultation: {self.meetings} meetings, {self.speeches} speeches, {self.results} results, "
            f"{self.studios} members' studios in {self.seconds:.1f} s."
        ]


def _meeting(region, kind, title, form, starts, topics, members, status) -> Meeting:
    activity = Activity.objects.create(
        region=region,
        body=Body.CPPCC,
        kind=kind,
        title=title,
        theme="围绕年度协商计划议题建言资政。",
        place="吴中区政协会议室",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status=status,
        published_at=starts - datetime.timedelta(days=7),
        finished_at=starts + datetime.timedelta(hours=2) if status == Status.FINISHED else None,
        is_public=True,
    )
    meeting = Meeting.objects.create(activity=activity, form=form)
    meeting.topics.set(topics)
    Invitation.objects.bulk_create(
        [
            Invitation(activity=activity, member=m, answer="attend" if status == Status.FINISHED else "pending")
            for m in members
        ]
    )
    return meeting


def load_demo_consultation(*, now=None) -> Summary:
    started = time.perf_counter()
    summary = Summary()
    if Meeting.objects.exists():
        summary.skipped = True
        summary.seconds = time.perf_counter() - started
        return summary
    now = now or timezone.now()
    today = timezone.localdate(now)
    region = Region.objects.filter(code=WUZHONG).first()
    kind = Kind.objects.filter(code="consultation").first()
    if region is None or kind is None:
        summary.skipped = True
        return summary
    with transaction.atomic():
        topics = [
            Topic.objects.create(region=region, year=today.year, title=title, position=i, proposed_by="区政协办公室")
            for i, title in enumerate(TOPICS, start=1)
        ]
        demo = MemberAccount.objects.filter(user__username="member.demo").select_related("member").first()
        members = list(Member.objects.filter(region.subtree_q("region__path"), is_active=True).order_by("id")[:12])
        if demo is not None and demo.member not in members:
            members = [demo.member, *members[:11]]
        held = _meeting(
            region,
            kind,
            "双周协商座谈会：太湖生态保护与绿色发展",
            Form.BIWEEKLY,
            now - datetime.timedelta(days=14),
            topics[:1],
            members[:8],
            Status.FINISHED,
        )
        _meeting(
            region,
            kind,
            "专题协商会：推进乡村振兴示范区建设",
            Form.THEMATIC,
            now + datetime.timedelta(days=7),
            topics[1:2],
            members[:10],
            Status.PUBLISHED,
        )
        summary.meetings += 2
        speakers = [m for m in members[:8] if demo is None or m != demo.member][: len(SPEECHES)]
        Speech.objects.bulk_create(
            [
                Speech(meeting=held, member=member, title=title, text=text, order=i)
                for i, (member, (title, text)) in enumerate(zip(speakers, SPEECHES, strict=False), start=1)
            ]
        )
        summary.speeches += len(speakers)
        units = list(addressable_units(region).order_by("id")[:3])
        for i, (title, text) in enumerate(
            [
                ("关于建立环太湖生态补偿机制的建议", "综合委员发言，建议市区共建生态补偿资金……"),
                ("关于加强退捕渔民就业保障的建议", "建议开发生态管护岗位……"),
            ]
        ):
            result = Result.objects.create(
                meeting=held, title=title, text=text, sent_at=now - datetime.timedelta(days=10)
            )
            summary.results += 1
            Feedback.objects.bulk_create(
                [
                    Feedback(
                        result=result,
                        unit=unit,
                        due=today + datetime.timedelta(days=20),
                        text="已研究，将纳入明年工作计划。" if i == 0 and j == 0 else "",
                        answered_at=now - datetime.timedelta(days=2) if i == 0 and j == 0 else None,
                    )
                    for j, unit in enumerate(units)
                ]
            )
        for code, name in STUDIOS:
            town = Region.objects.filter(code=code).first()
            if town is None or Station.objects.filter(region=town, name=name).exists():
                continue
            near = Station.objects.filter(region=town, latitude__isnull=False).order_by("id").first()
            code = station_code(town.code, STUDIO_SERIAL)
            studio = Station.objects.create(
                name=name,
                kind=StationKind.STUDIO,
                region=town,
                address=f"苏州市吴中区{town.name}政协委员工作室",
                latitude=near.latitude + Decimal("0.002") if near else None,
                longitude=near.longitude + Decimal("0.002") if near else None,
                opening_hours="工作日 9:00–17:00",
                reception_hours="每月第二个周四 14:00–16:00",
                theme="委员履职 服务群众",
                phone=demo_desk_phone(code),
                public_code=code if not Station.objects.filter(public_code=code).exists() else unique_code(Station),
            )
            summary.studios += 1
            on_duty = members[summary.studios * 3 : summary.studios * 3 + 3] or members[:3]
            MemberAssignment.objects.bulk_create([MemberAssignment(station=studio, member=m) for m in on_duty])
    summary.seconds = time.perf_counter() - started
    return summary
