"""Exports written into the site: handbok.json and dokumentforteckning.csv."""

from __future__ import annotations

import csv
import io
import json

from ..core import Result, to_json, unit_of
from . import text as t

__all__ = ["CSV_COLUMNS", "handbook_json", "register_csv", "spreadsheet_text"]

CSV_COLUMNS = (
    "Id", "Titel", "Typ", "Status", "Enhet", "Dokumentansvarig", "Fastställd av", "Fastställd",
    "Diarienummer", "Senast granskad", "Revideras senast", "Dagar kvar", "Sökväg",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def handbook_json(result: Result) -> str:
    """The same object as `handbok check --format json`, compact: it is read by programs."""
    return json.dumps(to_json(result), ensure_ascii=False, separators=(",", ":")) + "\n"


def _cell(value: object) -> str:
    """Text for a spreadsheet cell; never a formula (a title starting with '=')."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


spreadsheet_text = _cell  # the same guard for the Excel files (handbok.report.xlsx)


def register_csv(result: Result) -> bytes:
    """The register for Swedish Excel: UTF-8 with BOM, semicolons, CRLF."""
    org = result.org
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for doc in sorted(result.documents, key=lambda d: (d.id or "", d.path)):
        state = result.state(doc)
        doc_type = org.types.get(doc.type or "")
        unit = unit_of(doc, org)
        writer.writerow([_cell(v) if isinstance(v, str) else v for v in (
            doc.id, doc.title, doc_type.label if doc_type else doc.type,
            t.STATUS_LABELS[state.status], org.unit_name(unit) if unit else "",
            org.role_title(doc.owner) if doc.owner else "",
            org.role_title(doc.decided_by) if doc.decided_by else "",
            doc.decision_date.isoformat() if doc.decision_date else "", doc.decision_ref,
            doc.last_reviewed.isoformat() if doc.last_reviewed else "",
            state.due.isoformat() if state.due else "",
            "" if state.days_left is None else state.days_left, doc.path,
        )])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
