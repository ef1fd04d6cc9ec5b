"""Downloads of a published session: the count record and the results, as Excel and as PDF (A4, CJK font)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from renda.core.excel import xlsx_response

from .counting import count_record
from .models import SessionKind


def _result(project, session) -> str:
    if session.kind == SessionKind.VOTE:
        return str(project.get_result_display())
    return str(project.get_verdict_display())


def _summary(record) -> list[tuple[str, int]]:
    return [
        (_("Entitled"), record.entitled),
        (_("Present"), record.present),
        (pgettext("ballots", "Issued"), record.issued),
        (_("Returned"), record.returned),
        (_("Valid"), record.valid),
        (_("Invalid"), record.invalid),
        (_("Blank"), record.blank),
    ]


def results_xlsx(session):
    record = count_record(session)
    headers = ["#", _("Project"), _("Lead unit"), *record.option_labels, _("Result")]
    rows = [
        [project.number, project.title, project.lead_unit.name, *votes.values(), _result(project, session)]
        for project, votes in record.lines
    ]
    rows.append([])
    rows += [["", label, value] for label, value in _summary(record)]
    return xlsx_response(f"{session.title}.xlsx", str(_("Count record")), headers, rows)


def results_pdf(session) -> bytes:
    from renda.core.pdf import document, issuing_office

    record = count_record(session)
    # Office, date and "page N of M" in every page's footer (renda/core/pdf.py).
    pdf = document(office=issuing_office(session.round.region.name))
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    pdf.multi_cell(0, 8, f"{session.round.title} · {session.title}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    line = " · ".join(f"{label} {value}" for label, value in _summary(record))
    pdf.multi_cell(0, 6, f"{_('Count record')}: {line}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    labels = record.option_labels
    widths = [10, 80 - 6 * len(labels), *([18] * len(labels)), 40]
    headers = ["#", str(_("Project")), *[str(label) for label in labels], str(_("Result"))]
    pdf.set_font("cjk", size=8)

    def row(cells, *, bold=False):
        for width, cell in zip(widths, cells, strict=True):
            text = str(cell)
            while text and pdf.get_string_width(text) > width - 2:
                text = text[:-1]
            pdf.cell(width, 6, text, border=1)
        pdf.ln()

    row(headers)
    for project, votes in record.lines:
        row([project.number, project.title, *votes.values(), _result(project, session)])
    signed = [f"{o.name} {o.signed_at:%Y-%m-%d %H:%M}" for o in session.officers.filter(signed_at__isnull=False)]
    if signed:
        pdf.ln(3)
        pdf.set_font("cjk", size=10)
        pdf.multi_cell(0, 6, f"{_('Scrutineers')}: {'；'.join(signed)}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
