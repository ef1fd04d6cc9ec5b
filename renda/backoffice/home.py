"""The staff home: "what do I do now", one section per role the user holds.

Each section is a list of counts, each count a link to the list that shows exactly those items (the list's own
filter: e.g. `/staff/opinions/?role=keeper&status=submitted`), plus an optional block (today's duties with the
check-in button, today's roster, the coming reception days). A few grouped queries per section: counts of one
table are one aggregate, never a query per count.

Extending: a domain app that gives a role something to do (activities: invitations to answer, activities to
confirm; exports in progress) adds a function to `EXTRA_COUNTS[<role key>]`; it receives the user and today's date
and returns `Count`s. The back office is the top layer, so it may import that app here; nothing below imports this
module.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count as DbCount
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.accounts.access import users_for_security
from renda.accounts.lockout import locked_usernames
from renda.accounts.scope import scope_for
from renda.activities.access import invitations_of_user, organised_activities
from renda.activities.models import Answer
from renda.activities.models import Status as ActivityStatus
from renda.exports.access import jobs_for as export_jobs_for
from renda.exports.models import ExportStatus
from renda.imports.access import jobs_for
from renda.imports.models import ImportStatus
from renda.jointmeetings.access import member_open_topics as joint_member_open_topics
from renda.opinions import stats as opinion_stats
from renda.opinions.forms import DUE_SOON_DAYS, role_q, waiting_states
from renda.opinions.models import Opinion
from renda.opinions.workflow import OPEN_STATES, Actor, State
from renda.projects.access import deputy_sessions
from renda.projects.models import SessionStatus
from renda.receptions import access as reception_access
from renda.receptions.models import Duty, Reception
from renda.receptions.rules import china_today
from renda.receptions.workflow import CampaignStatus, ReceptionStatus
from renda.suggestions.access import office_reports, office_suggestions, unit_tasks_for
from renda.suggestions.models import Signature, Suggestion, SuggestionRating
from renda.suggestions.workflow import HANDLING, ReportState
from renda.suggestions.workflow import OPEN_STATES as SUGGESTION_OPEN
from renda.suggestions.workflow import Kind as SuggestionKind
from renda.suggestions.workflow import State as SuggestionState
from renda.workdays.coverage import year_needing_holidays

from .audit_access import audit_events_for, may_read_audit

# How many coming reception days the congress staff's section lists.
COMING_CAMPAIGNS = 3


@dataclass
class Count:
    label: str
    count: int
    url: str
    # "alert": a number that should be 0 (overdue, escalated) is shown in the alert colour when it is not.
    tone: str = ""
    key: str = ""


@dataclass
class Section:
    key: str  # the role: staff, keeper, deputy, unit, system, security, audit
    title: str
    counts: list[Count] = field(default_factory=list)
    # An optional block under the counts: backoffice/home/_<key>.html, with `block` as its context.
    block: dict = field(default_factory=dict)
    # When the opinion counts were read from the dashboards' summary: its refresh time, shown under the counts.
    as_of: datetime | None = None


# Counts other apps add to a role's section: {role key: [fn(user, today) -> Iterable[Count]]} (filled below).
EXTRA_COUNTS: dict[str, list[Callable[..., Iterable[Count]]]] = {
    "staff": [],
    "keeper": [],
    "deputy": [],
    "unit": [],
}


def _invitations_to_answer(user, today: date) -> Iterable[Count]:
    """A deputy's (or member's) published invitations not yet answered, while an answer is still taken."""
    pending = invitations_of_user(user).filter(
        answer=Answer.PENDING, activity__status=ActivityStatus.PUBLISHED, activity__starts_at__gt=timezone.now()
    )
    yield Count(_("Invitations to answer"), pending.count(), _url("activities_my:list"), key="activity_invitations")


def _activities_to_confirm(user, today: date) -> Iterable[Count]:
    """Activities deputies recorded themselves, waiting for the office to confirm or reject them."""
    waiting = organised_activities(user).filter(status=ActivityStatus.REPORTED).count()
    yield Count(_("Activities to confirm"), waiting, _url("activities:list", status=ActivityStatus.REPORTED),
                key="activities_reported")  # fmt: skip


def _exports_in_progress(user, today: date) -> Iterable[Count]:
    running = export_jobs_for(user).filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).count()
    yield Count(_("Exports in progress"), running, _url("exports:list"), key="exports")


def _joint_meeting_topics(user, today: date) -> Iterable[Count]:
    """A member deputy's joint meetings (一题四联): the topics published and not yet closed; nothing for others."""
    topics = joint_member_open_topics(user)
    if topics is not None:
        yield Count(_("Joint-meeting topics in progress"), topics, _url("jointmeetings_my:list"), key="joint_topics")


