"""Public performance figures as Popolo open data (/opendata/records.json): one Popolo person per active deputy and
member with figures in the year, under the same id as in /opendata/popolo.json (`person/deputy/<code>`), with their
published reports as `links` and the year's public figures in a `performance` extension (Popolo has no field for
them; the schemas allow extensions). Points and grades are the office's working data and are not published.
Three queries whatever the size: figures, people, reports."""

import hashlib
import json
from collections import defaultdict

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from renda.people.models import Deputy, Member

from .kinds import ORDER, PUBLIC
from .models import Figure, Report
from .workflow import PUBLIC_REPORT_STATES

CODE_SCHEME = "renda:public-code"
MAX_AGE = 600


def build(request, year: int) -> dict:
    figures = defaultdict(dict)
    rows = Figure.objects.filter(year=year, kind__in=PUBLIC, count__gt=0).filter(
        deputy__is_active=True
    ) | Figure.objects.filter(year=year, kind__in=PUBLIC, count__gt=0, member__is_active=True)
    for deputy_id, member_id, kind, count in rows.values_list("deputy_id", "member_id", "kind", "count"):
        figures[("deputy", deputy_id) if deputy_id else ("member", member_id)][kind] = count
    people = {}
    deputy_ids = [pk for kind, pk in figures if kind == "deputy"]
    member_ids = [pk for kind, pk in figures if kind == "member"]
    for pk, code, name in Deputy.objects.filter(pk__in=deputy_ids).values_list("pk", "public_code", "name"):
        people[("deputy", pk)] = (code, name)
    for pk, code, name in Member.objects.filter(pk__in=member_ids).values_list("pk", "public_code", "name"):
        people[("member", pk)] = (code, name)
    reports = defaultdict(list)
    for pk, deputy_id, member_id, report_year, kind in (
        Report.objects.filter(status__in=PUBLIC_REPORT_STATES)
        .values_list("pk", "deputy_id", "member_id", "year", "kind")
        .order_by("year", "id")
    ):
        url = request.build_absolute_uri(reverse("records_public:report_pdf", args=[pk]))
        reports[("deputy", deputy_id) if deputy_id else ("member", member_id)].append(
            {"url": url, "note": f"{kind} report {report_year}"}
        )
    persons = []
    for key in sorted(people, key=lambda k: people[k][0]):
        code, name = people[key]
        persons.append(
            {
                "id": f"person/{key[0]}/{code}",
                "name": name,
                "identifiers": [{"scheme": CODE_SCHEME, "identifier": code}],
                "links": reports.get(key, []),
                "performance": {
                    "year": year,
                    "figures": dict(sorted(figures[key].items(), key=lambda item: ORDER.get(item[0], 999))),
                },
            }
        )
    return {"persons": persons}


@require_safe
def records_json(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    body = json.dumps(build(request, year), ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
