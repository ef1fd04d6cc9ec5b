"""GeoReport v2 documents: services, service definitions, requests and errors, as JSON lists/dicts or XML.

Services are the active opinion categories; a category's primary key is its stable `service_code` (names can be
renamed by staff, the key never changes). Requests are opinions; `service_request_id` is the opinion's public id,
never its tracking code (the constituent's secret). A request document shows only the fields the deployment declares
public (settings.OPEN311_PUBLIC_FIELDS) and never a name or a phone.
"""

import xml.etree.ElementTree as ET

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.opinions.workflow import DONE_STATES, Action

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-26T00:00:00+08:00"
# GeoReport knows two statuses. "closed" = nothing more will happen unless the constituent reopens it: answered
# (awaiting rating), finally closed, refused, merged into another opinion, or turned into a formal suggestion.
CLOSED_STATES = frozenset(DONE_STATES)
STATION_ATTRIBUTE = "station"
CONSENT_ATTRIBUTE = "consent"


def open311_status(state: str) -> str:
    return "closed" if state in CLOSED_STATES else "open"


def states_for(status: str) -> set[str] | None:
    """The workflow states an Open311 status filter stands for (None: every state)."""
    from renda.opinions.workflow import State

    if status == "closed":
        return set(CLOSED_STATES)
    if status == "open":
        return set(State.values) - CLOSED_STATES
    return None


def iso(value) -> str | None:
    """ISO 8601 with the UTC offset, in the platform's time zone (e.g. 2026-11-26T09:30:00+08:00)."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def jurisdiction_id() -> str:
    from urllib.parse import urlsplit

    return getattr(settings, "OPEN311_JURISDICTION_ID", "") or urlsplit(settings.PUBLIC_BASE_URL).hostname or ""


# Documents ---------------------------------------------------------------------------------------------------------


def discovery(base_url: str) -> dict:
    return {
        "changeset": CHANGESET,
        "contact": _("Contact the people's congress standing committee office of %(host)s.") % {"host": base_url},
        "key_service": _("API keys are issued by congress staff in the back office (Open311 keys)."),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": base_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


def service(category) -> dict:
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": _("Opinions and suggestions to people's congress deputies: %(name)s") % {"name": category.name},
        "metadata": True,
        "type": "realtime",
        "keywords": category.name,
        "group": _("Opinions to deputies"),
    }


def service_definition(category) -> dict:
    # The station is a free "string", not a singlevaluelist: a city has thousands of stations, a list that size is
    # useless to a client, and it would go stale; the value is checked against station public codes on submission.
    return {
        "service_code": str(category.pk),
        "attributes": [
            {
                "variable": True,
                "code": STATION_ATTRIBUTE,
                "datatype": "string",
                "required": False,
                "datatype_description": _("The public code of a contact station, as on its QR code page."),
                "order": 1,
                "description": _(
                    "Which contact station should handle this. Without it, the active station nearest to lat/long."
                ),
            },
            {
                "variable": True,
                "code": CONSENT_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": None,
                "order": 2,
                "description": _(
                    "Whether the constituent agrees that their name and phone are used to contact them about this "
                    "opinion. Without agreement, name and phone are not stored."
                ),
                "values": [{"key": "yes", "name": _("I agree")}, {"key": "no", "name": _("I do not agree")}],
            },
        ],
    }


def latest_note(opinion) -> str | None:
    """The newest public note; `public_events` is prefetched newest first (see views._requests_queryset)."""
    for event in getattr(opinion, "public_events", []):
        return event.note
    return None


def request_doc(opinion) -> dict:
    shown = settings.OPEN311_PUBLIC_FIELDS
    station = opinion.station
    own_position = "position" in shown and opinion.latitude is not None
    lat = opinion.latitude if own_position else getattr(station, "latitude", None)
    lng = opinion.longitude if own_position else getattr(station, "longitude", None)
    closed = opinion.status in CLOSED_STATES
    address = (
        (opinion.place or (station.address if station is not None else None) or None) if "address" in shown else None
    )
    return {
        "service_request_id": opinion.public_id,
        "status": open311_status(opinion.status),
        "status_notes": latest_note(opinion) if "status_notes" in shown else None,
        "service_name": opinion.category.name,
        "service_code": str(opinion.category_id),
        "description": opinion.text if "description" in shown else None,
        "agency_responsible": opinion.unit.name if opinion.unit_id and "agency_responsible" in shown else None,
        "service_notice": None,
        "requested_datetime": iso(opinion.created),
        "updated_datetime": iso((opinion.closed_at or opinion.updated) if closed else opinion.updated),
        "expected_datetime": iso(opinion.due_at) if not closed else None,
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": float(lat) if lat is not None else None,
        "long": float(lng) if lng is not None else None,
        "media_url": None,
    }


NOTE_EXCLUDED_ACTIONS = (Action.SUPPORT, Action.NOTE)


# Rendering ---------------------------------------------------------------------------------------------------------

# The XML element names of list items, per the GeoReport v2 examples.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def _xml_value(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item_name), child)
    else:
        element.text = _xml_value(value)


def to_xml(root: str, value) -> bytes:
    """ElementTree escapes text; nothing is ever parsed here, so there is no entity expansion to guard against."""
    element = ET.Element(root)
    _fill(element, value)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, root: str, value, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, value), status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(value, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", [{"code": status, "description": str(description)}], status=status)
