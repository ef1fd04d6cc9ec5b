"""The demo's opinions: about 50,000 over the past year across Suzhou's stations, in every state, with timelines.

Each opinion is simulated in memory from a seeded generator: a path through the workflow (refused, merged, answered
on the spot, handled at the station, forwarded to a unit with extensions and reassignments, turned into a formal
suggestion), each step a plausible delay after the last; the simulation stops at "now", so recent opinions are still
open, and a few slow steps leave overdue (and escalated) items. Every step is one Event with from/to states that
chain, the actor's workflow role, the public actor (deputy, unit or station by name; staff by role), notes and the
due date the step set. Ratings are mostly 满意; an unsatisfied first rating reopens the opinion once.

Fast by construction: opinions get explicit ids and are written with bulk_create in batches, events and supporters
likewise; search_text comes from `search.bigrams` and SQLite's FTS5 index is filled with one INSERT … SELECT
(PostgreSQL's GIN index follows the column). Idempotent: opinions carry client_token "demo-<n>"; if any exist, the
run writes nothing. Deterministic content (seed 2026); dates are relative to the day of the run.
"""

import bisect
import itertools
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from renda.accounts.models import Grant, Role
from renda.audit.actions import record
from renda.core.codes import ALPHABET
from renda.opinions import search
from renda.opinions.deadlines import rule_for
from renda.opinions.models import Category, Event, Opinion, Supporter, new_public_id
from renda.opinions.workflow import STEP_BY_STATE, Action, Actor, Rating, RefusalReason, State
from renda.people.models import Deputy, Unit
from renda.regions.models import Region, path_range_q
from renda.stations.models import Assignment, Station, StationKind
from renda.workdays.calendar import CHINA, Calendar

from . import texts
from .data import ROADS
from .plan import SUZHOU

SEED = 2026
BATCH = 2000
DEFAULT_COUNT = 50_000
TOKEN_PREFIX = "demo-"
STATION_WEIGHT = {StationKind.HOME: 5, StationKind.LIAISON: 2, StationKind.POINT: 1}
DONE = {State.REFUSED, State.MERGED, State.SUGGESTION, State.FINAL}
CLOSING = {State.CLOSED, State.REFUSED, State.MERGED, State.SUGGESTION, State.FINAL}
STAFF_LABEL = "人大工作人员"
RATINGS = Rating.values
REFUSAL_REASONS = RefusalReason.values


@dataclass
class Summary:
    created: int = 0
    events: int = 0
    supporters: int = 0
    skipped: bool = False
    states: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"Demo opinions: {self.created:,} already there, nothing written ({self.seconds:.1f} s)."]
        states = ", ".join(f"{state} {count:,}" for state, count in sorted(self.states.items()))
        return [
            f"Demo opinions: {self.created:,} opinions, {self.events:,} events, {self.supporters:,} supporters "
            f"in {self.seconds:.1f} s.",
            f"  by state: {states}",
        ]


class _Pending(Exception):
    """The next step would happen after now: the opinion stays where it is."""


@dataclass
class _Ev:
    at: datetime
    action: str
    from_state: str
    to_state: str
    role: str
    actor_id: int | None = None
    public_actor: str = ""
    note: str = ""
    internal_note: str = ""
    unit_id: int | None = None
    due_at: datetime | None = None
    days: int | None = None


@dataclass
class _Op:
    """An opinion being simulated, with what the Opinion row will say at the end."""

    n: int
    pk: int
    at: datetime
    station: dict
    category_id: int
    topic: tuple
    text: str
    place: str
    tracking_code: str = ""
    client_token: str = ""
    events: list = field(default_factory=list)
    state: str = State.SUBMITTED
    unit_id: int | None = None
    unit_name: str = ""
    merged_into: int | None = None
    refusal_reason: str = ""
    reopen_count: int = 0
    rating: str = ""
    due_at: datetime | None = None
    closed_at: datetime | None = None

    def state_at(self, moment: datetime) -> str:
        times = [event.at for event in self.events]
        return self.events[bisect.bisect_right(times, moment) - 1].to_state


