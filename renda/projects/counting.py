"""The count record of a session, read from its rows: entitled, present, ballots, and votes per project and option.

Electronic ballots are always valid (the phone and `actions.voting.cast` refuse a bad one), so they add to issued,
returned and valid alike; paper numbers come from the counters' entry.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, Sum

from .models import EVALUATION_OPTIONS, VOTE_OPTIONS, Ballot, Option, Project, Result, Session, SessionKind


def tally_ballots(session: Session) -> Counter:
    """Votes per (project id, option) over the session's electronic ballots. PostgreSQL counts inside the database
    (jsonb_each_text, one grouped query); SQLite's JSON1 does the same with json_each."""
    table = Ballot._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT e.key, e.value, COUNT(*) FROM {table} b, jsonb_each_text(b.choices) e "
            "WHERE b.session_id = %s GROUP BY e.key, e.value"
        )
    else:
        sql = (
            f"SELECT e.key, e.value, COUNT(*) FROM {table} b, json_each(b.choices) e "
            "WHERE b.session_id = %s GROUP BY e.key, e.value"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [session.pk])
        return Counter({(int(key), value): count for key, value, count in cursor.fetchall()})


def ballot_projects(session: Session):
    """The projects on the session's ballot: the whole candidate list for a vote, the elected ones in an evaluation."""
    projects = Project.objects.filter(round_id=session.round_id)
    if session.kind == SessionKind.EVALUATION:
        projects = projects.filter(result=Result.ELECTED)
    return projects.order_by("number")


def options_for(session: Session):
    return VOTE_OPTIONS if session.kind == SessionKind.VOTE else EVALUATION_OPTIONS


@dataclass
class CountRecord:
    entitled: int
    present: int
    voted_electronically: int
    issued: int
    returned: int
    valid: int
    invalid: int
    blank: int
    paper_entered: bool
    # [(project, {option: votes})], in ballot order.
    lines: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.paper_entered

    @property
    def option_labels(self) -> list:
        return [Option(option).label for option in self.lines[0][1]] if self.lines else []

    @property
    def labelled(self) -> list:
        """[(project, [(option label, votes)])] for pages."""
        return [(project, [(Option(o).label, n) for o, n in votes.items()]) for project, votes in self.lines]


def count_record(session: Session) -> CountRecord:
    roll = session.roll.aggregate(
        entitled=Count("id"), present=Count("id", filter=Q(present=True)), voted=Count("id", filter=Q(voted=True))
    )
    electronic = session.electronic_ballots
    paper = [
        session.paper_issued,
        session.paper_returned,
        session.paper_valid,
        session.paper_invalid,
        session.paper_blank,
    ]
    paper_entered = not session.has_paper or session.paper_issued is not None
    issued, returned, valid, invalid, blank = (value or 0 for value in paper)
    totals: dict[int, dict[str, int]] = {}
    for row in session.tallies.values("project_id", "option").annotate(votes=Sum("votes")):
        totals.setdefault(row["project_id"], {})[row["option"]] = row["votes"]
    options = options_for(session)
    lines = [
        (project, {option: totals.get(project.pk, {}).get(option, 0) for option in options})
        for project in ballot_projects(session).select_related("lead_unit")
    ]
    return CountRecord(
        entitled=roll["entitled"],
        present=roll["present"],
        voted_electronically=roll["voted"],
        issued=issued + electronic,
        returned=returned + electronic,
        valid=valid + electronic,
        invalid=invalid,
        blank=blank,
        paper_entered=paper_entered,
        lines=lines,
    )
