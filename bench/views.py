"""Two endpoints for the submission benchmark, served only under bench/settings.py.

- `submit`: the full submission path minus the HTML form: look up the station by its public code and the category,
  then `renda.opinions.actions.submit` (idempotency check, tracking code, deadline from the working-day calendar,
  opinion + search index + timeline event in one transaction, notifications routed after commit). The public form
  adds CSRF, the form's validation and per-IP rate limits, which would throttle one client at 127.0.0.1.
- `bare`: a Django view inserting one row with one INSERT (the floor any write view pays: request, middleware,
  one connection round trip, a commit).
- `ok`: a view that answers "ok" and reads nothing (the floor any page pays: request, middleware, session and user;
  bench/home.py compares the staff home with it).
"""

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from renda.opinions import actions
from renda.opinions.models import Category
from renda.stations.models import Station


@csrf_exempt
@require_POST
def submit(request):
    station = get_object_or_404(Station.objects.select_related("region"), public_code=request.POST["station"])
    category = get_object_or_404(Category, pk=request.POST["category"])
    result = actions.submit(
        station=station, category=category, text=request.POST["text"], client_token=request.POST["token"]
    )
    return HttpResponse(result.opinion.tracking_code, status=201 if result.created else 200)


@csrf_exempt
@require_POST
def bare(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (text) VALUES (%s)", [request.POST["text"]])
    return HttpResponse("ok", status=201)


def ok(request):
    return HttpResponse("ok")
