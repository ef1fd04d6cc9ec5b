"""The demo's livelihood projects: 吴中经济技术开发区's joint meeting (联席会议) with two finished rounds — 64 projects
voted and evaluated over two years, as the article says — and this year's round in voting, with a session open today
so that `deputy.demo` can vote from a phone.

Every step goes through the app's actions (proposals, screening, the candidate list, sessions, counts, sign-off,
results, evaluation), so the rounds' public histories are complete; the finished rounds were voted on paper and their
counts add up. Events of the finished rounds are then dated back into their phases. Milestones, reports and visits of
finished projects are written in bulk. Idempotent: nothing is written if the zone already has a round. Deterministic
(seed 2026); dates relative to the day of the run.
"""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from renda.accounts.models import User
from renda.audit.actions import record
from renda.projects.access import entitled_deputies, lead_units
from renda.projects.actions import candidates, proposals, rounds, sessions, voting
from renda.projects.ballots import new_secret
from renda.projects.counting import ballot_projects
from renda.projects.models import (
    Body,
    Method,
    Milestone,
    ProgressReport,
    ProposalStatus,
    Result,
    Round,
    RoundEvent,
    SessionKind,
    SetAsideReason,
    SupervisionVisit,
)
from renda.projects.phases import DATED, Phase
from renda.projects.phases import Role as R
from renda.projects.rules import PaperCount
from renda.regions.models import Region, RegionKind, path_range_q
from renda.workdays.calendar import CHINA

SEED = 2026
ZONE = "320591000000"  # 吴中经济技术开发区
WUZHONG = "320506000000"
PLACES = 32  # 2 × 32 = 64 projects voted and evaluated
CANDIDATES = 40
CURRENT_PLACES = 10
CURRENT_CANDIDATES = 20  # "20 for 10"
STAFF = {R.STAFF, R.PUBLIC}
DEPUTY = {R.DEPUTY, R.PUBLIC}
KINDS = [
    "老旧小区加装电梯",
    "社区养老服务中心",
    "学校周边交通改善",
    "菜市场提档升级",
    "背街小巷整治",
    "口袋公园建设",
    "农贸市场改造",
    "公共停车位增设",
    "河道综合治理",
    "雨污分流改造",
    "社区卫生服务站",
    "婴幼儿托育点",
    "健身步道建设",
    "公交线路优化",
    "路灯亮化工程",
    "垃圾分类驿站",
    "老年助餐点",
    "非机动车棚改造",
    "积水点改造",
    "社区图书馆",
]
PLACES_NAMES = ["郭巷", "城南", "长桥", "越溪", "木渎", "尹山湖", "吴中大道", "东方大道", "宝带", "龙西"]


@dataclass
class Summary:
    rounds: int = 0
    projects: int = 0
    proposals: int = 0
    skipped: str = ""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"Demo projects: {self.skipped} ({self.seconds:.1f} s)."]
        return [
            f"Demo projects: {self.rounds} rounds of 吴中经济技术开发区, {self.proposals} proposals, "
            f"{self.projects} candidate projects, a session open today for deputy.demo ({self.seconds:.1f} s)."
        ]


def _dates(start) -> dict:
    lengths = {
        Phase.SOLICITATION: 31,
        Phase.SCREENING: 20,
        Phase.CANDIDATES: 20,
        Phase.VOTING: 10,
        Phase.RESULTS: 10,
        Phase.IMPLEMENTATION: 240,
        Phase.EVALUATION: 20,
    }
    dates, day = {}, start
    for phase in DATED:
        dates[phase] = (day, day + timedelta(days=lengths[phase] - 1))
        day += timedelta(days=lengths[phase])
    return dates


def _electorate(zone, deputy):
    """The joint meeting's towns ("1+4"): the demo deputy's town and four other towns of 吴中区."""
    towns = list(
        Region.objects.filter(path_range_q(Region.objects.get(code=WUZHONG).path))
        .filter(kind__in=[RegionKind.TOWN, RegionKind.STREET])
        .exclude(pk=deputy.electoral_region_id)
        .order_by("code")[:4]
    )
    return [deputy.electoral_region, *towns]


def _title(rng, used):
    while True:
        title = f"{rng.choice(PLACES_NAMES)}{rng.choice(KINDS)}"
        if title not in used:
            used.add(title)
            return title


