"""Problem-list figures per activity and per campaign: items, handed on (pushed or linked), handled, on time,
rated and satisfied. One grouped query whatever the number of items.

Definitions (also shown on the pages):
- handled = pushed items whose opinion is answered (closed, awaiting rating, or finally closed), and linked items
  whose suggestion is answered;
- on time = handled items answered within ACTIVITY_PROBLEM_DAYS days of being pushed;
- satisfied = items whose opinion the recording deputy rated 满意 or 基本满意 (of those rated).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Q

from renda.opinions.workflow import Rating
from renda.opinions.workflow import State as OpinionState
from renda.suggestions.workflow import ANSWERED_STATES

from .models import ProblemItem, ProblemStatus

ANSWERED = [OpinionState.CLOSED, OpinionState.FINAL]


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    items: int = 0
    listed: int = 0
    dropped: int = 0
    handed_on: int = 0
    handled: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def handling_rate(self):
        return _rate(self.handled, self.handed_on)

    @property
    def on_time_rate(self):
        return _rate(self.on_time, self.handled)

    @property
    def satisfaction_rate(self):
        return _rate(self.satisfied, self.rated)


def _aggregates():
    limit = ExpressionWrapper(F("pushed_at") + timedelta(days=settings.ACTIVITY_PROBLEM_DAYS), DateTimeField())
    handled_q = Q(opinion__status__in=ANSWERED) | Q(suggestion__status__in=list(ANSWERED_STATES))
    return {
        "items": Count("id"),
        "listed": Count("id", filter=Q(status=ProblemStatus.LISTED)),
        "dropped": Count("id", filter=Q(status=ProblemStatus.DROPPED)),
        "handed_on": Count("id", filter=Q(status__in=[ProblemStatus.PUSHED, ProblemStatus.LINKED])),
        "handled": Count("id", filter=handled_q),
        "on_time": Count(
            "id",
            filter=(Q(opinion__status__in=ANSWERED) & Q(opinion__closed_at__lte=limit))
            | (Q(suggestion__status__in=list(ANSWERED_STATES)) & Q(suggestion__answered_at__lte=limit)),
        ),
        "rated": Count("id", filter=~Q(opinion__rating="") & Q(opinion__isnull=False)),
        "satisfied": Count("id", filter=Q(opinion__rating__in=[Rating.SATISFIED, Rating.BASICALLY])),
    }


def figures(items) -> Figures:
    """The figures of a queryset of problem items (an activity's, a campaign's)."""
    return Figures(**items.order_by().aggregate(**_aggregates()))


def by_activity(activity_ids) -> dict[int, Figures]:
    rows = (
        ProblemItem.objects.filter(activity_id__in=list(activity_ids))
        .values("activity_id")
        .annotate(**_aggregates())
        .order_by()
    )
    return {row.pop("activity_id"): Figures(**row) for row in rows}
