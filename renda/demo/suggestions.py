"""The demo's suggestions and proposals: last year's congress suggestions and this year's CPPCC proposals (a few
hundred each) in every workflow state, with units' tasks, contacts, replies, ratings, key items, published replies
and 社情民意 reports; `deputy.demo` and `member.demo` with items to sign, rate and follow; the demo unit
(unit.wzjs, 吴中区住房和城乡建设局) with items due this week and overdue.

Authors need accounts: the deputies and members who wrote the items get one (unusable password, so nobody signs in
as them; `member.demo` has the demo password). Idempotent: if demo suggestions exist, nothing is written.
Deterministic (seed 2026); dates are relative to the day of the run.
"""

import datetime
import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from renda.accounts.models import Grant, Role, User
from renda.people.models import Deputy, Member, Unit
from renda.suggestions.models import (
    Category,
    Contact,
    Disclosure,
    Event,
    MemberAccount,
    Reply,
    Session,
    Signature,
    SocialReport,
    Suggestion,
    SuggestionRating,
    UnitTask,
)
from renda.suggestions.workflow import Action, Actor, ContactMethod, Disposition, Kind, ReplyCategory, State
from renda.workdays.calendar import due_at

from .logins import demo_password

SEED = 2026
DEFAULT_COUNT = 300
WUZHONG = "320506000000"
DEMO_UNIT = "吴中区住房和城乡建设局"
TOPICS = [
    ("关于加快老旧小区加装电梯的建议", "城乡建设"),
    ("关于缓解学校周边交通拥堵的建议", "交通出行"),
    ("关于推进太湖沿岸生态修复的建议", "生态环境"),
    ("关于完善社区居家养老服务的建议", "社会保障"),
    ("关于提升乡村医疗服务能力的建议", "医疗卫生"),
    ("关于支持中小微企业数字化转型的建议", "经济发展"),
    ("关于加强非遗文化保护传承的建议", "文化旅游"),
    ("关于增加公共停车泊位的建议", "交通出行"),
    ("关于规范农贸市场管理的建议", "城乡建设"),
    ("关于加强青少年心理健康教育的建议", "教育科技"),
]
# State → weight: every state appears, most items are being handled or answered.
STATES = [
    (State.SIGNING, 3), (State.SUBMITTED, 8), (State.WITHDRAWN, 1), (State.REGISTERED, 5), (State.MERGED, 3),
    (State.NOT_REGISTERED, 4), (State.ASSIGNED, 24), (State.RETURNED, 2), (State.EXTENSION_REQUESTED, 3),
    (State.REPLIED, 5), (State.ANSWERED, 10), (State.REHANDLING, 3), (State.TRACKING, 12), (State.CLOSED, 17),
]  # fmt: skip
WITH_UNITS = {
    State.ASSIGNED, State.EXTENSION_REQUESTED, State.REPLIED, State.ANSWERED, State.REHANDLING, State.TRACKING,
    State.CLOSED,
}  # fmt: skip
REPLIED = {State.REPLIED, State.ANSWERED, State.TRACKING, State.CLOSED}
LEADERS = ["王副市长", "李副主任", "张副主席", "陈副区长"]


@dataclass
class Summary:
    suggestions: int = 0
    proposals: int = 0
    reports: int = 0
    skipped: bool = False
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"Demo suggestions: already there, nothing written ({self.seconds:.1f} s)."]
        return [
            f"Demo suggestions: {self.suggestions} congress suggestions, {self.proposals} CPPCC proposals, "
            f"{self.reports} social-conditions reports in {self.seconds:.1f} s."
        ]


def _account(username, display_name, *, usable=False):
    user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
    if created:
        if usable:
            user.set_password(demo_password())
        else:
            user.set_unusable_password()
        user.save()
    return user


def _deputy_authors(limit=40):
    """(user, deputy) of 吴中区 deputies: deputy.demo first, then deputies given a (sign-in-less) account."""
    demo = User.objects.filter(username="deputy.demo").select_related("deputy").first()
    authors = [(demo, demo.deputy)] if demo is not None and hasattr(demo, "deputy") else []
    for deputy in Deputy.objects.filter(electoral_region__path__startswith=_wuzhong_path(), user__isnull=True).order_by(
        "pk"
    )[:limit]:
        user = _account(f"sg.{deputy.public_code.lower()}", deputy.name)
        Grant.objects.get_or_create(user=user, role=Role.DEPUTY, deputy=deputy)
        deputy.user = user
        deputy.save(update_fields=["user"])
        authors.append((user, deputy))
    return authors