class _World:
    """What the simulation needs from the database, read once."""

    def __init__(self):
        suzhou = Region.objects.get(code=SUZHOU)
        rows = (
            Station.objects.filter(path_range_q(suzhou.path, "region__path"), is_active=True)
            .order_by("pk")
            .values("pk", "name", "kind", "region_id", "region__name", "region__code")
        )
        self.stations = list(rows)
        self.cum_weights = list(itertools.accumulate(STATION_WEIGHT.get(s["kind"], 1) for s in self.stations))
        deputies = defaultdict(list)
        names = dict(Deputy.objects.values_list("pk", "name"))
        users = dict(Deputy.objects.filter(user__isnull=False).values_list("pk", "user_id"))
        for station_id, deputy_id in Assignment.objects.order_by("pk").values_list("station_id", "deputy_id"):
            deputies[station_id].append((deputy_id, names[deputy_id], users.get(deputy_id)))
        self.deputies = deputies
        grants = Grant.objects.values_list("role", "station_id", "unit_id", "region__code", "user_id")
        self.keeper_users, self.unit_users, self.staff_users = {}, {}, {}
        for role, station_id, unit_id, region_code, user_id in grants:
            if role == Role.STATION_KEEPER:
                self.keeper_users[station_id] = user_id
            elif role == Role.UNIT_STAFF:
                self.unit_users[unit_id] = user_id
            elif role == Role.CONGRESS_STAFF and region_code and region_code.endswith("000000"):
                self.staff_users.setdefault(region_code[:6], user_id)
        self.units = defaultdict(list)  # county code (6 digits) → [(id, name)]
        for pk, name, code in Unit.objects.order_by("pk").values_list("pk", "name", "region__code"):
            self.units[code[:6]].append((pk, name))
        self.categories = dict(Category.objects.values_list("name", "pk"))
        self.rules = {}

    def unit_for(self, rng, station, department: str) -> tuple[int | None, str]:
        county = station["region__code"][:6]
        units = self.units.get(county) or self.units.get(SUZHOU[:6]) or []
        if not units:
            return None, ""
        named = [unit for unit in units if unit[1].endswith(department)]
        return named[0] if named else rng.choice(units)

    def other_unit(self, rng, station, unit_id) -> tuple[int | None, str]:
        units = [u for u in self.units.get(station["region__code"][:6], []) if u[0] != unit_id]
        return rng.choice(units) if units else (unit_id, "")

    def rule(self, step: str, category_id: int) -> tuple[int, bool]:
        key = (step, category_id)
        if key not in self.rules:
            self.rules[key] = rule_for(step, category_id)
        return self.rules[key]


class _Workdays:
    """The working days around the demo's year, looked up once (the calendar is asked ~250,000 times otherwise)."""

    def __init__(self, now: datetime):
        calendar = Calendar()
        first = (now - timedelta(days=400)).astimezone(CHINA).date()
        days = [first + timedelta(days=i) for i in range(400 + 200)]
        self.days = [day for day in days if calendar.is_workday(day)]
        self.calendar = calendar

    @lru_cache(maxsize=20_000)  # noqa: B019 (one instance per run)
    def due(self, start: date, days: int, working: bool) -> datetime:
        if not working:
            end = start + timedelta(days=days)
        else:
            index = bisect.bisect_right(self.days, start) + days - 1
            end = self.days[index] if index < len(self.days) else self.calendar.add_workdays(start, days)
        return datetime(end.year, end.month, end.day, 23, 59, 59, tzinfo=CHINA)


