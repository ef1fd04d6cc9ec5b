from django.contrib import messages
from django.core.exceptions import ValidationError


def refused(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)
