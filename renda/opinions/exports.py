"""The inbox's Excel export: its columns and rows, and the background builder for long lists (renda/exports).

The view hands out up to EXPORT_SYNC_MAX_ROWS rows at once; a longer list becomes an export job whose builder
(`build_inbox`, registered in apps.py) re-reads the same filters through the job owner's scope, so a job never
holds a row its owner could not see. At most EXPORT_CAP rows, newest first; a last line says when there were more.
"""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from renda.core.crypto import mask_phone
from renda.core.excel import XLSX, xlsx_bytes
from renda.exports.registry import Built

from .access import opinions_for
from .workflow import OPEN_STATES

INBOX = "opinions.inbox"
EXPORT_CAP = 100_000


def inbox_title() -> str:
    return _("Opinions") + f" {timezone.localtime():%Y-%m-%d %H:%M}"


def inbox_filename() -> str:
    return f"{_('Opinions')}-{timezone.localdate():%Y%m%d}.xlsx"


def inbox_headers() -> list:
    return [
        _("tracking code"),
        pgettext("time of", "submitted"),
        _("region"),
        _("station"),
        _("addressed deputy"),
        _("category"),
        _("text"),
        _("place"),
        _("status"),
        _("handling unit"),
        _("due"),
        _("overdue"),
        _("rating"),
        _("phone"),
    ]


def inbox_rows(opinions, progress=None):
    """Rows of the filtered `opinions` (a scoped queryset), newest first; `progress(done, total)` if given."""
    opinions = opinions.select_related("region", "station", "deputy", "category", "unit").order_by("-created", "-id")
    more = opinions[EXPORT_CAP : EXPORT_CAP + 1].exists()
    total = opinions[:EXPORT_CAP].count() if progress else 0
    now = timezone.now()
    open_states = {str(state) for state in OPEN_STATES}
    done = 0
    for opinion in opinions[:EXPORT_CAP].iterator(chunk_size=2000):
        overdue = opinion.due_at is not None and opinion.due_at < now and opinion.status in open_states
        yield [
            opinion.tracking_code,
            opinion.created,
            opinion.region.name,
            opinion.station.name if opinion.station_id else "",
            opinion.deputy.name if opinion.deputy_id else "",
            opinion.category.name,
            opinion.text,
            opinion.place,
            str(opinion.get_status_display()),
            opinion.unit.name if opinion.unit_id else "",
            timezone.localdate(opinion.due_at) if opinion.due_at else "",
            _("yes") if overdue else "",
            str(opinion.get_rating_display()) if opinion.rating else "",
            mask_phone(opinion.submitter_phone),
        ]
        done += 1
        if progress:
            progress(done, total)
    if more:
        yield [_("Only the newest %(n)s rows were exported; narrow the filters to get the rest.") % {"n": EXPORT_CAP}]


def build_inbox(job, progress) -> Built:
    """The export job's builder: the inbox filters in `job.params["query"]`, read as its owner."""
    from .forms import OpinionFilterForm

    user = job.created_by
    form = OpinionFilterForm(QueryDict(job.params.get("query", "")), user=user)
    opinions = form.filter(opinions_for(user))
    data = xlsx_bytes(_("Opinions"), inbox_headers(), inbox_rows(opinions, progress))
    return Built(data, job.download_name or inbox_filename(), XLSX)