class _Sim:
    """Walks one opinion through the workflow, a step at a time, until its path ends or time runs out."""

    def __init__(self, world: _World, rng: random.Random, now: datetime, op: _Op, stop: str = ""):
        self.w, self.rng, self.now, self.op = world, rng, now, op
        # A showcase opinion halts in `stop` (and moves briskly to get there).
        self.stop, self.pace = stop, 0.2 if stop else 1.0
        self.t = op.at

    # -- the actors, as perform() would record them
    def keeper(self):
        return Actor.KEEPER, self.w.keeper_users.get(self.op.station["pk"]), self.op.station["name"]

    def deputy(self):
        serving = self.w.deputies.get(self.op.station["pk"])
        if not serving:
            return self.keeper()
        deputy_id, name, user_id = self.rng.choice(serving)
        return Actor.DEPUTY, user_id, f"{name}代表"

    def staff(self):
        return Actor.STAFF, self.w.staff_users.get(self.op.station["region__code"][:6]), STAFF_LABEL

    def unit(self):
        return Actor.UNIT, self.w.unit_users.get(self.op.unit_id), self.op.unit_name

    def triage(self):
        pick = self.rng.random()
        return self.keeper() if pick < 0.5 else self.deputy() if pick < 0.8 else self.staff()

    def due(self, state: str, start: datetime, extra: int = 0) -> datetime | None:
        step = STEP_BY_STATE.get(state)
        if step is None:
            return None
        days, working = self.w.rule(step, self.op.category_id)
        return self.w.workdays.due(start.astimezone(CHINA).date(), days + extra, working)

    def gap(self, low: float, high: float) -> timedelta:
        days = self.rng.uniform(low, high)
        if self.rng.random() < 0.04:
            days *= self.rng.uniform(3, 6)  # a slow step: the reason for overdue items and escalations
        return timedelta(days=days * self.pace, minutes=1)

    def step(self, action, target, who, low, high, **extra) -> _Ev:
        at = self.t + self.gap(low, high)
        if at > self.now:
            raise _Pending
        role, user_id, public = who
        op = self.op
        op.due_at = self.due(target, at, extra.pop("extra_days", 0))
        if target in CLOSING and op.state not in CLOSING:
            op.closed_at = at
        event = _Ev(at, action, op.state, target, role, user_id, public, due_at=op.due_at, **extra)
        op.events.append(event)
        op.state, self.t = target, at
        if target == self.stop:
            raise _Pending
        return event

    # -- the paths
    def submit(self):
        op = self.op
        op.due_at = self.due(State.SUBMITTED, op.at)
        op.events.append(_Ev(op.at, Action.SUBMIT, "", State.SUBMITTED, Actor.CONSTITUENT, due_at=op.due_at))

    def refuse(self):
        if self.rng.random() < 0.4:
            self.accept()
        reason = self.rng.choices(REFUSAL_REASONS, cum_weights=(3, 6, 8, 8.5, 10))[0]
        self.op.refusal_reason = reason
        self.step(Action.REFUSE, State.REFUSED, self.triage(), 0.2, 2, note=texts.REFUSALS[reason])

    def accept(self):
        internal = self.rng.choice(texts.INTERNAL_NOTES) if self.rng.random() < 0.2 else ""
        self.step(Action.ACCEPT, State.ACCEPTED, self.triage(), 0.05, 1.5, internal_note=internal)

    def merge(self, target: _Op):
        self.op.merged_into = target.pk
        who = self.triage()
        event = self.step(Action.MERGE, State.MERGED, who, 0.1, 1.5, note="与同类意见合并办理，办理结果将一并答复您。")
        state = target.state_at(event.at)
        note = f"意见{self.op.tracking_code}已合并到本意见。"
        support = _Ev(event.at, Action.SUPPORT, state, state, who[0], who[1], who[2], note=note)
        bisect.insort(target.events, support, key=lambda e: e.at)

    def on_the_spot(self):
        note = self._pick(texts.ON_THE_SPOT)
        self.step(Action.ANSWER_ON_SPOT, State.CLOSED, self.keeper_or_deputy(), 0, 0.8, note=note)
        self.rating()

    def keeper_or_deputy(self):
        return self.keeper() if self.rng.random() < 0.4 else self.deputy()

    def handle(self, accept=True):
        if accept:
            self.accept()
        self.step(Action.HANDLE, State.HANDLING, self.triage(), 0.2, 3, note=self._pick(texts.HANDLING))
        self.reply(2, 14)

    def forward(self):
        self.accept()
        self._forward_to(self.w.unit_for(self.rng, self.op.station, self.op.topic[2]))
        pick = self.rng.random()
        if self.stop:
            pick = {State.REASSIGN_REQUESTED: 0.0, State.EXTENSION_REQUESTED: 0.1}.get(self.stop, 1.0)
        if pick < 0.07:
            note = self._pick(texts.REASSIGN_REASONS)
            self.step(Action.REQUEST_REASSIGN, State.REASSIGN_REQUESTED, self.unit(), 1, 5, note=note)
            previous = self.op.unit_id
            self.op.unit_id, self.op.unit_name = None, ""
            self._forward_to(self.w.other_unit(self.rng, self.op.station, previous))
        elif pick < 0.17:
            days = self.rng.choice([5, 10, 15])
            note = self._pick(texts.EXTENSION_REASONS)
            self.step(Action.REQUEST_EXTENSION, State.EXTENSION_REQUESTED, self.unit(), 5, 12, note=note, days=days)
            if self.rng.random() < 0.75:
                self.step(Action.GRANT_EXTENSION, State.FORWARDED, self.staff(), 0.3, 2, days=days, extra_days=days)
            else:
                self.step(Action.REFUSE_EXTENSION, State.FORWARDED, self.staff(), 0.3, 2, note="请按原期限办理。")
        result = self._pick(self.op.topic[4])
        self.step(Action.UNIT_REPLY, State.UNIT_REPLIED, self.unit(), 3, 18, note=result)
        self.reply(0.5, 4, result)

    def _forward_to(self, unit):
        self.op.unit_id, self.op.unit_name = unit
        who = self.staff() if self.rng.random() < 0.6 else self.keeper()
        self.step(Action.FORWARD, State.FORWARDED, who, 0.2, 3, note=self._pick(texts.FORWARD_NOTES), unit_id=unit[0])

    def reply(self, low, high, result=""):
        result = result or self._pick(self.op.topic[4])
        note = self.rng.choice(texts.REPLIES).format(result=result if result.endswith("。") else result + "。")
        who = self.deputy() if self.rng.random() < 0.7 else self.keeper()
        self.step(Action.REPLY, State.CLOSED, who, low, high, note=note)
        self.rating()

    def suggestion(self):
        if not self.w.deputies.get(self.op.station["pk"]):
            return self.handle()  # only a deputy may turn an opinion into a suggestion
        self.accept()
        if self.rng.random() < 0.5:
            self.step(Action.HANDLE, State.HANDLING, self.triage(), 0.2, 3, note=self._pick(texts.HANDLING))
        note = "该问题具有普遍性，代表已将其转为正式建议提交大会。"
        self.step(Action.TO_SUGGESTION, State.SUGGESTION, self.deputy(), 1, 10, note=note)

    def rating(self):
        op = self.op
        if self.stop == State.CLOSED:
            raise _Pending
        if not self.stop and self.rng.random() < 0.22:
            # No rating within the period: the periodic command closes it just after the rating deadline.
            at = op.due_at + timedelta(minutes=self.rng.randint(5, 600))
            if at > self.now:
                raise _Pending
            op.events.append(_Ev(at, Action.AUTO_CLOSE, State.CLOSED, State.FINAL, Actor.SYSTEM))
            op.state, op.due_at, self.t = State.FINAL, None, at
            return
        weights = (3, 9, 10) if op.reopen_count else (80, 93, 100)
        rating = self.rng.choices(RATINGS, cum_weights=weights)[0]
        if self.stop:
            rating = Rating.DISSATISFIED if self.stop == State.REOPENED and not op.reopen_count else Rating.SATISFIED
        at = self.t + self.gap(0.3, 8)
        if op.due_at and at > op.due_at:
            at = max(op.due_at - timedelta(hours=self.rng.uniform(1, 20)), self.t + timedelta(minutes=1))
        if at > self.now:
            raise _Pending
        reopen = rating == Rating.DISSATISFIED and op.reopen_count == 0
        target = State.REOPENED if reopen else State.FINAL
        op.rating = rating
        op.due_at = self.due(target, at)
        if reopen:
            op.reopen_count, op.closed_at = 1, None
        comment = self.rng.choice(texts.RATING_COMMENTS[rating])
        op.events.append(_Ev(at, Action.RATE, State.CLOSED, target, Actor.CONSTITUENT, note=comment, due_at=op.due_at))
        op.state, self.t = target, at
        if target == self.stop:
            raise _Pending
        if reopen:
            self.handle(accept=False)

    def _pick(self, options) -> str:
        return self.rng.choice(options).format(place=self.op.place, road=self.rng.choice(ROADS))


