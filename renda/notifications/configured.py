"""The end of `sms_templates` and `wechat_templates`: how many message kinds have what a gateway needs; `--check`."""

from django.core.management.base import CommandError


def report(write, kinds: list[str], configured: dict, *, setting: str, noun: str, check: bool) -> None:
    """Write how many `kinds` have a `noun` in `configured` (the setting `setting`) and which names it knows no kind
    of; with `check`, raise CommandError for a kind without one or an unknown name."""
    missing = [kind for kind in kinds if not configured.get(kind)]
    unknown = sorted(set(configured) - set(kinds))
    write(f"{len(kinds) - len(missing)} of {len(kinds)} message kinds have a {noun}.")
    if unknown:
        write(f"{setting} names kinds that are never sent this way: {', '.join(unknown)}")
    if check and missing:
        raise CommandError(f"no {noun} for: {', '.join(missing)}")
    if check and unknown:
        raise CommandError(f"unknown message kinds in {setting}: {', '.join(unknown)}")