EXTRA_COUNTS["staff"] += [_activities_to_confirm, _exports_in_progress]
EXTRA_COUNTS["deputy"] += [_invitations_to_answer, _joint_meeting_topics]


def _url(name: str, args=None, **params) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


def _opinion_url(**params) -> str:
    # `status` is always given: without it a non-staff user's inbox opens on "needs my action".
    params.setdefault("status", "")
    return _url("opinions:list", **params)


def _open() -> list[str]:
    return [str(s) for s in OPEN_STATES]


def opinion_counts(user, role: str) -> dict:
    """One aggregate over the open opinions the user reaches in `role`: waiting on that role, new, overdue,
    escalated, due within DUE_SOON_DAYS (and waiting on the role), and `as_of` (None: counted now). Every count is of
    open opinions (each role's waiting states are open), so the scan starts from the status index and never reads the
    finished millions. The inbox filters of the same names give the same rows. Congress staff whose regions hold more
    than HOME_SUMMARY_ABOVE open opinions read them from the dashboards' summary instead (`summary_counts`)."""
    if role == Actor.STAFF and settings.HOME_SUMMARY_ABOVE:
        counts = summary_counts(user)
        if counts is not None:
            return counts
    now = timezone.now()
    waiting = Q(status__in=waiting_states(role))
    soon = Q(due_at__gte=now, due_at__lt=now + timedelta(days=DUE_SOON_DAYS))
    return (
        Opinion.objects.filter(role_q(user, role), status__in=_open())
        .order_by()
        .aggregate(
            waiting=DbCount("pk", filter=waiting),
            new=DbCount("pk", filter=Q(status=State.SUBMITTED)),
            overdue=DbCount("pk", filter=Q(due_at__lt=now)),
            overdue_waiting=DbCount("pk", filter=Q(due_at__lt=now) & waiting),
            escalated=DbCount("pk", filter=Q(escalated_at__isnull=False)),
            soon_waiting=DbCount("pk", filter=soon & waiting),
        )
    ) | {"as_of": None}


def summary_counts(user) -> dict | None:
    """The congress staff's counts from the dashboards' summary, as of its last refresh and by due day (overdue: due
    before today), when their regions hold more than HOME_SUMMARY_ABOVE open opinions; else None (counted live)."""
    answer = opinion_stats.summary_open_counts(scope_for(user).staff_paths, settings.HOME_SUMMARY_ABOVE)
    if answer is None:
        return None
    rows, as_of = answer
    today = timezone.localdate()
    soon_end = today + timedelta(days=DUE_SOON_DAYS)
    waiting = set(waiting_states(Actor.STAFF))
    counts = dict.fromkeys(("waiting", "new", "overdue", "overdue_waiting", "escalated", "soon_waiting"), 0)
    for row in rows:
        n, is_waiting, due = row["n"], row["status"] in waiting, row["due"]
        overdue = due is not None and due < today
        counts["waiting"] += n if is_waiting else 0
        counts["new"] += n if row["status"] == State.SUBMITTED else 0
        counts["overdue"] += n if overdue else 0
        counts["overdue_waiting"] += n if overdue and is_waiting else 0
        counts["escalated"] += n if row["escalated"] else 0
        counts["soon_waiting"] += n if is_waiting and due is not None and today <= due < soon_end else 0
    return counts | {"as_of": as_of}


def _alert(n: int) -> str:
    return "alert" if n else ""


def _extras(key: str, user, today: date) -> list[Count]:
    return [count for fn in EXTRA_COUNTS.get(key, ()) for count in fn(user, today)]


# --- one builder per role -------------------------------------------------------------------------------------------


def _office_item_counts(items) -> dict:
    """What waits on a suggestions office, in one query: items to register, replies to review, overdue items."""
    return items.aggregate(
        submitted=DbCount("pk", filter=Q(status=SuggestionState.SUBMITTED)),
        replied=DbCount("pk", filter=Q(status=SuggestionState.REPLIED)),
        overdue=DbCount("pk", filter=Q(due_at__lt=timezone.now(), status__in=[str(s) for s in SUGGESTION_OPEN])),
    )


