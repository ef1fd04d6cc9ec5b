"""Livelihood project votes as Popolo open data: the voting bodies, the sessions (events), one motion per project
put to a session, and its vote event with the counts. Only sessions whose results are published appear.

- organization/projects-body/<round id>: the congress or joint meeting that votes the round (area = its region code)
- event/projects-session/<session id>: the sitting; `count_record` adds the numbers Popolo has no field for
  (entitled, present, ballots issued, returned, valid, invalid, blank)
- motion/projects/<session id>/<project id>: "list project X" (a vote) or "evaluate project X" (an evaluation);
  requirement says the rule; result: elected / not elected / tie decided, or the verdict
- vote-event/projects/<session id>/<project id>: counts per option (yes/no/abstain; satisfied/basically satisfied/
  unsatisfied/abstain) and the result (pass/fail, or the verdict)

A fixed number of queries whatever the number of rounds: sessions, their tallies, the projects and the rolls.
No person appears: the ballot is secret, and who was present is not published here.
"""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import translation

from renda.workdays.calendar import CHINA

from .models import Project, Result, RollEntry, Session, SessionKind, SessionStatus, Tally

VOTE_OPTIONS = {"for": "yes", "against": "no", "abstain": "abstain"}
EVALUATION_OPTIONS = {
    "satisfied": "satisfied",
    "basic": "basically satisfied",
    "unsatisfied": "unsatisfied",
    "abstain": "abstain",
}


def _iso(value) -> str:
    """Seconds and the China offset: 2026-12-06T09:00:00+08:00 (Popolo's date pattern has no fractions)."""
    return value.astimezone(CHINA).replace(microsecond=0).isoformat()


def build(request) -> dict:
    with translation.override("zh-hans"):
        return _build(request)


def _build(request) -> dict:
    sessions = list(
        Session.objects.filter(status=SessionStatus.PUBLISHED)
        .select_related("round__region")
        .order_by("starts_at", "id")
    )
    ids = [s.pk for s in sessions]
    votes = defaultdict(lambda: defaultdict(int))
    for row in (
        Tally.objects.filter(session_id__in=ids).values("session_id", "project_id", "option").annotate(n=Sum("votes"))
    ):
        votes[(row["session_id"], row["project_id"])][row["option"]] += row["n"]
    rolls = {
        row["session_id"]: row
        for row in RollEntry.objects.filter(session_id__in=ids)
        .values("session_id")
        .annotate(entitled=Count("id"), present=Count("id", filter=Q(present=True)))
    }
    round_ids = {s.round_id for s in sessions}
    projects = defaultdict(list)
    for project in Project.objects.filter(round_id__in=round_ids).order_by("number"):
        projects[project.round_id].append(project)

    organizations, events, motions, vote_events = {}, [], [], []
    for session in sessions:
        round_ = session.round
        org_id = f"organization/projects-body/{round_.pk}"
        organizations[org_id] = {
            "id": org_id,
            "name": f"{round_.region.name}{round_.get_body_display()}",
            "classification": round_.body,
            "area_id": f"area/{round_.region.code}",
        }
        event_id = f"event/projects-session/{session.pk}"
        roll = rolls.get(session.pk, {"entitled": 0, "present": 0})
        electronic = session.electronic_ballots
        events.append(
            {
                "id": event_id,
                "name": session.title,
                "classification": session.kind,
                "organization_id": org_id,
                "start_date": _iso(session.starts_at),
                "count_record": {
                    "entitled": roll["entitled"],
                    "present": roll["present"],
                    "issued": (session.paper_issued or 0) + electronic,
                    "returned": (session.paper_returned or 0) + electronic,
                    "valid": (session.paper_valid or 0) + electronic,
                    "invalid": session.paper_invalid or 0,
                    "blank": session.paper_blank or 0,
                },
                "sources": [
                    {
                        "url": request.build_absolute_uri(
                            reverse("projects_public:ballots", args=[round_.pk, session.pk])
                        )
                    }
                ],
            }
        )
        is_vote = session.kind == SessionKind.VOTE
        options = VOTE_OPTIONS if is_vote else EVALUATION_OPTIONS
        for project in projects[round_.pk]:
            if not is_vote and project.result != Result.ELECTED:
                continue
            tally = votes[(session.pk, project.pk)]
            motion_id = f"motion/projects/{session.pk}/{project.pk}"
            if is_vote:
                text = f"将“{project.title}”列为{round_.year}年民生实事项目"
                requirement = (
                    f"赞成票超过实到代表的{round_.threshold_fraction}，在{round_.places}个名额内按得票多少确定"
                )
                result = project.get_result_display()
                outcome = "pass" if project.result == Result.ELECTED else "fail"
            else:
                text = f"对“{project.title}”进行满意度测评"
                requirement = (
                    f"满意票超过有效票的{round_.satisfied_fraction}为满意；"
                    f"满意与基本满意超过{round_.basic_fraction}为基本满意"
                )
                result = project.get_verdict_display()
                outcome = project.verdict
            motions.append(
                {
                    "id": motion_id,
                    "organization_id": org_id,
                    "legislative_session_id": event_id,
                    "identifier": str(project.number),
                    "text": text,
                    "classification": "livelihood-project" if is_vote else "satisfaction-evaluation",
                    "date": _iso(session.starts_at),
                    "requirement": requirement,
                    "result": result,
                }
            )
            vote_events.append(
                {
                    "id": f"vote-event/projects/{session.pk}/{project.pk}",
                    "motion_id": motion_id,
                    "organization_id": org_id,
                    "legislative_session_id": event_id,
                    "start_date": _iso(session.starts_at),
                    "end_date": _iso(session.ends_at),
                    "result": outcome,
                    "counts": [{"option": label, "value": tally.get(option, 0)} for option, label in options.items()],
                }
            )
    return {
        "organizations": sorted(organizations.values(), key=lambda org: org["id"]),
        "events": events,
        "motions": motions,
        "vote_events": vote_events,
    }
