"""Short public codes for stable URLs (/s/<code>, /d/<code>): no 0/O/1/I/L, easy to read aloud."""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length: int = 6) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def unique_code(model, field: str = "public_code", length: int = 6) -> str:
    while True:
        code = new_code(length)
        if not model.objects.filter(**{field: code}).exists():
            return code
