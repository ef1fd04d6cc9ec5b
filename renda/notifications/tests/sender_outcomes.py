"""What the outbox does with a cloud SMS sender's refusals, the same for every gateway (aliyun_sms, tencent_sms)."""

from renda.notifications import actions as outbox
from renda.notifications.models import MessageStatus


def assert_retried(message, error: str) -> None:
    """One send run: the refusal is kept as the message's error and it waits for its next attempt."""
    summary = outbox.send_pending()
    message.refresh_from_db()
    assert summary.retried == 1
    assert message.status == MessageStatus.PENDING and message.attempts == 1 and error in message.last_error
    assert message.next_attempt_at is not None


def assert_failed_at_once(message, good, error: str) -> None:
    """One send run: a message that can never be delivered fails after one attempt, not retried for hours; the next
    message (`good`) still goes out."""
    summary = outbox.send_pending()
    message.refresh_from_db()
    assert (summary.failed, summary.sent) == (1, 1)
    assert message.status == MessageStatus.FAILED and message.attempts == 1 and error in message.last_error
    assert message.next_attempt_at is None and "PermanentSendError" in message.last_error
    good.refresh_from_db()
    assert good.status == MessageStatus.SENT
