"""One submission path for every channel: the web form, the JSON API (`POST /api/v1/opinions`) and Open311
(`POST requests`). A channel translates its input into a `SubmissionInput`, calls `submit()`, and translates the
`Submission` (or the `SubmissionError`) back into its own answer — a redirect, JSON, a GeoReport document.

What happens here, in this order, the same for every channel:
1. Limits: one hit on each limit (per address, per device, per API key), checked and counted in one atomic step;
   a refusal gives back what it took ("rate_limited") — unless the request is the retry of one already filed, which
   is answered with the first one's opinion.
2. Target: the station or deputy by public code, active ones only ("not_found"), or one the channel resolved.
3. Validation: the web form's rules (`public_forms.OpinionForm`: category, text length, phone, consent, photos).
4. Writing: `actions.submit` (one transaction, the Submit event, notifications queued).
5. Idempotency: the client's key (a form's hidden token, an `Idempotency-Key` header, a body `client_token`) is the
   opinion's unique `client_token`: a retry's INSERT meets the first request's row, and that opinion is answered
   again, its hits given back. Not looked up before the INSERT: a retry is rare, and the look-up cost every
   submission a statement (docs/performance.md). With `strict_idempotency`, the same key with a different opinion
   (target, category or text) is refused ("conflict") instead.
A request that ends without a new opinion (invalid, a retry, a lost race with its own retry) gives its hits back.

"Mine too" (`join`) goes through the same limits and idempotency.
"""

import time
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from renda.core.ratelimit import Limit, hit_all, undo_all
from renda.people.models import Deputy
from renda.stations.models import Station

from . import actions
from .limits import SUBMIT_PER_DEVICE, SUBMIT_PER_IP
from .models import Opinion, Supporter
from .public_forms import OpinionForm

IDEMPOTENCY_NAMESPACE = uuid.UUID("8f0e3c1e-5d0a-4a53-9a4e-6f3f5b1d2c77")
KEY_MAX = 200


# Where an opinion is addressed -----------------------------------------------------------------------------------


@dataclass
class Target:
    """The station or the deputy an opinion is addressed to (the page the constituent came from)."""

    station: object = None
    deputy: object = None

    @property
    def kind(self) -> str:
        return "station" if self.station is not None else "deputy"

    @property
    def code(self) -> str:
        return (self.station or self.deputy).public_code

    @property
    def name(self) -> str:
        return (self.station or self.deputy).name

    def url(self, name: str) -> str:
        return reverse(f"opinions_public:{self.kind}_{name}", args=[self.code])

    @property
    def submit_url(self) -> str:
        return self.url("submit")

    @property
    def similar_url(self) -> str:
        return self.url("similar")

    @property
    def mine_too_url(self) -> str:
        return self.url("mine_too")

    @property
    def page_url(self) -> str:
        return reverse(f"public:{self.kind}", args=[self.code])


# Active stations by public code, kept REFERENCE_CACHE_SECONDS per process: every submission names one, and a
# reception day sends thousands of submissions to the same few hundred stations. A station switched off stops taking
# opinions at the latest a minute later. Unknown codes are not remembered (each still costs a query).
_stations: dict = {}
STATION_CACHE_MAX = 50_000


def forget_stations() -> None:
    """Drop the process's copies (a test starting from a fresh database, or a station just changed here)."""
    _stations.clear()


def find_station(code: str) -> Target | None:
    """An active station by public code (case as stored), or None."""
    if not code or "\x00" in code:  # PostgreSQL refuses NUL in a parameter: no such code
        return None
    now = time.monotonic()
    kept = _stations.get(code)
    if kept is not None and now - kept[0] <= settings.REFERENCE_CACHE_SECONDS:
        return Target(station=kept[1])
    station = Station.objects.filter(is_active=True, public_code=code).select_related("region").first()
    if station is None:
        _stations.pop(code, None)
        return None
    if len(_stations) >= STATION_CACHE_MAX:
        _stations.clear()
    _stations[code] = (now, station)
    return Target(station=station)


def find_deputy(code: str) -> Target | None:
    """An active deputy by public code, with public fields only (phone and account are never loaded), or None."""
    if not code or "\x00" in code:
        return None
    deputy = (
        Deputy.objects.filter(is_active=True, public_code=code)
        .defer("phone", "updated", "user")
        .select_related("electoral_region")
        .first()
    )
    return Target(deputy=deputy) if deputy is not None else None


# Input, output, errors -------------------------------------------------------------------------------------------


@dataclass
class SubmissionInput:
    """What a channel received, in plain values. Give `target`, or one of `station` / `deputy` (public codes)."""

    category: object = None  # a category id (as typed: "3" or 3)
    text: str = ""
    place: str = ""
    name: str = ""
    phone: str = ""
    consent: object = False  # a bool, or a form's "on"
    photos: list = field(default_factory=list)  # uploaded files, checked and re-encoded here
    latitude: float | None = None
    longitude: float | None = None
    station: str = ""
    deputy: str = ""
    target: Target | None = None
    # The client's idempotency key, any string up to 200 characters ("" = none); `key_scope` keeps one client's keys
    # apart from another's (an Open311 API key's id), so a key guessed from elsewhere finds nothing.
    idempotency_key: str = ""
    key_scope: str = ""
    # Same key, different opinion: refuse (API clients choose their keys) or answer the first one (a web form's token
    # stands for the form, whatever was retyped after a double tap).
    strict_idempotency: bool = True
    ip: str = "-"
    device: str = ""  # the web's device cookie; "" for API clients
    limits: list = field(default_factory=list)  # further (Limit, ident) pairs, e.g. the Open311 key's
    openid: str = ""  # the WeChat openid picked up by silent OAuth (web form inside WeChat); kept only with consent