def _propose_and_screen(rng, round_, staff, units, count, summary, now):
    """Constituents' and deputies' proposals through the actions; then screened: most accepted, some merged or
    set aside with a reason. Returns the accepted ones."""
    used: set[str] = set()
    made = []
    for _ in range(count):
        title = _title(rng, used)
        made.append(
            proposals.propose(
                round_,
                role=R.PUBLIC,
                roles={R.PUBLIC},
                title=title,
                description=f"建议在{title[:2]}实施{title[2:]}，方便周边群众。",
                place=f"吴中经济技术开发区{title[:2]}",
                reason="群众反映强烈，需求迫切。",
            )
        )
        for _ in range(rng.randint(0, 6)):
            proposals.support(made[-1])
    summary.proposals += len(made)
    rounds.advance(staff, round_, STAFF, now=now)
    accepted = []
    for proposal in made:
        roll = rng.random()
        if roll < 0.12 and accepted:
            proposals.screen(staff, proposal, STAFF, decision=ProposalStatus.MERGED, merged_into=rng.choice(accepted))
        elif roll < 0.22:
            reason = rng.choice(SetAsideReason.values)
            proposals.screen(
                staff, proposal, STAFF, decision=ProposalStatus.SET_ASIDE, reason=reason, note="经研究暂不列入。"
            )
        else:
            proposals.screen(staff, proposal, STAFF, decision=ProposalStatus.ACCEPTED, note="纳入项目库。")
            accepted.append(proposal)
    rounds.advance(staff, round_, STAFF, now=now)
    return accepted


def _candidates(rng, round_, staff, units, accepted, count, summary):
    for n in range(count):
        source = accepted[n % len(accepted)]
        candidates.add_project(
            staff,
            round_,
            STAFF,
            title=source.title,
            description=source.description,
            budget=Decimal(rng.randrange(50, 2000)),
            lead_unit=rng.choice(units),
            timeline=f"{round_.year}年3月—{round_.year}年12月",
            proposals=[source],
        )
    summary.projects += count
    candidates.publish_candidates(staff, round_, STAFF)
    rounds.advance(staff, round_, STAFF)


def _prepare(round_, staff, kind, method, scrutineers, starts_at, ends_at, title):
    session = sessions.prepare_session(
        staff,
        round_,
        STAFF,
        kind=kind,
        method=method,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        scrutineers=scrutineers,
        counters=["开发区人大工委工作人员甲", "开发区人大工作人员乙"],
    )
    sessions.open_session(staff, session, STAFF)
    return session


def _present(rng, session, staff, keep=()):
    roll = list(session.roll.values_list("deputy_id", flat=True))
    present = [pk for pk in roll if pk in keep or rng.random() < 0.92]
    sessions.record_presence(staff, session, STAFF, present)
    sessions.start_voting(staff, session, STAFF)
    return len(present)


def _paper_vote(rng, session, places, present) -> PaperCount:
    """A paper count that adds up: the first `places` candidates (in a shuffled order) get most votes."""
    valid = present - 1
    projects = list(ballot_projects(session))
    rng.shuffle(projects)
    lines = {}
    for rank, project in enumerate(projects):
        share = rng.uniform(0.62, 0.9) if rank < places else rng.uniform(0.15, 0.42)
        votes_for = int(valid * share)
        against = rng.randint(0, valid - votes_for)
        lines[project.pk] = {"for": votes_for, "against": against, "abstain": valid - votes_for - against}
    return PaperCount(present, present, valid, 1, 0, lines)


def _paper_evaluation(rng, session, present) -> PaperCount:
    valid = present
    lines = {}
    for project in ballot_projects(session):
        mood = rng.random()
        if mood < 0.08:  # a few disappoint: on the follow-up list
            satisfied, basic = int(valid * 0.2), int(valid * 0.2)
        elif mood < 0.25:
            satisfied, basic = int(valid * 0.4), int(valid * 0.35)
        else:
            satisfied, basic = int(valid * rng.uniform(0.6, 0.85)), int(valid * 0.1)
        unsatisfied = rng.randint(0, valid - satisfied - basic)
        lines[project.pk] = {
            "satisfied": satisfied,
            "basic": basic,
            "unsatisfied": unsatisfied,
            "abstain": valid - satisfied - basic - unsatisfied,
        }
    return PaperCount(present, present, valid, 0, 0, lines)


