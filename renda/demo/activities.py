"""The demo's activities: last year's 人大代表助民企 campaign across the city — activities in every district, with
invitations, answers and attendance, and about 300 problem items in every state (recorded, listed, not taken up,
linked to a suggestion, pushed to handling as opinions that are in various states of the opinion workflow) — and an
activity this week to which `deputy.demo` is invited.

The campaign is written once (skipped if it exists). The activity of this week is brought up to date on every run:
moved to tomorrow afternoon, published, deputy.demo's answer reset so the demo can answer it. Deterministic (seed
2026); dates are relative to the day of the run.
"""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.activities.models import (
    Activity,
    Answer,
    Attendance,
    Campaign,
    Invitation,
    Kind,
    ProblemItem,
    ProblemStatus,
    RaisedBy,
    Status,
)
from renda.audit.actions import record
from renda.opinions.actions import submit
from renda.opinions.models import Category, Opinion
from renda.opinions.workflow import Rating
from renda.opinions.workflow import State as OpinionState
from renda.people.models import Deputy
from renda.regions.models import Region, RegionKind
from renda.workdays.calendar import CHINA

SEED = 2026
CITY = "320500000000"
CAMPAIGN = "人大代表助民企"
THIS_WEEK = "人大代表进企业：营商环境座谈会"
DEFAULT_ITEMS = 300
PROBLEMS = [
    ("企业招工难，技术工人缺口大", "经济发展"),
    ("园区道路破损，货车通行不便", "城乡建设"),
    ("融资担保门槛高，贷款审批慢", "经济发展"),
    ("企业周边公交线路少，职工通勤难", "交通出行"),
    ("污水管网接入排队时间长", "生态环境"),
    ("厂房消防验收流程不清", "城乡建设"),
    ("人才公寓配套不足", "社会保障"),
    ("企业用电增容审批周期长", "经济发展"),
    ("夜间施工噪声扰民投诉多", "生态环境"),
    ("职工子女入学政策咨询渠道少", "教育科技"),
]
ENTERPRISES = ["精密机械有限公司", "电子科技有限公司", "纺织有限公司", "食品有限公司", "新材料有限公司", "物流有限公司"]
# Problem item state → weight; pushed items then spread over the opinion workflow's states.
ITEM_STATES = [
    (ProblemStatus.RECORDED, 10), (ProblemStatus.LISTED, 15), (ProblemStatus.DROPPED, 8),
    (ProblemStatus.LINKED, 5), (ProblemStatus.PUSHED, 62),
]  # fmt: skip
OPINION_STATES = [
    (OpinionState.SUBMITTED, 6), (OpinionState.ACCEPTED, 8), (OpinionState.HANDLING, 10),
    (OpinionState.FORWARDED, 14), (OpinionState.UNIT_REPLIED, 6), (OpinionState.CLOSED, 16),
    (OpinionState.FINAL, 36), (OpinionState.REOPENED, 4),
]  # fmt: skip


@dataclass
class Summary:
    activities: int = 0
    items: int = 0
    opinions: int = 0
    skipped: bool = False
    this_week: str = ""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        first = (
            "Demo activities: the campaign is already there, nothing written"
            if self.skipped
            else f"Demo activities: {self.activities} activities of last year's {CAMPAIGN}, {self.items} problem items "
            f"({self.opinions} pushed to handling as opinions)"
        )
        return [f"{first}; this week's activity for deputy.demo: {self.this_week} ({self.seconds:.1f} s)."]


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _local(day, hour):
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA)


def load_demo_activities(items: int = DEFAULT_ITEMS, *, now=None) -> Summary:
    started = time.perf_counter()
    now = now or timezone.now()
    summary = Summary()
    city = Region.objects.filter(code=CITY).first()
    if city is None:
        summary.skipped = True
        summary.seconds = time.perf_counter() - started
        return summary
    staff = User.objects.filter(username="suzhou").first()
    with transaction.atomic():
        if Campaign.objects.filter(region=city, title=CAMPAIGN, year=now.year - 1).exists():
            summary.skipped = True
        else:
            _campaign(random.Random(SEED), city, staff, now, items, summary)
        summary.this_week = _this_week(now, staff)
        record(None, "demo.activities", None, changes={"activities": summary.activities, "items": summary.items})
    summary.seconds = time.perf_counter() - started
    return summary


