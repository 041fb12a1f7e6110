"""`handbok report`: the internal-control report for the nämnd, and the site page
`oversikt/internkontroll/`. Figures come from `handbok.figures`, the trend from
`handbok.githistory`; this package only arranges and formats them."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Document
from .build import Report, build_report, default_start
from .html import report_body, report_document

__all__ = ["FORMATS", "Report", "build_report", "default_start", "render_report", "report_body"]

FORMATS = ("html", "pdf", "xlsx", "md", "json")
SUFFIXES = {"html": ".html", "pdf": ".pdf", "xlsx": ".xlsx", "md": ".md", "json": ".json"}


def render_report(report: Report, fmt: str, link: Callable[[Document], str | None]) -> bytes:
    """The report in one of FORMATS, as bytes to write."""
    if fmt == "pdf":
        from .pdf import report_pdf

        return report_pdf(report, link)
    if fmt == "xlsx":
        from .xlsx import report_xlsx

        return report_xlsx(report)
    if fmt == "md":
        from .markdown import report_markdown

        return report_markdown(report).encode("utf-8")
    if fmt == "json":
        from .jsondata import report_json

        return report_json(report).encode("utf-8")
    return report_document(report, link).encode("utf-8")