def _showcase(rng, n: int, now: datetime, times: list[datetime]) -> dict[int, str]:
    """Two recent opinions per state, forced to stop there, so that every state shows even in a small demo."""
    recent = [i for i, at in enumerate(times) if now - timedelta(days=25) < at < now - timedelta(days=3)]
    picks = rng.sample(recent, min(len(recent), 2 * len(State.values)))
    return {i: State.values[k % len(State.values)] for k, i in enumerate(picks)}


def _simulate(sim: _Sim, merge_target) -> None:
    """Run one opinion's path; a showcase opinion takes the path through its `stop` state."""
    sim.submit()
    stop = sim.stop
    if stop == State.SUBMITTED:
        return
    pick = sim.rng.random()
    if stop:
        pick = {State.REFUSED: 0.0, State.MERGED: 0.06, State.SUGGESTION: 0.25}.get(stop, 0.5)
        if stop in (State.FORWARDED, State.EXTENSION_REQUESTED, State.REASSIGN_REQUESTED, State.UNIT_REPLIED):
            pick = 0.9
    if pick < 0.05:
        sim.refuse()
    elif pick < 0.09 and merge_target is not None:
        sim.merge(merge_target)
    elif pick < 0.24 and not stop:
        sim.on_the_spot()
    elif pick < 0.27:
        sim.suggestion()
    elif pick < 0.60:
        sim.handle()
    else:
        sim.forward()


