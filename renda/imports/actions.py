"""Every write of an import: the job's lifecycle and the one transaction that applies a checked roster.

queued → running → done (everything written) | failed (nothing written; errors say why).
The uploaded file holds personal data (phones), so it is deleted once the job has finished either way.
"""

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renda.accounts.scope import scope_for
from renda.audit.actions import changed_fields, record
from renda.core.codes import new_code
from renda.people.models import Deputy
from renda.people.rosters import DEPUTY_COLUMNS
from renda.stations.models import Assignment, Station
from renda.stations.rosters import STATION_COLUMNS

from .checks import CHUNK, check_deputies, check_stations, header_errors
from .models import ImportJob, ImportKind, ImportStatus
from .xlsx import MAX_ROWS, NotAWorkbook, iter_sheet, open_workbook

logger = logging.getLogger(__name__)

COLUMNS = {ImportKind.DEPUTIES: DEPUTY_COLUMNS, ImportKind.STATIONS: STATION_COLUMNS}
CHECKS = {ImportKind.DEPUTIES: check_deputies, ImportKind.STATIONS: check_stations}


class ImportConflict(Exception):
    """The database changed between checking and writing; the whole import is refused."""


def create_import_job(user, kind: str, upload) -> ImportJob:
    """Store an already checked upload (see xlsx.check_upload) as a queued job. The caller enqueues it."""
    with transaction.atomic():
        job = ImportJob(kind=kind, original_name=(upload.name or "")[:200], created_by=user)
        # A random stored name: the user's file name is shown, never used as a path.
        job.file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
        job.save()
        record(user, "imports.upload", job, changes={"kind": kind, "file": job.original_name})
    return job


def run_import_job(job_id: int) -> None:
    """The background task's body: check the file, then write all of it or nothing. Never raises."""
    with translation.override(settings.LANGUAGE_CODE):
        job = _start(job_id)
        if job is None:
            return
        try:
            _run(job)
        except ImportConflict as exc:
            _finish(job, ImportStatus.FAILED, errors=[_error(str(exc))])
        except Exception:
            logger.exception("import job %s crashed", job_id)
            message = _("The import stopped because of an unexpected error. Nothing was imported; please try again.")
            _finish(job, ImportStatus.FAILED, errors=[_error(message)])
        finally:
            _discard_file(job)


def _error(message: str, row: int | str = "", column: str = "") -> dict:
    return {"row": row, "column": column, "message": message}


def _start(job_id: int) -> ImportJob | None:
    """Mark a queued job running; a job already started (a redelivered task) is left alone."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("created_by").filter(pk=job_id).first()
        if job is None or job.status != ImportStatus.QUEUED:
            return None
        job.status = ImportStatus.RUNNING
        job.save(update_fields=["status"])
    return job


def _finish(job: ImportJob, status: str, *, errors=(), created: int = 0, updated: int = 0) -> None:
    job.status = status
    job.errors = list(errors)
    job.created_count, job.updated_count = created, updated
    job.finished = timezone.now()
    if status == ImportStatus.DONE:
        job.rows_done = job.rows_total
    job.save(update_fields=["status", "errors", "created_count", "updated_count", "finished", "rows_done"])


def _discard_file(job: ImportJob) -> None:
    if job.file.name:
        job.file.storage.delete(job.file.name)
        job.file = ""
        job.save(update_fields=["file"])


def _run(job: ImportJob) -> None:
    columns = COLUMNS[job.kind]
    with job.file.open("rb") as handle:
        try:
            workbook = open_workbook(handle)
        except NotAWorkbook:
            _finish(job, ImportStatus.FAILED, errors=[_error(_("The file is not an Excel workbook (.xlsx)."))])
            return
        try:
            rows = list(iter_sheet(workbook))
        finally:
            workbook.close()
    if not rows:
        _finish(job, ImportStatus.FAILED, errors=[_error(_("The file has no data rows below the header row."))])
        return
    (_header_number, header), data = rows[0], rows[1:]
    problems = header_errors(header, columns)
    if not problems and not data:
        problems = [_error(_("The file has no data rows below the header row."))]
    if len(data) > MAX_ROWS:
        problems = [_error(_("The file has more than %(max)d rows; split it into smaller files.") % {"max": MAX_ROWS})]
    if problems:
        _finish(job, ImportStatus.FAILED, errors=problems)
        return

    job.rows_total, job.rows_done = len(data), 0
    job.save(update_fields=["rows_total", "rows_done"])

    def report(done: int) -> None:
        job.rows_done = done
        job.save(update_fields=["rows_done"])

    scope = scope_for(job.created_by)
    plan, errors = CHECKS[job.kind](data, scope, report)
    if errors:
        job.rows_done = job.rows_total
        job.save(update_fields=["rows_done"])
        _finish(job, ImportStatus.FAILED, errors=errors)
        return
    write = _write_deputies if job.kind == ImportKind.DEPUTIES else _write_stations
    with transaction.atomic():
        counts = write(plan, scope)
        record(job.created_by, f"imports.{job.kind}", job, changes={"rows": job.rows_total, **counts})
        _finish(job, ImportStatus.DONE, created=counts["created"], updated=counts["updated"])


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def unique_codes(model, count: int) -> list[str]:
    """`count` fresh public codes, checked against the table a few hundred at a time (not one query each)."""
    codes: set[str] = set()
    while len(codes) < count:
        batch = {new_code() for _ in range(count - len(codes))} - codes
        for chunk in _chunks(batch):
            taken = set(model.objects.filter(public_code__in=chunk).values_list("public_code", flat=True))
            codes.update(set(chunk) - taken)
    return sorted(codes)[:count]


# A column corrected to one value for many rows (the next term, a renamed group) is written as a few
# "UPDATE … WHERE id IN (…)"; Django's bulk_update builds a CASE branch per row, which costs far more.
SHARED_VALUES = 20


def _update_rows(model, scope_q, updates: dict[int, dict]) -> set[int]:
    """Lock the rows to update, apply each row's values, write the changed ones in bulk; return the changed ids."""
    changed_by_field: dict[str, dict[int, object]] = {}  # model field name → {pk: new value}
    locked, objects = 0, {}
    for chunk in _chunks(updates):
        for obj in model.objects.select_for_update().filter(scope_q, pk__in=chunk):
            locked += 1
            for attname in changed_fields(obj, updates[obj.pk]):
                name = model._meta.get_field(attname).name
                changed_by_field.setdefault(name, {})[obj.pk] = getattr(obj, attname)
                objects[obj.pk] = obj
    if locked != len(updates):
        raise ImportConflict(_("Some records changed or were removed while the file was checked. Upload it again."))
    for name, values in changed_by_field.items():
        groups: dict[object, list[int]] = {}
        for pk, value in values.items():
            groups.setdefault(getattr(value, "pk", value), []).append(pk)
        if len(groups) <= SHARED_VALUES:
            for value, pks in groups.items():
                for chunk in _chunks(pks):
                    model.objects.filter(pk__in=chunk).update(**{model._meta.get_field(name).attname: value})
        else:
            model.objects.bulk_update([objects[pk] for pk in values], [name], batch_size=CHUNK)
    for chunk in _chunks(objects):
        model.objects.filter(pk__in=chunk).update(updated=timezone.now())
    return set(objects)


