"""The platform's own Prometheus gauges, computed when Prometheus scrapes /metrics (a custom collector).

django-prometheus counts requests, latency and database queries; these gauges say how the work is going: the outbox
backlog and failures per channel, the task queue per queue, overdue opinions and whether next year's holidays are
known. Each is one indexed, grouped query (outbox: index on status; tasks: the partial index on ready rows; opinions:
index on status and due_at), so a scrape costs a handful of queries whatever the size of the tables.

The names are listed in METRIC_NAMES; deploy/grafana/renda.json queries them (a test checks it).
"""

import logging

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from renda.notifications.models import Message, MessageStatus
from renda.opinions.models import Opinion
from renda.opinions.workflow import OPEN_STATES
from renda.workdays.coverage import year_needing_holidays

from . import health

log = logging.getLogger(__name__)

METRIC_NAMES = (
    "renda_outbox_pending",
    "renda_outbox_failed",
    "renda_outbox_oldest_pending_seconds",
    "renda_task_queue_depth",
    "renda_task_oldest_ready_seconds",
    "renda_opinions_open",
    "renda_opinions_overdue",
    "renda_holiday_data_missing",
    "renda_collector_up",
)


def _families():
    return {
        "renda_outbox_pending": GaugeMetricFamily(
            "renda_outbox_pending", "Outbox messages waiting to be sent, by channel", labels=["channel"]
        ),
        "renda_outbox_failed": GaugeMetricFamily(
            "renda_outbox_failed", "Outbox messages that failed for good, by channel", labels=["channel"]
        ),
        "renda_outbox_oldest_pending_seconds": GaugeMetricFamily(
            "renda_outbox_oldest_pending_seconds", "Age of the oldest pending outbox message (0 if none)"
        ),
        "renda_task_queue_depth": GaugeMetricFamily(
            "renda_task_queue_depth", "Background tasks ready and waiting for a worker, by queue", labels=["queue"]
        ),
        "renda_task_oldest_ready_seconds": GaugeMetricFamily(
            "renda_task_oldest_ready_seconds", "How long the oldest ready task has waited (0 if none)"
        ),
        "renda_opinions_open": GaugeMetricFamily("renda_opinions_open", "Opinions still being handled"),
        "renda_opinions_overdue": GaugeMetricFamily(
            "renda_opinions_overdue", "Opinions being handled whose current step is past its deadline"
        ),
        "renda_holiday_data_missing": GaugeMetricFamily(
            "renda_holiday_data_missing",
            "1 when next year begins within CALENDAR_REMINDER_DAYS and its holidays are unknown",
        ),
        "renda_collector_up": GaugeMetricFamily(
            "renda_collector_up", "1 when the platform's gauges could be read from the database"
        ),
    }


def _age(now, oldest) -> float:
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0


def _fill(families, now) -> None:
    for status, name in (
        (MessageStatus.PENDING, "renda_outbox_pending"),
        (MessageStatus.FAILED, "renda_outbox_failed"),
    ):
        rows = Message.objects.filter(status=status).values_list("channel").annotate(n=Count("id")).order_by()
        counts = dict(rows)
        for channel in sorted(set(counts) | {"sms", "wechat", "email", "site"}):
            families[name].add_metric([channel], counts.get(channel, 0))
    oldest = Message.objects.filter(status=MessageStatus.PENDING).aggregate(oldest=Min("created"))["oldest"]
    families["renda_outbox_oldest_pending_seconds"].add_metric([], _age(now, oldest))

    if health.task_backend_is_database():
        from django_tasks_db.models import DBTaskResult, TaskResultStatus

        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        for queue, n in ready.values_list("queue_name").annotate(n=Count("id")).order_by():
            families["renda_task_queue_depth"].add_metric([queue], n)
        oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
        families["renda_task_oldest_ready_seconds"].add_metric([], _age(now, oldest))
    else:
        families["renda_task_oldest_ready_seconds"].add_metric([], 0)

    open_states = [str(state) for state in OPEN_STATES]
    families["renda_opinions_open"].add_metric([], Opinion.objects.filter(status__in=open_states).count())
    overdue = Opinion.objects.filter(status__in=open_states, due_at__lt=now).count()
    families["renda_opinions_overdue"].add_metric([], overdue)
    missing = year_needing_holidays(timezone.localdate(now)) is not None
    families["renda_holiday_data_missing"].add_metric([], 1 if missing else 0)


class RendaCollector:
    def describe(self):
        # Names only: registering the collector must not query the database (it happens at start-up).
        return list(_families().values())

    def collect(self):
        families = _families()
        try:
            _fill(families, timezone.now())
            up = 1
        except Exception:
            log.exception("metrics: the platform's gauges could not be read")
            families = {"renda_collector_up": families["renda_collector_up"]}
            up = 0
        families["renda_collector_up"].add_metric([], up)
        return list(families.values())


_registered = {"done": False}


def register_collector() -> None:
    if not _registered["done"]:
        REGISTRY.register(RendaCollector())
        _registered["done"] = True