def _campaign(rng, city, staff, now, n_items, summary):
    year = now.year - 1
    campaign = Campaign.objects.create(
        region=city,
        title=CAMPAIGN,
        year=year,
        description="五级人大代表联动走访企业，收集企业困难和诉求，形成问题清单并推送交办。",
    )
    districts = list(Region.objects.filter(parent=city, kind=RegionKind.DISTRICT).order_by("path"))
    kinds = {k.code: k for k in Kind.objects.all()}
    categories = {c.name: c for c in Category.objects.all()} or {}
    fallback = Category.objects.order_by("position", "id").first()
    activities = []
    for d_index, district in enumerate(districts):
        deputies = list(
            Deputy.objects.filter(is_active=True, electoral_region__path__startswith=district.path).order_by("pk")[:40]
        )
        for n in range(3):
            day = datetime(year, 3 + 3 * n, 5 + d_index % 20).date()
            starts = _local(day, 9)
            activity = Activity.objects.create(
                region=district,
                kind=kinds["theme" if n != 1 else "research"],
                campaign=campaign,
                title=f"{CAMPAIGN}：{district.name}第{n + 1}次走访",
                theme="走访辖区企业，听取企业生产经营中遇到的困难和问题。",
                place=f"{district.name}企业服务中心",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                status=Status.FINISHED,
                is_public=True,
                published_at=starts - timedelta(days=7),
                finished_at=starts + timedelta(hours=4),
                findings="企业普遍反映用工、融资、配套设施等方面的困难。",
                report=f"{district.name}人大代表分组走访企业，现场收集问题，已汇总形成问题清单。",
                created_by=staff,
            )
            invited = rng.sample(deputies, min(len(deputies), 8))
            rows = []
            for deputy in invited:
                roll = rng.random()
                answer = Answer.ATTEND if roll < 0.85 else Answer.EXCUSED
                attendance = Attendance.PRESENT if answer == Answer.ATTEND else Attendance.EXCUSED
                if answer == Answer.ATTEND and roll > 0.8:
                    attendance = Attendance.ABSENT
                rows.append(
                    Invitation(
                        activity=activity,
                        deputy=deputy,
                        answer=answer,
                        reason="工作冲突" if answer == Answer.EXCUSED else "",
                        answered_at=starts - timedelta(days=2),
                        attendance=attendance,
                        recorded_by=staff,
                        recorded_at=starts + timedelta(hours=4),
                    )
                )
            Invitation.objects.bulk_create(rows)
            present = [i.deputy for i in rows if i.attendance == Attendance.PRESENT]
            activities.append((activity, present))
            summary.activities += 1
    if not activities:
        return
    from renda.suggestions.models import Suggestion

    suggestions = list(Suggestion.objects.order_by("pk")[:50])
    for i in range(n_items):
        activity, present = activities[i % len(activities)]
        deputy = present[i % len(present)] if present else None
        text, category_name = PROBLEMS[rng.randrange(len(PROBLEMS))]
        category = categories.get(category_name) or fallback
        state = _pick(rng, ITEM_STATES)
        if state == ProblemStatus.LINKED and not suggestions:
            state = ProblemStatus.LISTED
        number = activity.problems.count() + 1
        item = ProblemItem.objects.create(
            activity=activity,
            number=number,
            recorded_by_deputy=deputy,
            recorded_by=deputy.user if deputy is not None and deputy.user_id else None,
            raised_by_kind=RaisedBy.ENTERPRISE if rng.random() < 0.85 else RaisedBy.RESIDENT,
            raised_by=f"{activity.region.name[:2]}{rng.choice(ENTERPRISES)}",
            text=text,
            place=activity.place,
            category=category,
            status=state,
            drop_reason="属于企业内部经营事项" if state == ProblemStatus.DROPPED else "",
        )
        summary.items += 1
        pushed_at = activity.finished_at + timedelta(days=rng.randint(1, 10))
        if state == ProblemStatus.LINKED:
            item.suggestion = suggestions[i % len(suggestions)]
            item.pushed_by, item.pushed_at = staff, pushed_at
            item.save(update_fields=["suggestion", "pushed_by", "pushed_at"])
        elif state == ProblemStatus.PUSHED and category is not None:
            opinion = submit(
                deputy=deputy,
                region=activity.region,
                category=category,
                text=f"{text}\n（企业：{item.raised_by}）",
                place=item.place,
                client_token=f"activity-problem-{item.pk}",
            ).opinion
            _age_opinion(rng, opinion, pushed_at)
            item.opinion = opinion
            item.pushed_by, item.pushed_at = staff, pushed_at
            item.save(update_fields=["opinion", "pushed_by", "pushed_at"])
            summary.opinions += 1


def _age_opinion(rng, opinion, pushed_at):
    """Put the pushed opinion where a year of handling would have left it (dates included)."""
    state = _pick(rng, OPINION_STATES)
    fields = {"status": state, "created": pushed_at, "due_at": None}
    if state in (OpinionState.CLOSED, OpinionState.FINAL):
        fields["closed_at"] = pushed_at + timedelta(days=rng.randint(5, 45))
    if state == OpinionState.FINAL:
        fields["rating"] = rng.choice([Rating.SATISFIED, Rating.SATISFIED, Rating.BASICALLY, Rating.DISSATISFIED])
    Opinion.objects.filter(pk=opinion.pk).update(**fields)
    opinion.events.update(created=pushed_at)


def _this_week(now, staff) -> str:
    """Tomorrow afternoon (China time), published, deputy.demo invited and not yet answered."""
    demo = User.objects.filter(username="deputy.demo").select_related("deputy__electoral_region").first()
    deputy = getattr(demo, "deputy", None) if demo is not None else None
    if deputy is None:
        return "deputy.demo missing, nothing written"
    region = deputy.electoral_region
    tomorrow = now.astimezone(CHINA).date() + timedelta(days=1)
    starts = _local(tomorrow, 14)
    activity = Activity.objects.filter(title=THIS_WEEK, region=region, created_by=staff).first()
    if activity is None:
        activity = Activity.objects.create(
            region=region,
            kind=Kind.objects.get(code="theme"),
            title=THIS_WEEK,
            theme="邀请辖区企业负责人座谈，听取对优化营商环境的意见建议。",
            place=f"{region.name}为民服务中心三楼会议室",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            status=Status.PUBLISHED,
            is_public=True,
            published_at=now,
            created_by=staff,
        )
        others = Deputy.objects.filter(is_active=True, electoral_region=region).exclude(pk=deputy.pk)
        Invitation.objects.bulk_create(
            [Invitation(activity=activity, deputy=d) for d in [deputy, *others.order_by("pk")[:5]]]
        )
    else:
        Activity.objects.filter(pk=activity.pk).update(
            starts_at=starts, ends_at=starts + timedelta(hours=2), status=Status.PUBLISHED, finished_at=None
        )
        activity.invitations.filter(deputy=deputy).update(
            answer=Answer.PENDING, reason="", answered_at=None, attendance=Attendance.UNKNOWN
        )
    return f"{THIS_WEEK} {starts:%Y-%m-%d %H:%M}"
