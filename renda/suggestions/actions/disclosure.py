"""答复公开: the office's redaction review of an answered item before it appears on the public pages."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record

from ..access import office_suggestions
from ..models import Disclosure, Suggestion
from .errors import TransitionError

PHONE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def redact(text: str) -> str:
    """A first pass the reviewer starts from: mobile numbers masked (138****8000)."""
    return PHONE.sub(r"\1****\2", text or "")


def draft(suggestion: Suggestion) -> dict:
    reply = suggestion.replies.filter(accepted_at__isnull=False).order_by("-round", "-id").first()
    return {
        "title": suggestion.public_title or suggestion.title,
        "text": suggestion.public_text or redact(suggestion.text),
        "reply": suggestion.public_reply or redact(reply.text if reply else ""),
    }


def review(user, pk: int, *, publish: bool, title: str = "", text: str = "", reply: str = "", ip=None) -> Suggestion:
    """Publish the redacted title, text and reply, or withhold the item (confidential). Only items the deadline
    job queued for review (or already reviewed, to correct them) and only by the office of their region."""
    with transaction.atomic():
        s = office_suggestions(user).select_for_update(of=("self",)).select_related("region").filter(pk=pk).first()
        if s is None:
            raise TransitionError(_("You may not do this on this item."))
        if s.disclosure == Disclosure.NONE:
            raise TransitionError(_("This item is not yet due for publication."))
        before = s.disclosure
        if publish:
            title, text, reply = (title or "").strip(), (text or "").strip(), (reply or "").strip()
            if not title or not text or not reply:
                raise TransitionError(_("Give the title, text and reply to publish."))
            s.public_title, s.public_text, s.public_reply = title[:200], text, reply
            s.disclosure, s.published_at = Disclosure.PUBLISHED, timezone.now()
        else:
            s.disclosure, s.published_at = Disclosure.WITHHELD, None
        s.save(update_fields=["public_title", "public_text", "public_reply", "disclosure", "published_at", "updated"])
        record(user, "suggestion.disclosure", s, changes={"from": before, "to": s.disclosure}, ip=ip)
    return s