def _create_rows(model, rows: list[dict]) -> list:
    codes = unique_codes(model, len(rows))
    objects = [model(public_code=code, **fields) for code, fields in zip(codes, rows, strict=True)]
    model.objects.bulk_create(objects, batch_size=CHUNK)
    if objects and objects[0].pk is None:  # a database that cannot return ids from a bulk insert
        ids = {}
        for chunk in _chunks(obj.public_code for obj in objects):
            ids.update(model.objects.filter(public_code__in=chunk).values_list("public_code", "pk"))
        for obj in objects:
            obj.pk = ids[obj.public_code]
    return objects


def _write_deputies(plan, scope) -> dict:
    updated = _update_rows(Deputy, scope.region_q("electoral_region__path"), plan.update)
    created = _create_rows(Deputy, plan.create)
    return {"created": len(created), "updated": len(updated)}


def _write_stations(plan, scope) -> dict:
    # Updates first: a new station may take the name an existing one gives up in the same file.
    updated = _update_rows(Station, scope.region_q("region__path"), plan.update)
    created = _create_rows(Station, plan.create)
    wanted = {}
    for key, deputies in plan.assignments.items():
        station_id = created[key[1]].pk if isinstance(key, tuple) else key
        wanted[station_id] = deputies
    # A station whose only change is who serves there counts as updated too.
    updated |= _replace_assignments(wanted) - {obj.pk for obj in created}
    return {"created": len(created), "updated": len(updated)}


def _replace_assignments(wanted: dict[int, tuple[list[int], int | None]]) -> set[int]:
    """Make each station's deputies exactly the listed ones with the given head; return the stations that changed."""
    existing: dict[int, dict[int, tuple[int, bool]]] = {station_id: {} for station_id in wanted}
    for chunk in _chunks(wanted):
        for pk, station_id, deputy_id, is_head in (
            Assignment.objects.select_for_update()
            .filter(station_id__in=chunk)
            .values_list("pk", "station_id", "deputy_id", "is_head")
        ):
            existing[station_id][deputy_id] = (pk, is_head)
    remove, unset_head, set_head, add, touched = [], [], [], [], set()
    today = timezone.localdate()
    for station_id, (deputy_ids, head_id) in wanted.items():
        keep, serving = set(deputy_ids), existing[station_id]
        for deputy_id, (pk, is_head) in serving.items():
            if deputy_id not in keep:
                remove.append(pk)
            elif is_head and deputy_id != head_id:
                unset_head.append(pk)
            elif not is_head and deputy_id == head_id:
                set_head.append(pk)
            else:
                continue
            touched.add(station_id)
        for deputy_id in deputy_ids:
            if deputy_id not in serving:
                add.append(
                    Assignment(station_id=station_id, deputy_id=deputy_id, is_head=deputy_id == head_id, since=today)
                )
                touched.add(station_id)
    # Order matters for "one head per station": old heads step down before new ones are created or promoted.
    for chunk in _chunks(remove):
        Assignment.objects.filter(pk__in=chunk).delete()
    for chunk in _chunks(unset_head):
        Assignment.objects.filter(pk__in=chunk).update(is_head=False)
    Assignment.objects.bulk_create(add, batch_size=CHUNK)
    for chunk in _chunks(set_head):
        Assignment.objects.filter(pk__in=chunk).update(is_head=True)
    return touched