class SubmissionError(Exception):
    """Why nothing was filed. `code`: "not_found" (no such station or deputy; `field` says which), "invalid" (the
    form's rules; `fields` maps field names to messages, `form` is the bound form), "rate_limited", or "conflict"
    (an idempotency key used for a different opinion; `opinion` is the first one)."""

    def __init__(self, code: str, *, field: str = "", fields=None, form=None, opinion=None):
        super().__init__(code)
        self.code = code
        self.field = field
        self.fields = fields or {}
        self.form = form
        self.opinion = opinion


def client_token(key: str, scope: str = "") -> str | None:
    """The stored form of an idempotency key: a UUID as is (without a scope); any other key, or any scoped key, maps
    to a stable UUID (uuid5), so clients may use their own request ids."""
    value = (key or "").strip()[:KEY_MAX]
    if not value:
        return None
    if not scope:
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    return str(uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{scope}\x00{value}" if scope else value))


def _same(opinion: Opinion, data: SubmissionInput) -> bool:
    """Whether a retry carries the opinion its key made: same target, category and text."""
    if data.target is not None:
        target_same = (opinion.station_id, opinion.deputy_id) == (
            getattr(data.target.station, "pk", None),
            getattr(data.target.deputy, "pk", None),
        )
    elif data.station:
        target_same = opinion.station is not None and opinion.station.public_code == data.station
    else:
        target_same = opinion.deputy is not None and opinion.deputy.public_code == data.deputy
    return target_same and str(opinion.category_id) == str(data.category) and opinion.text == (data.text or "").strip()


def _limits(data: SubmissionInput) -> list[tuple[Limit, str]]:
    limits = [(SUBMIT_PER_IP, data.ip or "-")]
    if data.device:
        limits.append((SUBMIT_PER_DEVICE, data.device))
    return limits + list(data.limits)


def _target(data: SubmissionInput) -> Target:
    if data.target is not None:
        return data.target
    if bool(data.station) == bool(data.deputy):
        raise SubmissionError("invalid", fields={"station": ["required"]})
    found = find_station(data.station) if data.station else find_deputy(data.deputy)
    if found is None:
        raise SubmissionError("not_found", field="station" if data.station else "deputy")
    return found


def _form(data: SubmissionInput) -> OpinionForm:
    values = {
        "category": data.category,
        "text": data.text,
        "place": data.place,
        "name": data.name,
        "phone": data.phone,
        "consent": data.consent,
    }
    form = OpinionForm(
        {key: value for key, value in values.items() if value is not None},
        MultiValueDict({"photos": list(data.photos)}),
        wechat=bool(data.openid),
    )
    if not form.is_valid():
        errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        raise SubmissionError("invalid", fields=errors, form=form)
    return form


# The path ----------------------------------------------------------------------------------------------------------


def submit(data: SubmissionInput) -> actions.Submission:
    """File an opinion from any channel; returns `Submission(opinion, created)` or raises `SubmissionError`."""
    token = client_token(data.idempotency_key, data.key_scope)
    limits = _limits(data)
    if not hit_all(limits):
        earlier = Opinion.objects.filter(client_token=token).first() if token else None
        if earlier is None:
            raise SubmissionError("rate_limited")
        return _again(earlier, data)  # the retry of an opinion already filed is answered, even over the limit
    try:
        target = _target(data)
        cleaned = _form(data).cleaned_data
        result = actions.submit(
            station=target.station,
            deputy=target.deputy,
            category=cleaned["category"],
            text=cleaned["text"],
            place=cleaned["place"],
            latitude=data.latitude,
            longitude=data.longitude,
            name=cleaned["name"],
            phone=cleaned["phone"],
            consent=cleaned["consent"],
            photos=cleaned["photos"],
            client_token=token,
            openid=data.openid,
            insert_first=True,
        )
    except BaseException:
        undo_all(limits)
        raise
    if not result.created:  # a retry, or two identical requests raced: the first one's opinion, not counted
        undo_all(limits)
        return _again(result.opinion, data)
    return result


def _again(earlier: Opinion, data: SubmissionInput) -> actions.Submission:
    """The answer to a retried key: the opinion it made, or "conflict" when the retry carries another opinion."""
    if data.strict_idempotency and not _same(earlier, data):
        raise SubmissionError("conflict", opinion=earlier)
    return actions.Submission(earlier, False)


def join(
    opinion: Opinion, *, name: str, phone: str, idempotency_key: str, ip: str = "-", device: str = ""
) -> Supporter:
    """ "Mine too" through the submission limits: raises SubmissionError("rate_limited") or actions.TransitionError."""
    token = client_token(idempotency_key)
    if token:
        earlier = Supporter.objects.filter(client_token=token).first()
        if earlier is not None:
            return earlier
    limits = _limits(SubmissionInput(ip=ip, device=device))
    if not hit_all(limits):
        raise SubmissionError("rate_limited")
    try:
        return actions.support(opinion, name=name, phone=phone, client_token=token)
    except BaseException:
        undo_all(limits)
        raise


def earlier_support(idempotency_key: str) -> Supporter | None:
    """The "mine too" a key already made (a retried form), or None."""
    token = client_token(idempotency_key)
    return Supporter.objects.filter(client_token=token).select_related("opinion").first() if token else None