def staff_section(user, today: date) -> Section:
    o = opinion_counts(user, Actor.STAFF)
    s = _office_item_counts(office_suggestions(user))
    attendance = reception_access.awaiting_attendance(user, timezone.localdate()).count()
    imports = jobs_for(user).filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).count()
    counts = [
        Count(_("Opinions waiting on you"), o["waiting"], _opinion_url(role="staff", status="mine"), key="waiting"),
        Count(
            _("Overdue opinions"), o["overdue"], _opinion_url(role="staff", overdue=1), _alert(o["overdue"]), "overdue"
        ),
        Count(
            _("Escalated opinions (督办)"),
            o["escalated"],
            _opinion_url(role="staff", escalated=1),
            _alert(o["escalated"]),
            "escalated",
        ),
        Count(
            _("Suggestions to register"),
            s["submitted"],
            _url("suggestions:inbox", status="submitted"),
            key="suggestions_submitted",
        ),
        Count(
            _("Replies to review"), s["replied"], _url("suggestions:inbox", status="replied"), key="suggestions_replied"
        ),
        Count(
            _("Overdue suggestions"),
            s["overdue"],
            _url("suggestions:inbox", overdue=1),
            _alert(s["overdue"]),
            "suggestions_overdue",
        ),
        Count(_("Attendance to record"), attendance, _url("receptions:pending_attendance"), key="attendance"),
        Count(_("Imports in progress"), imports, _url("imports:list"), key="imports"),
        *_extras("staff", user, today),
    ]
    campaigns = list(
        reception_access.campaigns_for(user)
        .filter(date__gte=today, status__in=[CampaignStatus.DRAFT, CampaignStatus.PUBLISHED])
        .select_related("region")
        .order_by("date", "id")[:COMING_CAMPAIGNS]
    )
    return Section("staff", _("Congress staff"), counts, {"campaigns": campaigns, "today": today}, as_of=o["as_of"])


def cppcc_section(user, today: date) -> Section:
    """CPPCC staff (政协机关): the proposals and 社情民意 reports of their regions, nothing of the congress side."""
    s = _office_item_counts(office_suggestions(user).filter(kind=SuggestionKind.CPPCC))
    reports = office_reports(user).filter(status=ReportState.SUBMITTED).count()
    cppcc = SuggestionKind.CPPCC
    counts = [
        Count(
            _("Proposals to register"),
            s["submitted"],
            _url("suggestions:inbox", kind=cppcc, status="submitted"),
            key="proposals_submitted",
        ),
        Count(
            _("Proposal replies to review"),
            s["replied"],
            _url("suggestions:inbox", kind=cppcc, status="replied"),
            key="proposals_replied",
        ),
        Count(
            _("Overdue proposals"),
            s["overdue"],
            _url("suggestions:inbox", kind=cppcc, overdue=1),
            _alert(s["overdue"]),
            "proposals_overdue",
        ),
        Count(_("社情民意 reports to decide"), reports, _url("suggestions:reports"), key="reports_submitted"),
    ]
    return Section("cppcc", _("CPPCC staff"), counts)


def keeper_section(user, today: date) -> Section:
    scope = scope_for(user)
    o = opinion_counts(user, Actor.KEEPER)
    counts = [
        Count(_("New opinions at your station"), o["new"], _opinion_url(role="keeper", status="submitted"), key="new"),
        Count(_("Opinions waiting on you"), o["waiting"], _opinion_url(role="keeper", status="mine"), key="waiting"),
        Count(
            _("Overdue opinions"), o["overdue"], _opinion_url(role="keeper", overdue=1), _alert(o["overdue"]), "overdue"
        ),
    ]
    if not scope.is_congress_staff:  # staff see the same list (theirs includes these) in their own section
        attendance = reception_access.awaiting_attendance(user, timezone.localdate()).count()
        counts.append(
            Count(_("Reception records to enter"), attendance, _url("receptions:pending_attendance"), key="attendance")
        )
    counts += _extras("keeper", user, today)
    receptions = list(
        Reception.objects.filter(station_id__in=scope.station_ids, date=today)
        .select_related("station")
        .prefetch_related(
            Prefetch(
                "duties",
                queryset=Duty.objects.select_related("deputy")
                .only("id", "reception_id", "checked_in_at", "deputy__id", "deputy__name")
                .order_by("pk"),
            )
        )
        .order_by("starts", "id")
    )
    return Section("keeper", _("Station keeper"), counts, {"receptions": receptions})


