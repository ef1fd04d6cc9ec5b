"""The constituent's side: submit an opinion from a station's or deputy's page, say "mine too", track, rate.

No account anywhere: the tracking code is the constituent's only key, so every lookup by code is rate-limited per
IP (guessing a 10-character code at 30 tries a minute is hopeless). Submitting goes through the shared path
(submission.py): limits per IP and per device (a long-lived random cookie), and a retried POST (same client token)
answers with the first result and is not counted. The views here only translate the form into it and back.
"""

import secrets
import uuid

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renda.audit.actions import client_ip
from renda.core.geo import BadLocation, parse_location
from renda.core.uploads import serve_file

from . import actions, submission
from .access import get_opinion_by_code
from .limits import SUBMIT_PER_DEVICE, SUBMIT_PER_IP, TRACK_PER_IP  # noqa: F401 (read by tests and other channels)
from .models import Opinion
from .public_forms import (
    TEXT_MAX,
    TEXT_MIN,
    OpinionForm,
    RatingForm,
    SupportForm,
    TrackForm,
    new_client_token,
    sign_opinion,
    unsign_opinion,
)
from .similar import similar_open
from .wechat_session import wechat_openid_from_session
from .workflow import OPEN_STATES, Action, Actor, Rating, State, progress

DEVICE_COOKIE = "renda_device"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600
Target = submission.Target


# Where an opinion is addressed -----------------------------------------------------------------------------------


def _station_target(code: str) -> Target:
    target = submission.find_station(code)
    if target is None:
        raise Http404("no such station")
    return target


def _deputy_target(code: str) -> Target:
    target = submission.find_deputy(code)
    if target is None:
        raise Http404("no such deputy")
    return target


# Rate limits -------------------------------------------------------------------------------------------------------


def _device(request) -> tuple[str, bool]:
    """(device id, whether it is new and must be set as a cookie)."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if 16 <= len(value) <= 64:
        return value, False
    return secrets.token_urlsafe(16), True


def _remember_device(response, device: str, new: bool):
    if new:
        response.set_cookie(
            DEVICE_COOKIE,
            device,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _valid_token(value: str) -> str | None:
    try:
        return str(uuid.UUID(value or ""))
    except ValueError:
        return None


def _tracking_url(opinion: Opinion, flag: str = "") -> str:
    url = reverse("opinions_public:tracking", args=[opinion.tracking_code])
    return f"{url}?{flag}=1" if flag else url


# Submitting ---------------------------------------------------------------------------------------------------------


def _retyped(form_data) -> dict:
    """What the constituent typed, to put back into a fresh form (no photos: a browser cannot be given files)."""
    keys = ("category", "text", "place", "name", "phone", "client_token")
    initial = {key: form_data.get(key, "") for key in keys}
    initial["consent"] = bool(form_data.get("consent"))
    return initial


def _position(post) -> dict:
    """The phone's position from the "use my position" button (renda/opinions/static/opinions/position.js): WGS-84
    from the browser, stored in the stations' coordinate system; a missing or unusable pair is simply left out."""
    try:
        point = parse_location(post)
    except BadLocation:
        point = None
    if point is None:
        return {}
    return {"latitude": round(point.lat, 6), "longitude": round(point.lng, 6)}


