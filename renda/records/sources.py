"""Where a record's lines come from: a registry of sources, each a function that yields the lines of a set of people
for a year. records reads every domain through its models and writes nothing into them.

A source is `fn(people: People, year: int) -> Iterable[LineData]`. `people` holds two querysets (deputies and
members): a source filters its events with them (a subquery), so one call serves one person's page or a whole city.
Each line names its event: `key` (stable within the source, e.g. "duty:123") and `link` (the staff page of the event).

Adding a source (the records app sits above every domain, so a new source is written here, as `speeches` below is
for CPPCC consultation; an app below could also register one from its AppConfig.ready()):

    from renda.records.kinds import Kind, register_kind
    from renda.records.sources import LineData, register_source, link_to

    register_kind(Kind("speech", _("speeches at consultations"), True, "2"))

    def speeches(people, year):
        link = link_to("consultation:speech", 1)
        for row in Speech.objects.filter(member__in=people.members, given_at__year=year).values(...):
            yield LineData(("member", row["member_id"]), "speech", row["date"], f"speech:{row['id']}",
                           row["title"], link=link(row["id"]))

    register_source("speeches", speeches)

then `manage.py records_refresh` (or the next refresh) fills the lines; give the kind a weight to score it.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from renda.activities.models import Attendance as ActivityAttendance
from renda.activities.models import Invitation, ProblemItem, ProblemStatus
from renda.activities.models import Status as ActivityStatus
from renda.consultation.models import Speech
from renda.opinions.models import Opinion
from renda.opinions.workflow import Rating as OpinionRating
from renda.projects.models import RollEntry, SessionStatus
from renda.receptions.models import Duty, ReceptionOpinion, Visit
from renda.receptions.workflow import Attendance as DutyAttendance
from renda.receptions.workflow import ReceptionStatus
from renda.suggestions.models import MemberAccount, Signature, SocialReport, Suggestion
from renda.suggestions.workflow import ReportState, State

DEPUTY, MEMBER = "deputy", "member"


@dataclass
class People:
    deputies: object  # a Deputy queryset
    members: object  # a Member queryset


@dataclass
class LineData:
    person: tuple[str, int]  # ("deputy", id) or ("member", id)
    kind: str
    date: object
    key: str
    label: str
    detail: str = ""
    link: str = ""
    quantity: int = 1


Source = Callable[[People, int], Iterable[LineData]]
SOURCES: dict[str, Source] = {}


def register_source(name: str, fn: Source) -> None:
    SOURCES[name] = fn


_SENTINEL = 987_650_000


def link_to(name: str, arity: int = 1) -> Callable[..., str]:
    """A fast link maker for URL `name` with `arity` integer arguments (one reverse() per source, not per line); an
    unknown name (an app not installed yet) links nowhere."""
    sentinels = [str(_SENTINEL + i) for i in range(arity)]
    try:
        url = reverse(name, args=[int(s) for s in sentinels])
    except NoReverseMatch:
        return lambda *values: ""
    parts = url
    for i, sentinel in enumerate(sentinels):
        parts = parts.replace(sentinel, f"{{{i}}}")
    return lambda *values: parts.format(*values)


def _day(value):
    return timezone.localtime(value).date() if hasattr(value, "tzinfo") else value


def _cut(text, length=200) -> str:
    text = str(text or "")
    return text if len(text) <= length else text[: length - 1] + "…"


# receptions: duties held, missed (with or without leave), visitors received, opinions taken ---------------------------


def receptions(people: People, year: int):
    duties = Duty.objects.filter(deputy__in=people.deputies, reception__date__year=year).exclude(
        reception__status=ReceptionStatus.CANCELLED
    )
    visitors = dict(
        Visit.objects.filter(duty__in=duties).values("duty_id").annotate(n=Sum("count")).values_list("duty_id", "n")
    )
    link = link_to("receptions:attendance")
    today = timezone.localdate()
    for row in duties.values(
        "id",
        "deputy_id",
        "attendance",
        "checked_in_at",
        "absence_reason",
        "reception_id",
        "reception__date",
        "reception__station__name",
    ).order_by("id"):
        # A check-in counts as attendance until staff record otherwise (as receptions/record.py counts it).
        if row["attendance"] == DutyAttendance.ATTENDED or (
            row["attendance"] == DutyAttendance.EXPECTED and row["checked_in_at"]
        ):
            kind = "duty_attended"
        elif row["attendance"] == DutyAttendance.ABSENT:
            kind = "duty_excused" if row["absence_reason"] else "duty_absent"
        else:
            continue  # still expected: not held yet, or not recorded
        if row["reception__date"] > today:
            continue
        yield LineData(
            (DEPUTY, row["deputy_id"]),
            kind,
            row["reception__date"],
            f"duty:{row['id']}",
            _cut(row["reception__station__name"]),
            detail=row["absence_reason"][:200],
            link=link(row["reception_id"]),
            quantity=visitors.get(row["id"]) or 0 if kind == "duty_attended" else 1,
        )
    opinion_link = link_to("opinions:detail")
    taken = ReceptionOpinion.objects.filter(duty__deputy__in=people.deputies, reception__date__year=year)
    for row in taken.values("id", "opinion_id", "duty__deputy_id", "reception__date", "opinion__tracking_code"):
        yield LineData(
            (DEPUTY, row["duty__deputy_id"]),
            "reception_opinion",
            row["reception__date"],
            f"ropinion:{row['id']}",
            row["opinion__tracking_code"],
            link=opinion_link(row["opinion_id"]),
        )


# opinions addressed to the deputy: received (with their state), handled, on time, rated satisfied ------------------


def opinions(people: People, year: int):
    link = link_to("opinions:detail")
    addressed = Opinion.objects.filter(deputy__in=people.deputies)
    received = addressed.filter(created__year=year).values("id", "deputy_id", "created", "tracking_code", "status")
    labels = dict(Opinion._meta.get_field("status").choices)
    for row in received:
        yield LineData(
            (DEPUTY, row["deputy_id"]),
            "opinion_received",
            _day(row["created"]),
            f"opinion:{row['id']}",
            row["tracking_code"],
            detail=str(labels.get(row["status"], row["status"])),
            link=link(row["id"]),
        )
    closed = addressed.filter(closed_at__year=year).values(
        "id", "deputy_id", "closed_at", "due_at", "rating", "tracking_code"
    )
    for row in closed:
        person, day, code = (DEPUTY, row["deputy_id"]), _day(row["closed_at"]), row["tracking_code"]
        yield LineData(person, "opinion_handled", day, f"handled:{row['id']}", code, link=link(row["id"]))
        if row["due_at"] is not None and row["closed_at"] <= row["due_at"]:
            yield LineData(person, "opinion_on_time", day, f"ontime:{row['id']}", code, link=link(row["id"]))
        if row["rating"] == OpinionRating.SATISFIED:
            yield LineData(person, "opinion_satisfied", day, f"satisfied:{row['id']}", code, link=link(row["id"]))


# activities: attendance the organiser recorded (meetings apart), problems recorded and pushed ---------------------


def activities(people: People, year: int):
    link = link_to("activities:detail")
    invitations = Invitation.objects.filter(
        Q(deputy__in=people.deputies) | Q(member__in=people.members),
        activity__status=ActivityStatus.FINISHED,
        activity__starts_at__year=year,
    ).exclude(attendance=ActivityAttendance.UNKNOWN)
    for row in invitations.values(
        "id",
        "deputy_id",
        "member_id",
        "attendance",
        "reason",
        "activity_id",
        "activity__title",
        "activity__starts_at",
        "activity__kind__code",
        "activity__kind__name",
    ):
        meeting = row["activity__kind__code"] == "meeting"
        if row["attendance"] == ActivityAttendance.PRESENT:
            kind = "meeting_present" if meeting else "activity_present"
        elif row["attendance"] == ActivityAttendance.EXCUSED:
            kind = "activity_excused"
        else:
            kind = "meeting_absent" if meeting else "activity_absent"
        person = (DEPUTY, row["deputy_id"]) if row["deputy_id"] else (MEMBER, row["member_id"])
        yield LineData(
            person,
            kind,
            _day(row["activity__starts_at"]),
            f"invitation:{row['id']}",
            _cut(row["activity__title"]),
            detail=_cut(f"{row['activity__kind__name']} {row['reason']}".strip()),
            link=link(row["activity_id"]),
        )
    problems = ProblemItem.objects.filter(
        Q(recorded_by_deputy__in=people.deputies) | Q(recorded_by_member__in=people.members), created__year=year
    )
    statuses = dict(ProblemStatus.choices)
    for row in problems.values(
        "id",
        "recorded_by_deputy_id",
        "recorded_by_member_id",
        "created",
        "text",
        "status",
        "activity_id",
        "opinion__status",
        "pushed_at",
    ):
        person = (
            (DEPUTY, row["recorded_by_deputy_id"])
            if row["recorded_by_deputy_id"]
            else (MEMBER, row["recorded_by_member_id"])
        )
        label, target = _cut(row["text"]), link(row["activity_id"])
        outcome = str(statuses.get(row["status"], row["status"]))
        yield LineData(person, "problem_recorded", _day(row["created"]), f"problem:{row['id']}", label, outcome, target)
        if row["status"] in (ProblemStatus.PUSHED, ProblemStatus.LINKED):
            day = _day(row["pushed_at"] or row["created"])
            detail = outcome + (f" · {row['opinion__status']}" if row["opinion__status"] else "")
            yield LineData(person, "problem_pushed", day, f"pushed:{row['id']}", label, _cut(detail), target)


# suggestions and proposals: submitted (category, reply category, rating), joint-signed; 社情民意 adopted ------------

NOT_SUBMITTED = {State.SIGNING, State.WITHDRAWN}


def suggestions(people: People, year: int):
    link = link_to("suggestions_my:detail")
    own = Suggestion.objects.filter(
        Q(deputy__in=people.deputies) | Q(member__in=people.members), year=year, submitter_type="person"
    ).exclude(status__in=NOT_SUBMITTED)
    ratings = {}
    for row in (
        own.filter(ratings__isnull=False).values("id", "ratings__value", "ratings__round").order_by("ratings__round")
    ):
        ratings[row["id"]] = row["ratings__value"]
    for row in own.values(
        "id", "deputy_id", "member_id", "created", "title", "number", "category__name", "reply_category"
    ):
        person = (DEPUTY, row["deputy_id"]) if row["deputy_id"] else (MEMBER, row["member_id"])
        detail = " · ".join(
            part for part in (row["category__name"], row["reply_category"], ratings.get(row["id"], "")) if part
        )
        yield LineData(
            person,
            "suggestion_submitted",
            _day(row["created"]),
            f"suggestion:{row['id']}",
            _cut(f"{row['number']} {row['title']}"),
            _cut(detail),
            link(row["id"]),
        )
    deputy_users = dict(people.deputies.filter(user__isnull=False).values_list("user_id", "id"))
    member_users = dict(MemberAccount.objects.filter(member__in=people.members).values_list("user_id", "member_id"))
    signed = Signature.objects.filter(
        Q(user_id__in=people.deputies.filter(user__isnull=False).values("user_id"))
        | Q(user_id__in=MemberAccount.objects.filter(member__in=people.members).values("user_id")),
        status=Signature.Status.SIGNED,
        suggestion__year=year,
    )
    for row in signed.values(
        "id",
        "user_id",
        "answered_at",
        "suggestion_id",
        "suggestion__number",
        "suggestion__title",
        "suggestion__category__name",
        "suggestion__created",
    ):
        if row["user_id"] in deputy_users:
            person = (DEPUTY, deputy_users[row["user_id"]])
        elif row["user_id"] in member_users:
            person = (MEMBER, member_users[row["user_id"]])
        else:
            continue
        yield LineData(
            person,
            "suggestion_signed",
            _day(row["answered_at"] or row["suggestion__created"]),
            f"signature:{row['id']}",
            _cut(f"{row['suggestion__number']} {row['suggestion__title']}"),
            _cut(row["suggestion__category__name"]),
            link(row["suggestion_id"]),
        )
    report_link = link_to("suggestions_my:report")
    adopted = SocialReport.objects.filter(member__in=people.members, status=ReportState.ADOPTED, created__year=year)
    levels = dict(SocialReport.Level.choices)
    for row in adopted.values("id", "member_id", "created", "title", "adopted_level"):
        level = row["adopted_level"] or SocialReport.Level.LOCAL
        yield LineData(
            (MEMBER, row["member_id"]),
            f"social_report_{level}",
            _day(row["created"]),
            f"social:{row['id']}",
            _cut(row["title"]),
            str(levels.get(level, level)),
            report_link(row["id"]),
        )


# livelihood projects: that the deputy voted (present at a paper count, or an electronic ballot), never how -------

COUNTED = {SessionStatus.CLOSED, SessionStatus.SIGNED, SessionStatus.PUBLISHED}


def projects(people: People, year: int):
    link = link_to("projects:session", 2)
    entries = RollEntry.objects.filter(
        Q(present=True) | Q(voted=True),
        deputy__in=people.deputies,
        session__starts_at__year=year,
        session__status__in=COUNTED,
    )
    for row in entries.values(
        "id", "deputy_id", "session_id", "session__round_id", "session__title", "session__starts_at"
    ):
        yield LineData(
            (DEPUTY, row["deputy_id"]),
            "project_vote",
            _day(row["session__starts_at"]),
            f"roll:{row['id']}",
            _cut(row["session__title"]),
            link=link(row["session__round_id"], row["session_id"]),
        )


# CPPCC consultation: a member's speeches (发言) at meetings held (published or finished) in the year ---------------


def speeches(people: People, year: int):
    link = link_to("consultation:meeting", 1)
    rows = Speech.objects.filter(
        member__in=people.members,
        meeting__activity__starts_at__year=year,
        meeting__activity__status__in=[ActivityStatus.PUBLISHED, ActivityStatus.FINISHED],
    ).values("id", "member_id", "title", "meeting_id", "meeting__activity__starts_at", "meeting__activity__title")
    for row in rows:
        yield LineData(
            (MEMBER, row["member_id"]),
            "speech",
            _day(row["meeting__activity__starts_at"]),
            f"speech:{row['id']}",
            _cut(row["title"]),
            _cut(row["meeting__activity__title"]),
            link=link(row["meeting_id"]),
        )


register_source("receptions", receptions)
register_source("opinions", opinions)
register_source("activities", activities)
register_source("suggestions", suggestions)
register_source("projects", projects)
register_source("speeches", speeches)


def collect(people: People, year: int) -> dict[tuple[str, int], dict[str, LineData]]:
    """Every source's lines, by person and key."""
    lines = defaultdict(dict)
    for name, source in SOURCES.items():
        for line in source(people, year):
            line.source = name
            lines[line.person][line.key] = line
    return lines