def deputy_section(user, today: date) -> Section:
    o = opinion_counts(user, Actor.DEPUTY)
    invitations = Signature.objects.filter(
        user=user, status=Signature.Status.INVITED, suggestion__status=SuggestionState.SIGNING
    ).count()
    # Answered items of theirs (their own, merged into, co-signed) not yet rated by them in the current round: the
    # "waiting for your rating" list of the my-suggestions page, counted in one query.
    rated = SuggestionRating.objects.filter(user=user, suggestion=OuterRef("pk"), round=OuterRef("round"))
    to_rate = (
        Suggestion.objects.filter(status=SuggestionState.ANSWERED)
        .filter(
            Q(author=user)
            | Q(merged__author=user)
            | Q(signatures__user=user, signatures__status=Signature.Status.SIGNED)
        )
        .filter(~Exists(rated))
        .values("pk")
        .distinct()
        .count()
    )
    votes = deputy_sessions(user).filter(status=SessionStatus.VOTING).count()
    mine = _url("suggestions_my:list")
    counts = [
        Count(_("Opinions waiting on you"), o["waiting"], _opinion_url(role="deputy", status="mine"), key="waiting"),
        Count(_("Suggestions to sign jointly"), invitations, mine + "#invitations", key="invitations"),
        Count(_("Replies to rate"), to_rate, mine + "#to-rate", key="to_rate"),
        Count(_("Votes open"), votes, _url("projects:my_sessions"), key="votes"),
        # The activities app's "invitations to answer" is added here through EXTRA_COUNTS["deputy"].
        *_extras("deputy", user, today),
    ]
    duties = reception_access.own_duties(user).select_related("reception__station", "reception__campaign")
    # Today's duties and the next one in one query (a deputy has a handful of duties in the coming weeks).
    coming = list(duties.filter(reception__date__gte=today).order_by("reception__date", "reception__starts", "pk")[:20])
    today_duties = [duty for duty in coming if duty.reception.date == today]
    next_duty = next(
        (d for d in coming if d.reception.date > today and d.reception.status == ReceptionStatus.SCHEDULED), None
    )
    return Section("deputy", _("Deputy"), counts, {"today_duties": today_duties, "next_duty": next_duty})


def unit_section(user, today: date) -> Section:
    o = opinion_counts(user, Actor.UNIT)
    now = timezone.now()
    tasks = unit_tasks_for(user).filter(suggestion__status__in=HANDLING, due_at__isnull=False)
    t = tasks.aggregate(
        soon=DbCount("pk", filter=Q(due_at__gte=now, due_at__lte=now + timedelta(days=DUE_SOON_DAYS))),
        overdue=DbCount("pk", filter=Q(due_at__lt=now)),
    )
    counts = [
        Count(
            _("Opinions due this week"),
            o["soon_waiting"],
            _opinion_url(role="unit", status="mine", due="week"),
            key="opinions_soon",
        ),
        Count(
            _("Overdue opinions"),
            o["overdue_waiting"],
            _opinion_url(role="unit", status="mine", overdue=1),
            _alert(o["overdue_waiting"]),
            "overdue",
        ),
        Count(_("Suggestions due this week"), t["soon"], _url("suggestions:unit_inbox", due="week"), key="tasks_soon"),
        Count(
            _("Overdue suggestions"),
            t["overdue"],
            _url("suggestions:unit_inbox", overdue=1),
            _alert(t["overdue"]),
            "tasks_overdue",
        ),
        *_extras("unit", user, today),
    ]
    return Section("unit", _("Handling unit"), counts)


def system_section(user, today: date) -> Section:
    # System admins are reminded to enter next year's holidays when nothing knows them (renda/workdays/coverage.py).
    return Section(
        "system",
        _("System administrator"),
        [],
        {"holiday_year": year_needing_holidays(timezone.localdate()), "accounts": _url("accounts:user_list")},
    )


def security_section(user, today: date) -> Section:
    usernames = list(users_for_security(user).values_list("username", flat=True))
    locked = len(locked_usernames(usernames))
    counts = [Count(_("Locked accounts"), locked, _url("accounts:locks"), _alert(locked), "locked")]
    return Section("security", _("Security administrator"), counts)


def audit_section(user, today: date) -> Section:
    start = timezone.localdate().isoformat()
    events = audit_events_for(user).filter(at__date__gte=timezone.localdate())
    a = events.aggregate(all=DbCount("pk"), failed=DbCount("pk", filter=Q(action__startswith="login.failed")))
    counts = [
        Count(_("Audit records today"), a["all"], _url("audit:list", **{"from": start}), key="today"),
        Count(
            _("Failed sign-ins today"),
            a["failed"],
            _url("audit:list", **{"from": start, "action": "login.failed"}),
            key="failed",
        ),
    ]
    return Section("audit", _("Audit administrator"), counts)


def sections_for(user) -> list[Section]:
    """One section per role the user holds, in a fixed order."""
    scope = scope_for(user)
    today = china_today()
    sections = []
    if scope.is_congress_staff:
        sections.append(staff_section(user, today))
    if scope.is_cppcc_staff:
        sections.append(cppcc_section(user, today))
    if scope.station_ids:
        sections.append(keeper_section(user, today))
    if scope.deputy_ids:
        sections.append(deputy_section(user, today))
    if scope.unit_ids:
        sections.append(unit_section(user, today))
    if scope.admin_paths:
        sections.append(system_section(user, today))
    if scope.security_paths:
        sections.append(security_section(user, today))
    if may_read_audit(user):
        sections.append(audit_section(user, today))
    return sections