def _count_sign_publish(session, staff, count, scrutineers):
    sessions.close_voting(staff, session, STAFF)
    sessions.enter_paper_count(staff, session, STAFF, count)
    for deputy in scrutineers:
        sessions.sign_off(deputy.user, session, DEPUTY, deputy)
    sessions.publish_results(staff, session, STAFF)


def _implement(rng, round_, dates):
    """Finished projects' milestones (all done), a report each and a deputy's visit, in bulk."""
    elected = list(round_.projects.filter(result=Result.ELECTED).select_related("lead_unit"))
    start, end = dates[Phase.IMPLEMENTATION]
    milestones, reports, visits = [], [], []
    for project in elected:
        for n, (title, weight) in enumerate((("方案设计", 1), ("招标采购", 1), ("施工建设", 3), ("竣工验收", 1))):
            due = start + timedelta(days=40 * (n + 1))
            milestones.append(
                Milestone(project=project, title=title, due=due, weight=weight, done_on=due - timedelta(days=3))
            )
        reports.append(
            ProgressReport(project=project, text="项目已全部完工并投入使用。", public_author=project.lead_unit.name)
        )
        visits.append(
            SupervisionVisit(
                project=project,
                visited_on=end - timedelta(days=rng.randint(5, 60)),
                findings="现场察看，项目按期推进，群众反映良好。",
            )
        )
    Milestone.objects.bulk_create(milestones)
    ProgressReport.objects.bulk_create(reports)
    SupervisionVisit.objects.bulk_create(visits)


def _backdate(round_, dates):
    """Spread the finished round's history over its phases (the actions wrote it today)."""
    start = datetime.combine(dates[Phase.SOLICITATION][0], datetime.min.time(), tzinfo=CHINA)
    end = datetime.combine(dates[Phase.EVALUATION][1], datetime.min.time(), tzinfo=CHINA)
    events = list(RoundEvent.objects.filter(round=round_).order_by("id").values_list("id", flat=True))
    step = (end - start) / max(len(events), 1)
    for n, pk in enumerate(events):
        RoundEvent.objects.filter(pk=pk).update(created=start + step * n + timedelta(hours=9))


def _finished_round(rng, zone, electorate, staff, units, scrutineers, year, summary):
    dates = _dates(datetime(year, 1, 5).date())
    round_ = rounds.create_round(
        staff,
        region=zone,
        year=year,
        title=f"吴中经济技术开发区{year}年民生实事项目",
        places=PLACES,
        dates=dates,
        body=Body.JOINT_MEETING,
    )
    round_.electorate.set(electorate)
    after_solicitation = datetime.combine(dates[Phase.SCREENING][0], datetime.min.time(), tzinfo=CHINA)
    accepted = _propose_and_screen(rng, round_, staff, units, 60, summary, after_solicitation)
    _candidates(rng, round_, staff, units, accepted, CANDIDATES, summary)
    vote_day = datetime.combine(dates[Phase.VOTING][0], datetime.min.time(), tzinfo=CHINA)
    session = _prepare(
        round_,
        staff,
        SessionKind.VOTE,
        Method.PAPER,
        scrutineers,
        vote_day + timedelta(hours=9),
        vote_day + timedelta(hours=11),
        "开发区人大代表联席会议（民生实事项目票决）",
    )
    present = _present(rng, session, staff)
    _count_sign_publish(session, staff, _paper_vote(rng, session, PLACES, present), scrutineers)
    round_ = Round.objects.get(pk=round_.pk)
    rounds.advance(staff, round_, STAFF)  # results
    if round_.projects.filter(result=Result.TIE).exists():
        tied = list(round_.projects.filter(result=Result.TIE))
        free = PLACES - round_.projects.filter(result=Result.ELECTED).count()
        sessions.decide_tie(staff, round_, STAFF, elected=tied[:free], note="联席会议对同票项目再次表决")
    rounds.advance(staff, round_, STAFF)  # implementation
    _implement(rng, round_, dates)
    rounds.advance(staff, round_, STAFF)  # evaluation
    eval_day = datetime.combine(dates[Phase.EVALUATION][0], datetime.min.time(), tzinfo=CHINA)
    session = _prepare(
        round_,
        staff,
        SessionKind.EVALUATION,
        Method.PAPER,
        scrutineers,
        eval_day + timedelta(hours=9),
        eval_day + timedelta(hours=11),
        "开发区人大代表联席会议（民生实事项目满意度测评）",
    )
    present = _present(rng, session, staff)
    _count_sign_publish(session, staff, _paper_evaluation(rng, session, present), scrutineers)
    rounds.advance(staff, Round.objects.get(pk=round_.pk), STAFF)  # closed
    _backdate(round_, dates)
    summary.rounds += 1


