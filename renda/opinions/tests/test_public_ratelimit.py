"""Rate limits: submissions per IP and per device, tracking look-ups per IP; over the limit → 429, nothing stored."""

import uuid

from django.conf import settings as django_settings

from renda.core import ratelimit
from renda.core.models import RateCounter
from renda.opinions.models import Opinion, Supporter
from renda.opinions.public_forms import sign_opinion
from renda.opinions.public_views import DEVICE_COOKIE

from .public_helpers import form_data, submit

STATION_URL = "/s/MUDU01/opinion/"


def english(world):
    client = world.client(None)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_helper_counts_within_a_window(db):
    assert all(ratelimit.hit("k", 3, 60) for _ in range(3))
    assert not ratelimit.hit("k", 3, 60)
    assert ratelimit.hit("other", 3, 60)  # keys are independent
    limit = ratelimit.Limit("x", 2, 60)
    assert not limit.exceeded("a")
    limit.hit("a")
    limit.hit("a")
    assert limit.exceeded("a") and not limit.exceeded("b")


def test_helper_window_rolls_over(db, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    assert ratelimit.hit("k", 1, 60) and not ratelimit.hit("k", 1, 60)
    now[0] += 60
    assert ratelimit.hit("k", 1, 60)


def test_counter_keys_hold_no_address(db):
    ratelimit.hit("opinion-submit-ip:10.1.2.3", 5, 60)
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert len(keys) == 1 and not any("10.1.2.3" in key for key in keys)  # hashed keys only


def test_per_device_limit(world, settings):
    settings.LIMIT_SUBMIT_PER_DEVICE_HOUR = 2
    client = english(world)
    client.get(STATION_URL)  # sets the device cookie
    assert client.cookies[DEVICE_COOKIE].value
    for _ in range(2):
        assert client.post(STATION_URL, form_data(str(uuid.uuid4()))).status_code == 302
    response = client.post(STATION_URL, form_data(str(uuid.uuid4()), text="第三条意见，应被限流"))
    assert response.status_code == 429
    html = response.content.decode()
    assert 'id="rate-limited"' in html and "Too many submissions" in html
    assert "第三条意见，应被限流" in html  # what was typed is kept
    assert Opinion.objects.count() == 2
    # Another phone on the same network is not held back by this one's limit.
    other = world.client(None)
    other.get(STATION_URL)
    assert other.post(STATION_URL, form_data(str(uuid.uuid4()))).status_code == 302


def test_per_ip_limit_and_retries_are_free(world, settings):
    settings.LIMIT_SUBMIT_PER_IP_HOUR = 2
    tokens = [str(uuid.uuid4()) for _ in range(3)]
    for token in tokens[:2]:
        assert world.client(None).post(STATION_URL, form_data(token)).status_code == 302  # new device each time
    # A retried request of an opinion already made still gets its answer, limit or not.
    retry = world.client(None).post(STATION_URL, form_data(tokens[0]))
    assert retry.status_code == 302 and retry["Location"].endswith("?new=1")
    assert world.client(None).post(STATION_URL, form_data(tokens[2])).status_code == 429
    assert Opinion.objects.count() == 2


def test_a_retry_under_the_limit_gives_its_hit_back(world, settings):
    """The retry's INSERT meets the first request's row (the token is not looked up first): it is counted, then
    given back, so retries never use up the limit."""
    settings.LIMIT_SUBMIT_PER_IP_HOUR = 2
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    assert world.client(None).post(STATION_URL, form_data(first)).status_code == 302
    for _ in range(3):
        retry = world.client(None).post(STATION_URL, form_data(first))
        assert retry.status_code == 302 and retry["Location"].endswith("?new=1")
    assert world.client(None).post(STATION_URL, form_data(second)).status_code == 302
    assert Opinion.objects.count() == 2
    assert Opinion.objects.filter(client_token__isnull=False).values("client_token").distinct().count() == 2


def test_rate_counters_are_not_written_ahead_on_postgresql(world):
    """Counters live an hour and may be lost in a crash: on PostgreSQL their table is UNLOGGED (no WAL flush per
    hit); SQLite has one kind of table."""
    from django.db import connection

    from renda.core.models import RateCounter

    table = RateCounter._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = %s", [table])
            assert cursor.fetchone()[0] == "u"
        else:
            cursor.execute("SELECT type FROM sqlite_master WHERE name = %s", [table])
            assert cursor.fetchone()[0] == "table"


def test_invalid_attempts_do_not_use_up_the_limit(world, settings):
    settings.LIMIT_SUBMIT_PER_DEVICE_HOUR = 1
    client = world.client(None)
    client.get(STATION_URL)
    assert client.post(STATION_URL, form_data(str(uuid.uuid4()), text="短")).status_code == 400
    assert client.post(STATION_URL, form_data(str(uuid.uuid4()))).status_code == 302


def test_mine_too_shares_the_submission_limit(world, settings):
    settings.LIMIT_SUBMIT_PER_IP_HOUR = 1
    target = submit(world)
    url = "/s/MUDU01/opinion/mine-too/"
    data = {"opinion": sign_opinion(target.pk), "client_token": str(uuid.uuid4())}
    assert world.client(None).post(url, data).status_code == 302
    response = english(world).post(url, {"opinion": sign_opinion(target.pk), "client_token": str(uuid.uuid4())})
    assert response.status_code == 429 and 'id="rate-limited"' in response.content.decode()
    assert Supporter.objects.count() == 1


def test_tracking_lookups_are_limited_per_ip(world, settings):
    settings.LIMIT_TRACK_PER_IP_MINUTE = 3
    opinion = submit(world)
    client = english(world)
    assert client.get("/t/", {"code": "ZZZZZZZZZZ"}).status_code == 404
    assert client.get("/t/ZZZZZZZZZY/").status_code == 404
    assert client.get(f"/t/{opinion.tracking_code}/").status_code == 200
    for url in (f"/t/{opinion.tracking_code}/", "/t/?code=ZZZZZZZZZZ"):
        response = client.get(url)
        assert response.status_code == 429
        assert "Too many look-ups" in response.content.decode()
        assert opinion.text not in response.content.decode()
    assert client.get("/t/").status_code == 200  # the empty form itself costs nothing
