"""The item page every party shares, the one action endpoint, and the submitters' phone-first pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.audit.actions import client_ip
from renda.core.uploads import serve_file
from renda.opinions.access import get_opinion_for_user

from .. import actions
from ..access import get_suggestion_for_user, roles_on, submitter_identity, suggestions_for
from ..forms import MAX_UPLOAD_BYTES, SubmitForm, action_data
from ..models import Signature, Suggestion, SuggestionRating, UnitTask
from ..workflow import (
    TRANSITIONS,
    Action,
    Actor,
    ContactMethod,
    Disposition,
    Kind,
    Rating,
    ReplyCategory,
    State,
    actions_for,
)

OFFICE_SIDE = {Actor.OFFICE, Actor.LEAD, Actor.CO}


def _detail_context(request, suggestion, error=""):
    roles = roles_on(request.user, suggestion)
    available = [a for a in actions_for(suggestion.status, roles) if a != Action.AUTO_CLOSE]
    handling_side = bool(roles & OFFICE_SIDE)
    replies = suggestion.replies.select_related("unit").order_by("id")
    if not handling_side:
        replies = replies.filter(accepted_at__isnull=False)  # the submitters see a reply once the office passed it
    units = []
    if Actor.OFFICE in roles:
        from renda.accounts.scope import scope_for
        from renda.people.models import Unit

        scope = scope_for(request.user)
        units = list(Unit.objects.filter(is_active=True).filter(scope.region_q("region__path")).order_by("name")[:500])
    return {
        "s": suggestion,
        "roles": roles,
        "actions": [(a, Action(a).label) for a in available],
        "handling_side": handling_side,
        "events": suggestion.events.select_related("unit").order_by("created", "id"),
        "signatures": suggestion.signatures.order_by("id"),
        "tasks": suggestion.tasks.select_related("unit").order_by("-is_active", "id") if handling_side else [],
        "co_views": suggestion.tasks.select_related("unit").exclude(role=UnitTask.Role.LEAD).exclude(views=""),
        "contacts": suggestion.contacts.order_by("id"),
        "replies": replies,
        "ratings": suggestion.ratings.order_by("id") if handling_side else suggestion.ratings.filter(user=request.user),
        "opinions": suggestion.opinions.order_by("pk"),
        "merged": suggestion.merged.order_by("pk"),
        "attachments": suggestion.attachments.filter(event__action=Action.SUBMIT),
        "error": error,
        "categories": ReplyCategory.choices,
        "ratings_choices": Rating.choices,
        "methods": ContactMethod.choices,
        "dispositions": Disposition.choices if suggestion.kind == Kind.CPPCC else Disposition.choices[:1],
        "units": units,
        "co_roles": [
            (UnitTask.Role.ASSIST, UnitTask.Role.ASSIST.label),
            (UnitTask.Role.JOINT, UnitTask.Role.JOINT.label),
        ],
    }


@login_required
def detail(request, pk):
    suggestion = get_suggestion_for_user(request.user, pk)
    return render(request, "suggestions/detail.html", _detail_context(request, suggestion))


@login_required
def attachment(request, pk, attachment_pk):
    """An attachment, to whoever may see its suggestion (the files are not under a public /media/ folder)."""
    suggestion = get_suggestion_for_user(request.user, pk)
    try:
        item = suggestion.attachments.get(pk=attachment_pk)
    except suggestion.attachments.model.DoesNotExist:
        raise Http404("no such attachment") from None
    return serve_file(item.file, download_name=item.name or None)


@login_required
@require_POST
def act(request, pk, action):
    suggestion = get_suggestion_for_user(request.user, pk)
    if action not in TRANSITIONS:
        raise Http404("no such action")
    files = request.FILES.getlist("attachments")
    try:
        if any(upload.size > MAX_UPLOAD_BYTES for upload in files):
            raise actions.TransitionError(_("Each file may be at most 10 MB."))
        actions.perform(
            request.user, suggestion.pk, action, action_data(request), attachments=files, ip=client_ip(request)
        )
    except actions.TransitionError as error:
        suggestion.refresh_from_db()
        context = _detail_context(request, suggestion, error=str(error))
        return render(request, "suggestions/detail.html", context, status=400)
    messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect("suggestions_my:detail", pk=suggestion.pk)


@login_required
def my_list(request):
    """The deputy's or member's own items, invitations to sign and items waiting for their rating."""
    user = request.user
    deputy, member = submitter_identity(user)
    mine = list(
        suggestions_for(user)
        .filter(author=user)
        .select_related("category")
        .only("id", "number", "title", "status", "created", "category__name", "kind", "due_at", "reply_category")
        .order_by("-created", "-id")[:200]
    )
    invitations = list(
        Signature.objects.filter(user=user, status=Signature.Status.INVITED, suggestion__status=State.SIGNING)
        .select_related("suggestion")
        .order_by("-id")[:50]
    )
    candidates = list(
        Suggestion.objects.filter(status=State.ANSWERED)
        .filter(
            Q(author=user)
            | Q(merged__author=user)
            | Q(signatures__user=user, signatures__status=Signature.Status.SIGNED)
        )
        .distinct()
        .only("id", "number", "title", "status", "round")
        .order_by("-answered_at")[:50]
    )
    rated = set(
        SuggestionRating.objects.filter(user=user, suggestion__in=candidates).values_list("suggestion_id", "round")
    )
    to_rate = [s for s in candidates if (s.pk, s.round) not in rated]
    signed = list(
        Signature.objects.filter(user=user, status=Signature.Status.SIGNED)
        .select_related("suggestion")
        .order_by("-id")[:100]
    )
    return render(
        request,
        "suggestions/my_list.html",
        {
            "mine": mine,
            "invitations": invitations,
            "to_rate": to_rate,
            "signed": signed,
            "may_submit": deputy is not None or member is not None,
        },
    )


@login_required
def write(request):
    deputy, member = submitter_identity(request.user)
    if deputy is None and member is None:
        raise Http404("not a deputy or member")
    kind = Kind.CONGRESS if deputy is not None else Kind.CPPCC
    opinion = None
    if request.GET.get("opinion") or request.POST.get("opinion"):
        try:
            opinion = get_opinion_for_user(request.user, int(request.GET.get("opinion") or request.POST.get("opinion")))
        except ValueError:
            raise Http404("bad opinion") from None
    initial = {"text": opinion.text, "title": opinion.text[:30]} if opinion is not None else {}
    form = SubmitForm(request.POST or None, request.FILES or None, kind=kind, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = actions.submit(
                request.user,
                title=data["title"],
                category=data["category"],
                text=data["text"],
                signers=data["signers"],
                opinions=[opinion] if opinion is not None else [],
                attachments=data["attachments"],
                submitter_type=data["submitter_type"],
                group_name=data["group_name"],
                ip=client_ip(request),
            )
        except actions.TransitionError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Submitted as %(number)s.") % {"number": suggestion.number})
            return redirect("suggestions_my:detail", pk=suggestion.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "suggestions/write.html",
        {"form": form, "kind": Kind(kind).label, "opinion": opinion, "error": error},
        status=status,
    )
