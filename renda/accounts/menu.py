"""Which back-office entries a user's grants open: the one rule behind the staff navigation.

Each entry is shown to the roles whose work it serves; an entry whose page would be empty or missing (404) for a
role is never offered to it. The template (core/staff_base.html) keeps the links and labels; this table decides
which of them appear. Pages still check access themselves — the menu only stops offering what a role cannot use.
"""

from collections.abc import Callable

from .scope import Scope, scope_for


def _congress(s: Scope) -> bool:
    return s.is_congress_staff


def _station_side(s: Scope) -> bool:
    """Congress staff, station keepers and deputies: the people who work at and for stations."""
    return s.is_congress_staff or bool(s.station_ids or s.deputy_ids)


# key → who sees it. Keys name the links in core/staff_base.html.
ENTRIES: dict[str, Callable[[Scope], bool]] = {
    "regions": _congress,
    "deputies": _station_side,
    "members": _congress,
    "stations": _station_side,
    "opinions": lambda s: _station_side(s) or bool(s.unit_ids),
    "receptions": _station_side,
    # Suggestions and proposals: the office's inbox, a unit's items to handle, a deputy's own.
    "suggestions_office": lambda s: s.is_congress_staff or s.is_cppcc_staff,
    "suggestions_unit": lambda s: bool(s.unit_ids),
    "suggestions_my": lambda s: bool(s.deputy_ids),
    # Livelihood projects: the office's rounds; a deputy's sessions and votes, a unit's projects to carry out.
    "projects_office": _congress,
    "projects_mine": lambda s: not s.is_congress_staff and bool(s.deputy_ids or s.unit_ids),
    # Activities: the organiser's list (congress staff, a keeper for the station's); a deputy's invitations.
    "activities_office": lambda s: s.is_congress_staff or bool(s.station_ids),
    "activities_my": lambda s: bool(s.deputy_ids),
    # Calendars: a deputy's own (activities, duties, votes; with its phone feed), the region's for the office.
    "calendar_mine": lambda s: bool(s.deputy_ids),
    "calendar_region": _congress,
    # Development-zone joint meetings (一题四联) and CPPCC consultation: the office's pages; a unit's questions and
    # results to answer.
    "jointmeetings": _congress,
    "jointmeetings_unit": lambda s: bool(s.unit_ids),
    "consultation": _congress,
    "consultation_unit": lambda s: bool(s.unit_ids),
    # Performance records: the office's scores, lists, disputes, reports and weights; a deputy's own record.
    "records_office": _congress,
    "records_my": lambda s: not s.is_congress_staff and bool(s.deputy_ids),
    "units": lambda s: s.is_congress_staff or bool(s.unit_ids),
    "coverage": _congress,
    # Charts and maps of the staff's regions, the live board's map and the big screen (renda/dashboards).
    "dashboards": _congress,
    "imports": _congress,
    # Long exports and poster batches made in the background (renda/exports); chiefly congress staff's lists.
    "exports": _congress,
    "open311_keys": _congress,
    "messages": lambda s: s.is_staff_anywhere or s.sets_up_admins,
    # Tokens for the staff API's inbox: integrations run by congress staff, stations and handling units.
    "api_tokens": lambda s: s.is_congress_staff or bool(s.station_ids or s.unit_ids),
    # 三员: each administrator sees the pages of their own duty only.
    # The same predicates as the pages' decorators (accounts/decorators.py), so a link never leads to a 404.
    "accounts": lambda s: bool(s.admin_paths or s.security_paths or s.sets_up_admins),
    "locks": lambda s: bool(s.security_paths),
    "audit": lambda s: s.may_read_audit,
}


def menu_for(user) -> frozenset[str]:
    """The keys of ENTRIES the user's grants open (nothing for anonymous users or users without a role)."""
    scope = scope_for(user)
    return frozenset(key for key, shown in ENTRIES.items() if shown(scope))