def _current_round(rng, zone, electorate, staff, units, scrutineers, demo_deputy, now, summary):
    today = now.astimezone(CHINA).date()
    year = today.year
    # Solicitation 31 days and more ago, the session today.
    start = today - timedelta(days=31 + 20 + 20)
    dates = _dates(start)
    round_ = rounds.create_round(
        staff,
        region=zone,
        year=year,
        title=f"吴中经济技术开发区{year}年民生实事项目",
        places=CURRENT_PLACES,
        dates=dates,
        body=Body.JOINT_MEETING,
        min_ratio=Decimal("2.0"),
    )
    round_.electorate.set(electorate)
    accepted = _propose_and_screen(rng, round_, staff, units, 30, summary, now)
    _candidates(rng, round_, staff, units, accepted, CURRENT_CANDIDATES, summary)
    midnight = datetime.combine(today, datetime.min.time(), tzinfo=CHINA)
    session = _prepare(
        round_,
        staff,
        SessionKind.VOTE,
        Method.MIXED,
        scrutineers,
        midnight,
        midnight + timedelta(hours=23, minutes=59),
        f"开发区人大代表联席会议（{year}年民生实事项目票决）",
    )
    _present(rng, session, staff, keep={demo_deputy.pk})
    # A few deputies have already voted on their phones (never deputy.demo or a scrutineer).
    projects = list(ballot_projects(session))
    voters = (
        session.roll.filter(present=True)
        .exclude(deputy__in=[demo_deputy, *scrutineers])
        .select_related("deputy__user")[:12]
    )
    for entry in voters:
        chosen = set(rng.sample(range(len(projects)), CURRENT_PLACES))
        choices = {
            str(p.pk): "for" if n in chosen else rng.choice(["against", "abstain"]) for n, p in enumerate(projects)
        }
        voting.cast(entry.deputy.user, session, entry.deputy, DEPUTY, choices, new_secret(), now=now)
    summary.rounds += 1


def load_demo_projects(*, now: datetime | None = None) -> Summary:
    started = time.perf_counter()
    summary = Summary()
    zone = Region.objects.filter(code=ZONE).first()
    demo_user = User.objects.filter(username="deputy.demo").select_related("deputy__electoral_region").first()
    if zone is None or demo_user is None or getattr(demo_user, "deputy", None) is None:
        summary.skipped = "吴中经济技术开发区 or deputy.demo missing, nothing written"
    elif Round.objects.filter(region=zone).exists():
        summary.skipped = "already there, nothing written"
    if summary.skipped:
        summary.seconds = time.perf_counter() - started
        return summary
    now = now or timezone.now()
    rng = random.Random(SEED)
    staff = User.objects.get(username="suzhou")
    demo_deputy = demo_user.deputy
    electorate = _electorate(zone, demo_deputy)
    probe = Round(region=zone)
    probe._electorate = electorate
    units = list(lead_units(probe).order_by("id")[:8])
    with transaction.atomic():
        pool = list(entitled_deputies(probe).exclude(pk=demo_deputy.pk).order_by("id")[:2])
        scrutineers = pool or [demo_deputy]
        for year in (now.year - 2, now.year - 1):
            _finished_round(rng, zone, electorate, staff, units, scrutineers, year, summary)
        # deputy.demo is the scrutineer of today's session: the demo can go on to sign the count record.
        _current_round(rng, zone, electorate, staff, units, [demo_deputy], demo_deputy, now, summary)
        record(None, "demo.projects", None, changes={"rounds": summary.rounds, "projects": summary.projects})
    summary.seconds = time.perf_counter() - started
    return summary