def _member_authors(limit=30):
    members = list(Member.objects.filter(region__path__startswith=_wuzhong_path()).order_by("pk")[:limit]) or list(
        Member.objects.order_by("pk")[:limit]
    )
    authors = []
    for i, member in enumerate(members):
        account = MemberAccount.objects.filter(member=member).select_related("user").first()
        if account is None:
            user = (
                _account("member.demo", member.name, usable=True)
                if i == 0
                else _account(f"pp.{member.public_code.lower()}", member.name)
            )
            account = MemberAccount.objects.create(user=user, member=member)
        authors.append((account.user, member))
    return authors


def _wuzhong_path():
    from renda.regions.models import Region

    region = Region.objects.filter(code=WUZHONG).first()
    return region.path if region else ""


def _topic(title):
    return title.removeprefix("关于").removesuffix("的建议")


def _make(rng, now, kind, i, state, author, person, signers, units, categories, demo_unit):
    title, category_name = TOPICS[i % len(TOPICS)]
    year = now.year - 1 if kind == Kind.CONGRESS else now.year
    created = (
        now - timedelta(days=rng.randint(20, 330))
        if state not in (State.SIGNING, State.SUBMITTED)
        else now - timedelta(days=rng.randint(1, 6))
    )
    region = person.electoral_region if kind == Kind.CONGRESS else person.region
    lead = demo_unit if (i % 4 == 0 and demo_unit) else rng.choice(units)
    s = Suggestion.objects.create(
        kind=kind,
        number=f"demo-{kind}-{i}",
        year=year,
        region=region,
        title=title,
        category=categories[(kind, category_name)],
        text=f"{title.removeprefix('关于').removesuffix('的建议')}事关群众切身利益。建议有关部门加强调研，"
        "制定计划，明确责任和时限，并及时向代表委员反馈办理进展。",
        author=author,
        submitter_name=person.name,
        deputy=person if kind == Kind.CONGRESS else None,
        member=person if kind == Kind.CPPCC else None,
        status=state,
        created=created,
    )
    s.number = f"{'J' if kind == Kind.CONGRESS else 'T'}{year}-{s.pk:06d}"
    fields = {"number"}
    for signer_user, signer_name in signers:
        Signature.objects.create(
            suggestion=s,
            user=signer_user,
            name=signer_name,
            status=Signature.Status.INVITED if state == State.SIGNING else Signature.Status.SIGNED,
            answered_at=None if state == State.SIGNING else created + timedelta(days=1),
        )
    Event.objects.create(suggestion=s, action=Action.SUBMIT, to_state=State.SIGNING if signers else State.SUBMITTED,
                         actor=author, actor_role=Actor.AUTHOR, actor_name=person.name)  # fmt: skip
    if state == State.SIGNING:
        s.sign_deadline = due_at(now, 3)
        s.due_at = s.sign_deadline
        fields |= {"sign_deadline", "due_at"}
    elif state in (State.SUBMITTED, State.REGISTERED, State.RETURNED):
        s.due_at = due_at(now, rng.randint(-2, 8))
        fields.add("due_at")
    elif state == State.NOT_REGISTERED:
        s.disposition = Disposition.SOCIAL_REPORT if kind == Kind.CPPCC and i % 2 else Disposition.LETTER
        s.decision_reason = "所提问题属于个案诉求，不符合立案条件。"
        fields |= {"disposition", "decision_reason"}
        if s.disposition == Disposition.SOCIAL_REPORT:
            SocialReport.objects.create(region=region, title=title, text=s.text, author=author, member=person, source=s)
    if state in WITH_UNITS or state == State.RETURNED:
        assigned = created + timedelta(days=10)
        s.assigned_at = assigned
        s.lead_unit = None if state == State.RETURNED else lead
        s.reply_due_at = due_at(assigned, 60)
        if state in (State.ASSIGNED, State.EXTENSION_REQUESTED) and lead == demo_unit and i % 8 == 0:
            s.reply_due_at = due_at(now, rng.randint(-3, 4))  # the demo unit: some due this week, some overdue
        if state in (State.ASSIGNED, State.EXTENSION_REQUESTED, State.REHANDLING):
            s.due_at = s.reply_due_at
        fields |= {"assigned_at", "lead_unit", "reply_due_at", "due_at"}
        UnitTask.objects.create(suggestion=s, unit=lead, role=UnitTask.Role.LEAD, assigned_at=assigned,
                                is_active=state != State.RETURNED, return_by=due_at(assigned, 7),
                                due_at=s.reply_due_at,
                                return_reason="不属于本单位职责" if state == State.RETURNED else "")  # fmt: skip
        co = rng.choice([u for u in units if u != lead] or units)
        UnitTask.objects.create(suggestion=s, unit=co, role=UnitTask.Role.ASSIST, assigned_at=assigned,
                                is_active=state != State.RETURNED, due_at=due_at(assigned, 20),
                                views="同意主办单位意见，将积极配合。" if state in REPLIED else "",
                                views_at=assigned + timedelta(days=15) if state in REPLIED else None)  # fmt: skip
        Event.objects.create(suggestion=s, action=Action.ASSIGN, from_state=State.REGISTERED, to_state=State.ASSIGNED,
                             actor_role=Actor.OFFICE, actor_name="建议办理办公室", unit=lead)  # fmt: skip
    if state in REPLIED or state == State.REHANDLING:
        Contact.objects.create(suggestion=s, round=1, unit=lead, method=rng.choice(ContactMethod.values),
                               happened_on=(created + timedelta(days=30)).date(),
                               note="面商办理思路，听取代表委员意见。",
                               recorded_by=author, confirmed_by=author,
                               confirmed_at=created + timedelta(days=31))  # fmt: skip
        category = rng.choices(ReplyCategory.values, weights=[40, 35, 15, 10])[0]
        if state == State.TRACKING:
            category = rng.choice([ReplyCategory.B, ReplyCategory.C])
        elif state == State.CLOSED and category in (ReplyCategory.B, ReplyCategory.C):
            category = ReplyCategory.A
        replied = created + timedelta(days=rng.randint(40, 95))
        Reply.objects.create(suggestion=s, round=1, unit=lead, category=category, unit_category=category,
                             text=f"经研究，{_topic(title)}已纳入年度工作计划，将分步实施。",
                             author=author,
                             accepted_at=None if state == State.REPLIED else replied + timedelta(days=3))  # fmt: skip
        s.replied_at, s.replied_on_time = replied, replied <= s.reply_due_at
        fields |= {"replied_at", "replied_on_time"}
        if state != State.REPLIED:
            s.reply_category, s.answered_at = category, replied + timedelta(days=3)
            fields |= {"reply_category", "answered_at"}
        if state == State.REPLIED:
            s.due_at = due_at(now, 3)
            fields.add("due_at")
        if state == State.ANSWERED:
            s.due_at = due_at(now, rng.randint(2, 10))
            fields.add("due_at")
        if state in (State.TRACKING, State.CLOSED):
            people = [author] + [u for u, _n in signers]
            for user in people:
                value = rng.choices(["satisfied", "basically", "dissatisfied"], weights=[70, 25, 5])[0]
                SuggestionRating.objects.create(suggestion=s, round=1, user=user, value=value)
            if state == State.CLOSED:
                s.closed_at = s.answered_at + timedelta(days=10)
                fields.add("closed_at")
                if i % 2:
                    s.disclosure, s.published_at = Disclosure.PUBLISHED, s.closed_at + timedelta(days=30)
                    s.public_title, s.public_text = title, s.text
                    s.public_reply = f"经研究，{_topic(title)}已办理完毕。"
                    fields |= {"disclosure", "published_at", "public_title", "public_text", "public_reply"}
    if state == State.REHANDLING:
        SuggestionRating.objects.create(suggestion=s, round=1, user=author, value="dissatisfied")
        s.round, s.reply_due_at = 2, due_at(now, rng.randint(5, 30))
        s.due_at = s.reply_due_at
        fields |= {"round", "reply_due_at", "due_at"}
    if state in WITH_UNITS and i % 15 == 0:
        s.is_key, s.key_leader = True, LEADERS[i % len(LEADERS)]
        fields |= {"is_key", "key_leader"}
    s.save(update_fields=sorted(fields))
    if state != State.SUBMITTED and state != State.SIGNING:
        Event.objects.create(suggestion=s, action=Action.REGISTER, from_state=State.SUBMITTED, to_state=state,
                             actor_role=Actor.OFFICE, actor_name="建议办理办公室")  # fmt: skip
    return s


