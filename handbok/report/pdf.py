"""The report as a tagged PDF (PDF/UA-1) for the nämnd's papers and the diarium.

WeasyPrint lays out the same HTML as the site page, with A4 page rules, page numbers,
a table of contents with page numbers and the as-of date in every page's header, and
writes the structure tree a screen reader follows."""

from __future__ import annotations

from .build import Report
from .html import Link, report_document

__all__ = ["report_pdf"]


def report_pdf(report: Report, link: Link) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, and only the PDF needs it

    html = report_document(report, link, pdf=True)
    # base_url None and no url_fetcher use: the document has no external resources.
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False) or b""
