"""Builders that the domains register at app-ready time: the export job knows no domain (docs/architecture.md).

Each domain registers, in its AppConfig.ready(), a function that makes one kind of file:

    register_builder("opinions.inbox", exports.build_inbox)

A builder is called in the worker as `builder(job, progress)`: it reads `job.params` and re-applies the access rules
of `job.created_by` (a job never sees more than its owner could), calls `progress(done, total)` as it goes, and
returns a `Built` (the bytes, the file name, the content type). An explicit call by name, never a signal.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Built:
    data: bytes
    filename: str
    content_type: str


Progress = Callable[[int, int], None]
Builder = Callable[..., Built]

_BUILDERS: dict[str, Builder] = {}


def counted(rows, total: int, progress: Progress):
    """`rows` unchanged, telling `progress(done, total)` after each (the job writes it about a hundred times)."""
    done = 0
    for row in rows:
        yield row
        done += 1
        progress(done, max(total, done))


def register_builder(kind: str, builder: Builder) -> None:
    if _BUILDERS.get(kind, builder) is not builder:
        raise ImproperlyConfigured(f"export builder {kind!r} is registered twice")
    _BUILDERS[kind] = builder


def builder_for(kind: str) -> Builder:
    try:
        return _BUILDERS[kind]
    except KeyError:
        raise ImproperlyConfigured(f"no export builder {kind!r} (registered: {sorted(_BUILDERS)})") from None