def _text(rng, topic, place: str) -> str:
    body = rng.choice(topic[3]).format(
        place=place, road=rng.choice(ROADS), n=rng.randint(1, 40), time=rng.choice(texts.TIMES)
    )
    return rng.choice(texts.OPENINGS) + body + rng.choice(texts.CLOSINGS)


def _times(rng, n: int, now: datetime) -> list[datetime]:
    """Submission times over the past year: more in daytime and on weekdays, growing slightly towards now."""
    start = now - timedelta(days=365)
    hours = [0.2] * 7 + [1, 2, 3, 3, 2.5, 2, 2.5, 3, 3, 2.5, 2, 2.5, 3, 2.5, 1.5, 0.8, 0.4]
    out = []
    for _i in range(n):
        day = int(365 * (rng.random() ** 0.85))
        moment = start + timedelta(days=day)
        local = moment.astimezone(CHINA)
        base = local.replace(hour=0, minute=0, second=0, microsecond=0)
        hour = rng.choices(range(24), weights=hours)[0]
        at = base + timedelta(hours=hour, seconds=rng.randint(0, 3599))
        out.append(at if at < now else now - timedelta(seconds=rng.randint(300, 86_400)))
    out.sort()
    return out


def _tracking_codes(rng, n: int) -> list[str]:
    taken = set(Opinion.objects.values_list("tracking_code", flat=True))
    codes = []
    while len(codes) < n:
        code = "".join(rng.choice(ALPHABET) for _ in range(10))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def load_demo_opinions(count: int = DEFAULT_COUNT, *, now: datetime | None = None, seed: int = SEED) -> Summary:
    """Write `count` demo opinions with their timelines, unless demo opinions exist already."""
    started = time.perf_counter()
    summary = Summary()
    existing = Opinion.objects.filter(client_token__startswith=TOKEN_PREFIX).count()
    if existing or count <= 0:
        summary.skipped, summary.created = True, existing
        summary.seconds = time.perf_counter() - started
        return summary
    now = now or timezone.now()
    rng = random.Random(seed)
    world = _World()
    world.workdays = _Workdays(now)
    if not world.stations:
        raise ValueError("load the demo (stations) before its opinions")
    times = _times(rng, count, now)
    codes = _tracking_codes(rng, count)
    showcase = _showcase(rng, count, now, times)
    first_pk = (Opinion.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    topics = [
        (topic, world.categories.get(topic[1]) or next(iter(world.categories.values()))) for topic in texts.TOPICS
    ]
    topic_weights = list(itertools.accumulate([6, 4, 3, 4, 3, 2, 3, 2, 3, 2, 2, 2, 1]))
    ops: list[_Op] = []
    open_at_station: dict[int, list[_Op]] = defaultdict(list)
    for i, at in enumerate(times):
        station = rng.choices(world.stations, cum_weights=world.cum_weights)[0]
        topic, category_id = rng.choices(topics, cum_weights=topic_weights)[0]
        place = station["region__name"]
        op = _Op(i, first_pk + i, at, station, category_id, topic, _text(rng, topic, place), place)
        op.tracking_code = codes[i]
        candidates = [o for o in open_at_station[station["pk"]][-6:] if o.state_at(at) not in DONE | {State.MERGED}]
        target = candidates[-1] if candidates else None
        sim = _Sim(world, rng, now, op, showcase.get(i, ""))
        try:
            _simulate(sim, target)
        except _Pending:
            pass
        open_at_station[station["pk"]].append(op)
        ops.append(op)
    _write(ops, rng, now, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def load_taken_opinions(items: list[tuple[datetime, int]], *, token_prefix: str, now=None, seed=SEED) -> list[int]:
    """Opinions recorded at given stations and moments (a demo reception day's, taken on visitors' behalf), simulated
    and written like the others from then to now; returns their ids in the order of `items`. Their client tokens are
    `token_prefix` + n, outside the "demo-" range that makes load_demo_opinions skip."""
    if not items:
        return []
    now = now or timezone.now()
    rng = random.Random(seed + 6)
    world = _World()
    world.workdays = _Workdays(now)
    stations = {station["pk"]: station for station in world.stations}
    codes = _tracking_codes(rng, len(items))
    first_pk = (Opinion.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    topics = [
        (topic, world.categories.get(topic[1]) or next(iter(world.categories.values()))) for topic in texts.TOPICS
    ]
    ops = []
    for i, (at, station_id) in enumerate(items):
        station = stations[station_id]
        topic, category_id = rng.choice(topics)
        place = station["region__name"]
        op = _Op(i, first_pk + i, at, station, category_id, topic, _text(rng, topic, place), place)
        op.tracking_code, op.client_token = codes[i], f"{token_prefix}{i}"
        try:
            _simulate(_Sim(world, rng, now, op), None)
        except _Pending:
            pass
        ops.append(op)
    _write(ops, rng, now, Summary())
    return [op.pk for op in ops]


def _write(ops: list[_Op], rng, now: datetime, summary: Summary) -> None:
    """Plain executemany INSERTs: Django's bulk_create spends most of its time compiling values, not writing."""
    _TEXT_DATETIMES[0] = connection.vendor == "sqlite"
    with transaction.atomic():
        for start in range(0, len(ops), BATCH):
            chunk = ops[start : start + BATCH]
            opinions, supporters, events = [], [], []
            for op in chunk:
                supporters += _supporters(op, rng, now)
                opinions.append(_opinion_row(op, rng, now))
                events += [_event_row(op.pk, event) for event in op.events]
            _insert(Opinion, OPINION_COLUMNS, opinions)
            _insert(Event, EVENT_COLUMNS, events)
            _insert(Supporter, SUPPORTER_COLUMNS, supporters)
            summary.events += len(events)
            summary.supporters += len(supporters)
            summary.states.update(op.state for op in chunk)
        search.index_range(ops[0].pk, ops[-1].pk)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Opinion]):
                    cursor.execute(sql)
        summary.created = len(ops)
        record(None, "demo.opinions", None, changes={"opinions": len(ops), "events": summary.events})


OPINION_COLUMNS = [
    "id",
    "tracking_code",
    "client_token",
    "station_id",
    "region_id",
    "category_id",
    "text",
    "place",
    "submitter_name",
    "submitter_phone",
    "consent",
    "status",
    "unit_id",
    "merged_into_id",
    "refusal_reason",
    "reopen_count",
    "rating",
    "created",
    "updated",
    "due_at",
    "reminded_at",
    "escalated_at",
    "closed_at",
    "search_text",
    "public_id",
]
EVENT_COLUMNS = [
    "opinion_id",
    "action",
    "from_state",
    "to_state",
    "actor_id",
    "actor_role",
    "public_actor",
    "note",
    "internal_note",
    "unit_id",
    "due_at",
    "days",
    "created",
]
SUPPORTER_COLUMNS = ["opinion_id", "client_token", "name", "phone", "created"]


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


_TEXT_DATETIMES = [True]  # set per run: SQLite stores datetimes as naive UTC text (connection.vendor is slow to ask)


def _dt(value: datetime | None):
    """What Django would send for an aware datetime: PostgreSQL takes it as is; SQLite stores naive UTC text."""
    if value is None or not _TEXT_DATETIMES[0]:
        return value
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _opinion_row(op: _Op, rng, now: datetime) -> tuple:
    with_phone = rng.random() < 0.15
    overdue = op.due_at is not None and op.due_at < now and op.state not in DONE
    escalated = overdue and op.due_at + timedelta(days=1) < now and rng.random() < 0.8
    name = phone = ""
    if with_phone:
        # Encrypted like every submitter's (Fernet per value: the reason only 15% leave one).
        name = _encrypt(rng.choice("王李张刘陈杨黄赵吴周徐孙朱马胡郭林何高罗") + rng.choice(["先生", "女士"]))
        phone = _encrypt(f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}")
    return (
        op.pk,
        op.tracking_code,
        op.client_token or f"{TOKEN_PREFIX}{op.n}",
        op.station["pk"],
        op.station["region_id"],
        op.category_id,
        op.text,
        op.place if rng.random() < 0.6 else "",
        name,
        phone,
        with_phone,
        op.state,
        op.unit_id,
        op.merged_into,
        op.refusal_reason,
        op.reopen_count,
        op.rating,
        _dt(op.at),
        _dt(op.events[-1].at),
        _dt(op.due_at if op.state not in DONE else None),
        _dt(op.due_at - timedelta(days=1) if overdue else None),
        _dt(op.due_at + timedelta(days=1) if escalated else None),
        _dt(op.closed_at if op.state in CLOSING else None),
        search.bigrams(op.text),
        new_public_id(),
    )


def _encrypt(value: str) -> str:
    return Opinion._meta.get_field("submitter_phone").get_prep_value(value)


def _event_row(opinion_id: int, e: _Ev) -> tuple:
    return (
        opinion_id,
        e.action,
        e.from_state,
        e.to_state,
        e.actor_id,
        e.role,
        e.public_actor,
        e.note,
        e.internal_note,
        e.unit_id,
        _dt(e.due_at),
        e.days,
        _dt(e.at),
    )


def _supporters(op: _Op, rng, now: datetime) -> list[tuple]:
    """ "Mine too" from a few neighbours while the opinion is open (support() refuses closed ones)."""
    if rng.random() >= 0.08:
        return []
    out = []
    for k in range(rng.randint(1, 4)):
        at = op.at + timedelta(days=rng.uniform(0.1, 20))
        if at >= now:
            continue
        state = op.state_at(at)
        if state in (State.REFUSED, State.MERGED, State.FINAL):
            continue
        bisect.insort(op.events, _Ev(at, Action.SUPPORT, state, state, Actor.CONSTITUENT), key=lambda e: e.at)
        out.append((op.pk, f"{op.client_token or TOKEN_PREFIX + str(op.n)}-{k}", "", "", _dt(at)))
    return out
