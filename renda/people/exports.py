"""The deputy roster as a background export (renda/exports) when it is longer than EXPORT_SYNC_MAX_ROWS: the builder
re-reads the same filters through the job owner's scope, so a job never holds a deputy its owner could not see."""

from django.http import QueryDict

from renda.core.excel import XLSX, xlsx_bytes
from renda.exports.registry import Built, counted

from .access import deputies_for
from .forms import DeputyFilterForm
from .rosters import DEPUTY_COLUMNS, deputy_row

DEPUTIES = "people.deputies"
DEPUTIES_FILE = "代表名单.xlsx"


def deputy_rows(deputies):
    return (deputy_row(deputy, phone=deputy.masked_phone) for deputy in deputies.iterator(chunk_size=2000))


def filtered_deputies(user, query: QueryDict):
    form = DeputyFilterForm(query, user=user)
    return form.filter(deputies_for(user)).select_related("electoral_region")


def build_deputies(job, progress) -> Built:
    deputies = filtered_deputies(job.created_by, QueryDict(job.params.get("query", "")))
    rows = counted(deputy_rows(deputies), deputies.count(), progress)
    return Built(xlsx_bytes("代表", DEPUTY_COLUMNS, rows), job.download_name or DEPUTIES_FILE, XLSX)