def _render_submit(request, target: Target, form, *, status: int = 200, limited: bool = False):
    context = {
        "target": target,
        "form": form,
        "limited": limited,
        "text_min": TEXT_MIN,
        "text_max": TEXT_MAX,
        "text_length": len(form["text"].value() or ""),
        # A browser cannot be handed files back: say so when a refused form had photos.
        "photos_lost": bool(request.FILES.getlist("photos")),
        "in_wechat": bool(wechat_openid_from_session(request)),
        # A refused form keeps the position the phone gave (the browser's values, put back as they came).
        "position": {key: request.POST.get(key, "")[:20] for key in ("lat", "lng")},
    }
    return render(request, "opinions/public/submit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def submit_station(request, code):
    return _submit(request, _station_target(code))


@require_http_methods(["GET", "POST"])
def submit_deputy(request, code):
    return _submit(request, _deputy_target(code))


def _submit(request, target: Target):
    device, new_device = _device(request)
    if request.method != "POST":
        form = OpinionForm(initial={"client_token": new_client_token()})
        return _remember_device(_render_submit(request, target, form), device, new_device)

    post = request.POST
    data = submission.SubmissionInput(
        target=target,
        category=post.get("category"),
        text=post.get("text", ""),
        place=post.get("place", ""),
        name=post.get("name", ""),
        phone=post.get("phone", ""),
        consent=post.get("consent", False),
        photos=request.FILES.getlist("photos"),
        **_position(post),
        # A token we did not render (forged, garbled) is replaced: the opinion is filed, just not idempotently.
        idempotency_key=_valid_token(post.get("client_token", "")) or new_client_token(),
        strict_idempotency=False,
        ip=client_ip(request) or "-",
        device=device,
        openid=wechat_openid_from_session(request),
    )
    try:
        result = submission.submit(data)
    except submission.SubmissionError as exc:
        if exc.code == "rate_limited":
            form = OpinionForm(initial=_retyped(post))
            response = _render_submit(request, target, form, status=429, limited=True)
        else:  # "invalid": the form's own errors
            response = _render_submit(request, target, exc.form, status=400)
        return _remember_device(response, device, new_device)
    return _remember_device(redirect(_tracking_url(result.opinion, "new")), device, new_device)


@require_GET
def similar_station(request, code):
    return _similar(request, _station_target(code))


@require_GET
def similar_deputy(request, code):
    return _similar(request, _deputy_target(code))


def _similar(request, target: Target):
    """The htmx fragment under the text box: open opinions like this one, each with a "mine too" button."""
    text = request.GET.get("text", "")[:TEXT_MAX]
    found = similar_open(text, station=target.station, deputy=target.deputy)
    items = [{"opinion": opinion, "ref": sign_opinion(opinion.pk)} for opinion in found]
    return render(request, "opinions/public/_similar.html", {"items": items, "target": target})


# "Mine too" --------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def mine_too_station(request, code):
    return _mine_too(request, _station_target(code))


@require_http_methods(["GET", "POST"])
def mine_too_deputy(request, code):
    return _mine_too(request, _deputy_target(code))


def _supportable(pk) -> Opinion | None:
    if pk is None:
        return None
    return Opinion.objects.filter(pk=pk).only("id", "tracking_code", "text", "status", "created").first()


def _render_mine_too(request, target, form, opinion, *, status=200, limited=False):
    context = {"target": target, "form": form, "opinion": opinion, "limited": limited}
    return render(request, "opinions/public/mine_too.html", context, status=status)


def _mine_too(request, target: Target):
    """GET: the confirmation page (also the no-JavaScript path). POST: join the opinion, then track it."""
    device, new_device = _device(request)
    if request.method != "POST":
        ref = request.GET.get("o", "")
        opinion = _supportable(unsign_opinion(ref))
        if opinion is None:
            raise Http404("no such suggestion")
        form = SupportForm(initial={"opinion": ref, "client_token": new_client_token()})
        return _remember_device(_render_mine_too(request, target, form, opinion), device, new_device)

    earlier = submission.earlier_support(_valid_token(request.POST.get("client_token", "")) or "")
    if earlier is not None:
        return redirect(_tracking_url(earlier.opinion, "joined"))
    form = SupportForm(request.POST)
    opinion = _supportable(unsign_opinion(request.POST.get("opinion", "")))
    if form.is_valid() and opinion is None:
        form.add_error(None, _("This opinion no longer exists; please submit your own."))
    if form.is_valid():
        data = form.cleaned_data
        try:
            submission.join(
                opinion,
                name=data["name"],
                phone=data["phone"],
                idempotency_key=data["client_token"],
                ip=client_ip(request) or "-",
                device=device,
            )
        except submission.SubmissionError:  # rate_limited
            form = SupportForm(initial=_retyped(request.POST) | {"opinion": request.POST.get("opinion", "")})
            response = _render_mine_too(request, target, form, opinion, status=429, limited=True)
            return _remember_device(response, device, new_device)
        except actions.TransitionError as exc:
            form.add_error(None, exc)
        else:
            return _remember_device(redirect(_tracking_url(opinion, "joined")), device, new_device)
    return _remember_device(_render_mine_too(request, target, form, opinion, status=400), device, new_device)


# Tracking and rating ---------------------------------------------------------------------------------------------


def _render_track(request, form, *, status=200, limited=False, not_found=False):
    context = {"form": form, "limited": limited, "not_found": not_found}
    return render(request, "opinions/public/track.html", context, status=status)


@never_cache
@require_GET
def track(request):
    """/t/: type the code you were given. Unknown codes are a plain "not found" (404), limited per IP."""
    if "code" not in request.GET:
        return _render_track(request, TrackForm())
    form = TrackForm(request.GET)
    if not TRACK_PER_IP.hit(client_ip(request) or "-"):
        return _render_track(request, form, status=429, limited=True)
    if not form.is_valid():
        return _render_track(request, form, status=400)
    if not Opinion.objects.filter(tracking_code=form.cleaned_data["code"]).exists():
        return _render_track(request, form, status=404, not_found=True)
    return redirect("opinions_public:tracking", code=form.cleaned_data["code"])


def group_code(code: str, size: int = 5) -> str:
    """ "ABCDEFGHJK" → "ABCDE FGHJK": easier to read aloud and to copy down."""
    return " ".join(code[i : i + size] for i in range(0, len(code), size))


# Plain words for the constituent: the staff-side labels in workflow.State speak of steps, these speak of them.
PUBLIC_STATUS = {
    State.SUBMITTED: gettext_lazy("Received, waiting to be accepted"),
    State.ACCEPTED: gettext_lazy("Accepted, being dealt with"),
    State.REFUSED: gettext_lazy("Not accepted"),
    State.MERGED: gettext_lazy("Merged with an opinion on the same matter"),
    State.HANDLING: gettext_lazy("Being handled by the deputies or the station"),
    State.FORWARDED: gettext_lazy("Forwarded to a handling unit"),
    State.EXTENSION_REQUESTED: gettext_lazy("With a handling unit, which asked for more time"),
    State.REASSIGN_REQUESTED: gettext_lazy("Being passed to the right unit"),
    State.UNIT_REPLIED: gettext_lazy("The unit has replied; your answer is being prepared"),
    State.SUGGESTION: gettext_lazy("Taken up as a formal suggestion by a deputy"),
    State.CLOSED: gettext_lazy("Answered: please tell us whether you are satisfied"),
    State.REOPENED: gettext_lazy("Reopened to be handled again"),
    State.FINAL: gettext_lazy("Closed"),
}


def _status_words(state: str) -> str:
    return str(PUBLIC_STATUS.get(state, ""))


def _public_actor(event) -> str:
    """Units and deputies by name (stored on the event); staff never by name; the constituent as such."""
    if event.actor_role == Actor.STAFF:
        return _("People's congress staff")
    if event.actor_role == Actor.CONSTITUENT:
        return _("Constituent")
    if event.actor_role == Actor.SYSTEM:
        return _("System")
    return event.public_actor or str(Actor(event.actor_role).label)


def _sentence(event, opinion: Opinion) -> str:
    """One plain sentence per step of the timeline."""
    action = event.action
    due = date_format(timezone.localtime(event.due_at), "Y-m-d") if event.due_at else ""
    if action == Action.SUBMIT:
        return _("The opinion was submitted.")
    if action == Action.SUPPORT:
        return _("Another constituent raised the same matter.")
    if action == Action.ACCEPT:
        return _("The opinion was accepted.")
    if action == Action.REFUSE:
        reason = opinion.get_refusal_reason_display()
        return _("The opinion was not accepted. Reason: %(reason)s.") % {"reason": reason}
    if action == Action.MERGE:
        return _("The opinion was merged with another on the same matter; the answer given there is yours too.")
    if action == Action.ANSWER_ON_SPOT:
        return _("Answered on the spot.")
    if action == Action.HANDLE:
        return _("The deputies or the station took the matter in hand.")
    if action == Action.FORWARD:
        unit = event.unit.name if event.unit_id else _("a handling unit")
        if due:
            return _("Forwarded to %(unit)s, to reply by %(date)s.") % {"unit": unit, "date": due}
        return _("Forwarded to %(unit)s.") % {"unit": unit}
    if action == Action.TO_SUGGESTION:
        return _("A deputy took it up as a formal suggestion.")
    if action == Action.UNIT_REPLY:
        return _("The handling unit replied.")
    if action == Action.REQUEST_REASSIGN:
        return _("The handling unit asked for the matter to go to the right unit.")
    if action == Action.REQUEST_EXTENSION:
        return _("The handling unit asked for %(days)s more working days.") % {"days": event.days or "?"}
    if action == Action.GRANT_EXTENSION:
        return _("More time was granted; new date: %(date)s.") % {"date": due}
    if action == Action.REFUSE_EXTENSION:
        return _("The request for more time was refused.")
    if action == Action.REPLY:
        return _("You were answered.")
    if action == Action.RATE:
        rating = Rating.DISSATISFIED if event.to_state == State.REOPENED else opinion.rating
        label = Rating(rating).label if rating in Rating.values else ""
        if event.to_state == State.REOPENED:
            return _("Rated “%(rating)s”: the matter is handled again.") % {"rating": label}
        return _("Rated “%(rating)s”.") % {"rating": label}
    if action == Action.AUTO_CLOSE:
        return _("Closed: no rating was given within the rating period.")
    return ""


def timeline(opinion: Opinion) -> list[dict]:
    """The public history: every step but internal notes; never a staff name, an internal note or contact details.

    Only the public columns are loaded, so nothing private can reach the template even by mistake.
    """
    events = (
        opinion.events.exclude(action=Action.NOTE)
        .select_related("unit")
        .only(
            "id",
            "opinion_id",
            "action",
            "to_state",
            "actor_role",
            "public_actor",
            "note",
            "due_at",
            "days",
            "created",
            "unit__name",
        )
        .order_by("created", "id")
    )
    steps = []
    for event in events:
        steps.append(
            {
                "event": event,
                "sentence": _sentence(event, opinion),
                "actor": _public_actor(event),
                # A "mine too" note written by a merge names the other opinion's code: that code is not ours to show.
                "note": "" if event.action == Action.SUPPORT else event.note,
            }
        )
    return steps


def _render_tracking(request, opinion: Opinion, *, rating_form=None, status=200):
    steps = timeline(opinion)
    context = {
        "opinion": opinion,
        "status_words": _status_words(opinion.status),
        "progress": progress(opinion.status),
        "grouped_code": group_code(opinion.tracking_code),
        "link": settings.PUBLIC_BASE_URL + reverse("opinions_public:tracking", args=[opinion.tracking_code]),
        "photos": list(opinion.photos.all()),
        "steps": steps,
        "supporters": sum(1 for step in steps if step["event"].action == Action.SUPPORT),
        "is_open": opinion.status in OPEN_STATES,
        "can_rate": opinion.status == State.CLOSED,
        "rating_form": rating_form or RatingForm(),
        "is_new": request.GET.get("new") == "1",
        "joined": request.GET.get("joined") == "1",
        "rated": request.GET.get("rated") == "1",
    }
    response = render(request, "opinions/public/tracking.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _by_code_or_none(code: str) -> Opinion | None:
    try:
        return get_opinion_by_code(code)
    except Http404:
        return None


@never_cache
@require_GET
def tracking(request, code):
    if not TRACK_PER_IP.hit(client_ip(request) or "-"):
        return _render_track(request, TrackForm(initial={"code": code}), status=429, limited=True)
    opinion = _by_code_or_none(code)
    if opinion is None:
        return _render_track(request, TrackForm(initial={"code": code}), status=404, not_found=True)
    return _render_tracking(request, opinion)


@require_GET
def tracking_photo(request, code, photo_pk):
    """A photo of the opinion, to whoever holds its tracking code. Only misses count against the tracking limit:
    a tracking page loading its own photos uses none of it, while guessing codes through this door is limited as
    at /t/."""
    ident = client_ip(request) or "-"
    if TRACK_PER_IP.exceeded(ident):
        return HttpResponse(status=429)
    opinion = _by_code_or_none(code)
    photo = opinion.photos.filter(pk=photo_pk).first() if opinion is not None else None
    if photo is None:
        TRACK_PER_IP.hit(ident)
        raise Http404("no such photo")
    response = serve_file(photo.image, content_type="image/jpeg")
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_POST
def rate(request, code):
    if not TRACK_PER_IP.hit(client_ip(request) or "-"):
        return _render_track(request, TrackForm(initial={"code": code}), status=429, limited=True)
    opinion = _by_code_or_none(code)
    if opinion is None:
        return _render_track(request, TrackForm(initial={"code": code}), status=404, not_found=True)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            actions.rate(opinion, form.cleaned_data["rating"], form.cleaned_data["comment"])
        except actions.TransitionError as exc:
            form.add_error(None, exc)
        else:
            return redirect(_tracking_url(opinion, "rated") + "#rating")
    return _render_tracking(request, opinion, rating_form=form, status=400)
