"""What every domain's JSON router shares (the routers of activities, projects, suggestions, joint meetings and
consultation, mounted by renda/api): the error body of the API's documented shape, and the 409 of a refused action."""

from ninja import Schema, Status


class ErrorOut(Schema):
    """The API's error shape (renda/api/errors.py): a stable code, a message in the user's language, details."""

    code: str
    message: str
    details: object = None


def refused(error) -> Status:
    """409 for an action's refusal (nothing was changed): a ValidationError's code and messages, or an error with
    `code` and a message of its own (activities' ActivityError)."""
    messages = getattr(error, "messages", None) or [str(error)]
    code = getattr(error, "code", None) or "refused"
    return Status(409, {"code": code, "message": " ".join(str(m) for m in messages), "details": None})