def _sessions(now) -> None:
    """This year's plenary sessions of 吴中区's congress and CPPCC committee, in January as usual (大会期间)."""
    from renda.regions.models import Region

    region = Region.objects.filter(code=WUZHONG).first()
    year = timezone.localdate(now).year
    for kind, name, first, last in (
        (Kind.CPPCC, f"政协苏州市吴中区委员会{year}年全体会议", 6, 9),
        (Kind.CONGRESS, f"苏州市吴中区人民代表大会{year}年会议", 7, 10),
    ):
        if region is not None:
            Session.objects.get_or_create(
                region=region,
                kind=kind,
                name=name,
                defaults={"first_day": datetime.date(year, 1, first), "last_day": datetime.date(year, 1, last)},
            )


def load_demo_suggestions(count: int = DEFAULT_COUNT, *, now=None, seed: int = SEED) -> Summary:
    started = time.perf_counter()
    summary = Summary()
    now = now or timezone.now()
    _sessions(now)  # also on a later run: a new year's demo gets that year's sessions
    if Suggestion.objects.exists() or count <= 0:
        summary.skipped = True
        summary.seconds = time.perf_counter() - started
        return summary
    rng = random.Random(seed)
    with transaction.atomic():
        deputies = _deputy_authors()
        members = _member_authors()
        units = list(Unit.objects.filter(region__path__startswith=_wuzhong_path(), is_active=True).order_by("pk"))
        units = units or list(Unit.objects.filter(is_active=True).order_by("pk")[:20])
        if not deputies or not units:
            raise ValueError("load the demo (deputies and units) before its suggestions")
        demo_unit = next((u for u in units if u.name == DEMO_UNIT), None)
        categories = {(c.kind, c.name): c for c in Category.objects.all()}
        states = [state for state, weight in STATES for _ in range(weight)]
        for kind, authors in ((Kind.CONGRESS, deputies), (Kind.CPPCC, members)):
            if not authors:
                continue
            for i in range(count):
                state = states[i % len(states)] if i < len(states) else rng.choice(states)
                # The demo person writes every tenth item; the next one or two sign jointly.
                author, person = (
                    authors[0]
                    if i % 10 == 0
                    else authors[1 + i % max(len(authors) - 1, 1)]
                    if len(authors) > 1
                    else authors[0]
                )
                others = [a for a in authors if a[0] != author]
                signers = [(u, p.name) for u, p in (others[: 1 + i % 2] if i % 3 == 0 else [])]
                if i % 10 == 5 and author != authors[0][0]:
                    signers = [(authors[0][0], authors[0][1].name)]  # the demo person is invited or co-signed
                _make(rng, now, kind, i, state, author, person, signers, units, categories, demo_unit)
                if kind == Kind.CONGRESS:
                    summary.suggestions += 1
                else:
                    summary.proposals += 1
            # The demo person's showcase: invitations to sign, replies to rate; the demo unit's items due soon.
            me, others = authors[0], authors[1:] or authors
            for j in range(3):
                other = others[j % len(others)]
                _make(rng, now, kind, count + j, State.SIGNING, other[0], other[1], [(me[0], me[1].name)], units,
                      categories, demo_unit)  # fmt: skip
                _make(rng, now, kind, count + 3 + j, State.ANSWERED, me[0], me[1], [], units, categories, demo_unit)
            for j, days in enumerate((-2, 1, 3) if demo_unit else ()):
                item = _make(rng, now, kind, count + 8 + j * 4, State.ASSIGNED, others[0][0], others[0][1], [], units,
                             categories, demo_unit)  # fmt: skip
                item.reply_due_at = item.due_at = due_at(now, days)
                item.save(update_fields=["reply_due_at", "due_at"])
                item.tasks.filter(role=UnitTask.Role.LEAD).update(due_at=item.due_at)
        for i, (user, member) in enumerate(members[:10]):
            SocialReport.objects.create(region=member.region, title=f"关于{TOPICS[i % len(TOPICS)][0][2:-3]}的社情民意",
                                        text="群众反映较为集中，建议引起重视。", author=user, member=member,
                                        status="adopted" if i % 2 else "submitted",
                                        adopted_level=["local", "provincial", "national"][i % 3] if i % 2 else "",
                                        instructions="请有关部门研究办理。" if i % 4 == 1 else "")  # fmt: skip
            summary.reports += 1
    summary.seconds = time.perf_counter() - started
    return summary
