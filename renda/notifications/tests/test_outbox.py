"""The outbox: senders per channel, retries with back-off, each message sent exactly once."""

import logging
import threading
import time
from contextlib import nullcontext
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from renda.notifications import actions
from renda.notifications.apps import check_senders
from renda.notifications.models import Channel, Message, MessageStatus

T0 = timezone.now().replace(microsecond=0)
SENT: list[int] = []


class FailingSender:
    def send(self, message):
        raise ConnectionError("gateway down")


class FlakySender:
    """Fails on a message's first attempt, succeeds on the next."""

    def send(self, message):
        if message.attempts == 0:
            raise ConnectionError("timeout")
        SENT.append(message.pk)


class SlowRecordingSender:
    def send(self, message):
        time.sleep(0.01)  # long enough for another worker to reach the same rows
        SENT.append(message.pk)


SENDERS = "renda.notifications.tests.test_outbox"


def senders(**channels):
    base = {"sms": "renda.notifications.senders.LogSender", "site": "renda.notifications.senders.SiteSender"}
    return override_settings(NOTIFICATION_SENDERS=base | {k: f"{SENDERS}.{v}" for k, v in channels.items()})


def sms(n=0, **fields):
    context = {"code": f"CODE{n}", "url": f"http://x/t/CODE{n}/"}
    return Message.objects.create(
        channel=Channel.SMS,
        phone="13812345678",
        template="opinion_accepted",
        context=context,
        dedupe_key=f"k{n}",
        **fields,
    )


@pytest.fixture(autouse=True)
def clear_sent():
    SENT.clear()


@pytest.mark.django_db
def test_enqueue_is_idempotent_by_key():
    first = actions.enqueue(channel=Channel.SMS, template="opinion_accepted", context={}, dedupe_key="a", phone="1")
    again = actions.enqueue(channel=Channel.SMS, template="opinion_accepted", context={}, dedupe_key="a", phone="2")
    assert first is not None and again is None
    assert Message.objects.get().phone == "1"


@pytest.mark.django_db
def test_log_sender_sends_with_the_phone_masked(caplog):
    message = sms()
    with caplog.at_level(logging.INFO, logger="renda.notifications"):
        summary = actions.send_pending(now=T0)
    assert (summary.sent, summary.retried, summary.failed) == (1, 0, 0)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at == T0 and message.attempts == 1
    log = caplog.text
    assert "138****5678" in log and "13812345678" not in log and "CODE0" in log and "已受理" in log


@pytest.mark.django_db
def test_failures_back_off_then_fail_after_five_attempts():
    message = sms()
    now = T0
    with senders(sms="FailingSender"):
        for attempt, wait in enumerate((1, 5, 30, 120), start=1):
            assert actions.send_pending(now=now).retried == 1
            message.refresh_from_db()
            assert message.attempts == attempt and message.status == MessageStatus.PENDING
            assert message.next_attempt_at == now + timedelta(minutes=wait)
            assert "gateway down" in message.last_error
            # Not due before its time: a run a second early sends nothing.
            assert actions.send_pending(now=message.next_attempt_at - timedelta(seconds=1)).retried == 0
            now = message.next_attempt_at
        assert actions.send_pending(now=now).failed == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 5 and message.next_attempt_at is None
    summary = actions.send_pending(now=now + timedelta(days=1))
    assert (summary.sent, summary.retried, summary.failed) == (0, 0, 0)


@pytest.mark.django_db
def test_a_retry_succeeds_after_the_back_off():
    message = sms()
    with senders(sms="FlakySender"):
        assert actions.send_pending(now=T0).retried == 1
        assert actions.send_pending(now=T0 + timedelta(minutes=1)).sent == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2 and message.last_error == ""
    assert SENT == [message.pk]


@pytest.mark.django_db
def test_each_message_is_sent_once_when_run_twice_and_limit_is_kept():
    messages = [sms(n) for n in range(5)]
    with senders(sms="SlowRecordingSender"):
        assert actions.send_pending(now=T0, limit=3).sent == 3
        assert actions.send_pending(now=T0, limit=3).sent == 2
        assert actions.send_pending(now=T0, limit=3).sent == 0
    assert sorted(SENT) == [m.pk for m in messages]


@pytest.mark.django_db
def test_a_row_claimed_by_one_worker_is_not_claimed_by_another():
    message = sms()
    assert actions._claim(T0, 10) == [message.pk]
    # A second worker that read the same row before the claim: its conditional update now matches nothing.
    assert actions._claim(T0, 10) == []
    message.refresh_from_db()
    assert message.next_attempt_at == T0 + timedelta(minutes=actions.CLAIM_MINUTES)
    # If the first worker died, the message is due again once the claim lapses.
    assert actions._claim(T0 + timedelta(minutes=actions.CLAIM_MINUTES), 10) == [message.pk]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_exactly_once():
    """On PostgreSQL the two workers really overlap (SKIP LOCKED plus the conditional claim). The test database on
    SQLite is in memory with a shared cache, which answers concurrent access with "table is locked" instead of
    waiting; there the workers take turns batch by batch (SQLite serialises writers anyway)."""
    messages = [sms(n) for n in range(40)]
    errors = []
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()

    def worker():
        try:
            for _ in range(5):
                with turns:
                    actions.send_pending(now=T0, limit=7)
        except Exception as exc:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    with senders(sms="SlowRecordingSender"):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors
    assert sorted(SENT) == [m.pk for m in messages]  # every message once: none twice, none lost
    assert Message.objects.filter(status=MessageStatus.SENT, attempts=1).count() == 40


@pytest.mark.django_db
def test_site_sender_needs_an_account(world):
    ok = Message.objects.create(
        channel=Channel.SITE, user=world.keeper, template="reminder", context={}, dedupe_key="s1"
    )
    orphan = Message.objects.create(channel=Channel.SITE, template="reminder", context={}, dedupe_key="s2")
    summary = actions.send_pending(now=T0)
    assert (summary.sent, summary.retried) == (1, 1)
    ok.refresh_from_db()
    orphan.refresh_from_db()
    assert ok.status == MessageStatus.SENT and ok.read_at is None
    assert orphan.status == MessageStatus.PENDING and "recipient account" in orphan.last_error


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_email_sender_uses_django_mail(world):
    world.keeper.email = "keeper@example.org"
    world.keeper.save(update_fields=["email"])
    context = {"code": "ABC", "category": "其他", "due": "2026-10-09", "state": "已提交"}
    Message.objects.create(
        channel=Channel.EMAIL, user=world.keeper, template="reminder", context=context, dedupe_key="e"
    )
    with override_settings(NOTIFICATION_SENDERS={"email": "renda.notifications.senders.EmailSender"}):
        assert actions.send_pending(now=T0).sent == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["keeper@example.org"] and "ABC" in mail.outbox[0].body


def test_settings_check_reports_a_sender_that_cannot_be_imported():
    with override_settings(NOTIFICATION_SENDERS={"sms": "renda.notifications.senders.NoSuchSender"}):
        errors = check_senders()
    assert [e.id for e in errors] == ["notifications.E001"]
    assert check_senders() == []


@pytest.mark.django_db
def test_command_prints_a_summary(capsys):
    sms(1)
    sms(2)
    call_command("send_notifications", "--limit", "1")
    assert "sent 1" in capsys.readouterr().out
    call_command("send_notifications")
    assert "sent 1" in capsys.readouterr().out
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 2
