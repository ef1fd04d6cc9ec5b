"""PIPL housekeeping: key rotation re-encrypts with the newest key; old closed opinions lose their personal data."""

from datetime import timedelta

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from renda.audit.models import AuditEvent
from renda.core import crypto
from renda.notifications.models import Message
from renda.opinions import actions
from renda.opinions.models import Category, Opinion, Supporter
from renda.people.models import Deputy

OLD_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0="  # the key renda/test_settings.py uses
NEW_KEY = Fernet.generate_key().decode()


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _command(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_rotate_field_keys_with_two_keys(world):
    before = _raw("people_deputy", "phone", world.deputy_wz.pk)
    assert Fernet(OLD_KEY.encode()).decrypt(before.encode()) == b"13800138000"
    try:
        with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
            crypto._fernet.cache_clear()
            out = _command("rotate_field_keys", "--batch", "1")
            assert "people.deputy.phone: " in out and "total: 0" not in out
            after = _raw("people_deputy", "phone", world.deputy_wz.pk)
            assert after != before
            assert Fernet(NEW_KEY.encode()).decrypt(after.encode()) == b"13800138000"
            assert _raw("people_deputy", "phone", world.deputy_gs.pk) == ""  # empty stays empty
            # Idempotent: a second run finds nothing left under the old key and changes nothing.
            assert "total: 0" in _command("rotate_field_keys")
            assert _raw("people_deputy", "phone", world.deputy_wz.pk) == after
        with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
            crypto._fernet.cache_clear()  # the old key is gone: the data still reads
            assert Deputy.objects.get(pk=world.deputy_wz.pk).phone == "13800138000"
    finally:
        crypto._fernet.cache_clear()
    assert AuditEvent.objects.filter(action="pii.rotate_keys").count() == 2


def _closed_opinion(world, *, days_ago, token):
    category = Category.objects.get(name="交通出行")
    opinion = actions.submit(
        station=world.mudu_home,
        category=category,
        text="路灯坏了",
        name="张三",
        phone="13912345678",
        consent=True,
        client_token=token,
    ).opinion
    supporter = actions.support(opinion, name="李四", phone="13700000000", client_token=token + "s")
    Opinion.objects.filter(pk=opinion.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    Message.objects.create(channel="sms", template="t", phone="13912345678", dedupe_key=f"e1:sms:o{opinion.pk}:{token}")
    Message.objects.create(channel="sms", template="t", phone="13912345678", dedupe_key=f"e{token}:sms:o{opinion.pk}")
    Message.objects.create(channel="sms", template="t", phone="13700000000", dedupe_key=f"e{token}:sms:s{supporter.pk}")
    return opinion, supporter


def test_deidentify_old_closed_opinions_only(world):
    old, old_supporter = _closed_opinion(world, days_ago=731, token="old")
    recent, recent_supporter = _closed_opinion(world, days_ago=10, token="new")

    assert _command("deidentify_opinions") == "opinions: 1, supporters: 1, messages: 2\n"
    old.refresh_from_db()
    old_supporter.refresh_from_db()
    assert (old.submitter_name, old.submitter_phone, old_supporter.name, old_supporter.phone) == ("", "", "", "")
    assert old.text == "路灯坏了" and old.tracking_code  # the opinion itself stays
    assert not Message.objects.filter(dedupe_key__in=[f"eold:sms:o{old.pk}", f"eold:sms:s{old_supporter.pk}"]).exclude(
        phone=""
    )
    recent.refresh_from_db()
    recent_supporter.refresh_from_db()
    assert recent.submitter_phone == "13912345678" and recent_supporter.phone == "13700000000"
    assert Message.objects.get(dedupe_key=f"enew:sms:s{recent_supporter.pk}").phone == "13700000000"
    audit = AuditEvent.objects.get(action="pii.deidentify")
    assert audit.changes["opinions"] == 1

    # Idempotent: nothing left to clear, no new audit record.
    assert _command("deidentify_opinions") == "opinions: 0, supporters: 0, messages: 0\n"
    assert AuditEvent.objects.filter(action="pii.deidentify").count() == 1

    # --now ignores the retention period (e.g. on a request to erase under PIPL art. 47).
    assert _command("deidentify_opinions", "--now") == "opinions: 1, supporters: 1, messages: 2\n"
    recent.refresh_from_db()
    assert recent.submitter_phone == "" and Opinion.objects.count() == 2 and Supporter.objects.count() == 2


def test_privacy_notice_promises_the_retention_period(settings):
    from pathlib import Path

    notice = (Path(__file__).resolve().parents[2] / "opinions/templates/opinions/public/_contact.html").read_text()
    assert settings.PII_RETENTION_DAYS == 730  # "two years" in the notice
    assert "until two years after the opinion is closed; then they are de-identified" in notice
