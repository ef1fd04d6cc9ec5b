"""Sections that apps above people add to the staff deputy page, registered at app-ready time (never signals).

people sits below stations and receptions (docs/architecture.md, "Layers"), so the deputy page cannot ask them for
the stations a deputy serves or their reception record. Each app registers a panel instead, in its
AppConfig.ready():

    register_deputy_panel("receptions", "receptions/_deputy_record.html", context=deputy_record_panel)

`context(user, deputy)` returns the names the panel's template reads; it must apply the user's scope itself (its
app's access.py). `slot` is where the page puts it: "side" beside the profile, "below" under it. Panels render in
registration order, i.e. the order of INSTALLED_APPS.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

SLOTS = ("side", "below")


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable  # (user, deputy) -> dict
    slot: str = "below"


_DEPUTY_PANELS: dict[str, Panel] = {}


def register_deputy_panel(name: str, template: str, *, context: Callable, slot: str = "below") -> None:
    if slot not in SLOTS:
        raise ImproperlyConfigured(f"deputy panel {name!r}: slot must be one of {SLOTS}")
    panel = Panel(name, template, context, slot)
    if _DEPUTY_PANELS.get(name, panel) != panel:
        raise ImproperlyConfigured(f"deputy panel {name!r} is registered twice")
    _DEPUTY_PANELS[name] = panel


def deputy_panels(user, deputy) -> tuple[dict, dict[str, list[str]]]:
    """(the panels' context, {slot: [template, …]}) for the deputy page as this user may see it."""
    context, templates = {}, {slot: [] for slot in SLOTS}
    for panel in _DEPUTY_PANELS.values():
        context.update(panel.context(user, deputy))
        templates[panel.slot].append(panel.template)
    return context, templates
