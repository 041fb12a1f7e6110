"""The report as an Excel workbook: one sheet per table, real dates, a header row with
filters, frozen panes and fitting columns. Text is guarded against formula injection
exactly as in the CSV (handbok.pages.exports.spreadsheet_text)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..core import unit_of
from ..messages import visible
from ..pages import text as t
from ..pages.exports import CSV_COLUMNS, spreadsheet_text
from .build import Report
from .view import DocRef, Table, view

__all__ = ["SHEET_NAMES", "report_xlsx"]

SHEET_NAMES = {
    "key": "Nyckeltal",
    "register": "Dokumentförteckning",
    "by_type": "Per dokumenttyp",
    "by_unit": "Per enhet",
    "overdue": "Passerat revisionsdatum",
    "unmoved": "Granskning utan nytt datum",
    "drafts": "Gamla utkast",
    "step_gaps": "Processteg utan rutin",
    "requirement_gaps": "Krav utan styrdokument",
    "events_summary": "Perioden",
    "events": "Händelser",
    "trend": "Trend",
}
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF6")
_TOP = Alignment(vertical="top")
_MAX_WIDTH = 80


def _text(value: str) -> str:
    """Cell text: never a formula, control characters written out (a cell cannot hold them)."""
    return spreadsheet_text(visible(value))


def _value(cell: object) -> object:
    if isinstance(cell, DocRef):
        return _text(cell.text)
    if isinstance(cell, str):
        return _text(cell)
    return cell


def _sheet(ws: WriteOnlyWorksheet, columns: tuple[str, ...] | list[str], rows: list[list[object]]) -> None:
    """A table on a streamed sheet (openpyxl's write-only mode: several times faster for
    the thousands of rows of a large handbook): widths, the frozen header row and the
    filter are set before the rows are written."""
    header = [_text(c) for c in columns]
    values = [[_value(c) for c in row] for row in rows]
    widths = [len(str(c)) for c in columns]
    for row in values:
        for i, value in enumerate(row):
            length = 10 if isinstance(value, dt.date) else len(str(value)) if value is not None else 0
            widths[i] = max(widths[i], length)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(width + 2, _MAX_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(values) + 1}"
    ws.append([_header_cell(ws, text) for text in header])
    for row in values:
        ws.append([_date_cell(ws, v) if isinstance(v, dt.date) else v for v in row])


def _header_cell(ws: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _TOP
    return cell


def _date_cell(ws: WriteOnlyWorksheet, value: dt.date) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "yyyy-mm-dd"
    return cell


def _register_rows(report: Report) -> list[list[object]]:
    r = report.result
    org = r.org
    rows: list[list[object]] = []
    for doc in sorted(r.documents, key=lambda d: (d.id or "", d.path)):
        state = r.state(doc)
        doc_type = org.types.get(doc.type or "")
        unit = unit_of(doc, org)
        rows.append([
            doc.id, doc.title, doc_type.label if doc_type else doc.type, t.STATUS_LABELS[state.status],
            org.unit_name(unit) if unit else "", org.role_title(doc.owner) if doc.owner else "",
            org.role_title(doc.decided_by) if doc.decided_by else "", doc.decision_date, doc.decision_ref,
            doc.last_reviewed, state.due, state.days_left, doc.path,
        ])
    return rows


def report_xlsx(report: Report) -> bytes:
    """The workbook: key figures, the register, then each table of the report."""
    v = view(report)
    wb = Workbook(write_only=True)
    stamp = dt.datetime.combine(report.today, dt.time())
    wb.properties.created = wb.properties.modified = stamp  # the same day gives the same file
    wb.properties.title = f"{v.title} – {v.as_of.lower()}"
    wb.properties.language = "sv-SE"
    tables: list[tuple[str, tuple[str, ...] | list[str], list[list[object]]]] = []
    assert v.key is not None
    tables.append(("key", v.key.columns, list(v.key.rows)))
    tables.append(("register", list(CSV_COLUMNS), _register_rows(report)))
    table: Table
    for table in v.tables:
        tables.append((table.key, table.columns, list(table.rows)))
    for key, columns, rows in tables:
        _sheet(wb.create_sheet(SHEET_NAMES[key]), columns, rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return _same_bytes(buffer.getvalue(), stamp)


def _same_bytes(data: bytes, stamp: dt.datetime) -> bytes:
    """The workbook with every zip member dated `stamp`: the writer dates members (and the
    modified property) with the clock, and a site rebuilt on the same day must be the
    same file for file (an incremental rebuild is compared with a full one)."""
    modified = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
    when = (stamp.isoformat(timespec="seconds") + "Z").encode()
    dated = stamp.timetuple()[:6] if 1980 <= stamp.year <= 2107 else (1980, 1, 1, 0, 0, 0)  # zip's range
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = modified.sub(lambda m: m[1] + when + m[2], content)
            member = zipfile.ZipInfo(info.filename, date_time=dated)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, content)
    return out.getvalue()
