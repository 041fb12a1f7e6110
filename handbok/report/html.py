"""The report as HTML: a whole document (for the command and the PDF) or the body of
the site page. Jinja2 templates with autoescape: every value from a document is escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path

import jinja2

from ..messages import visible
from ..model import Document
from ..pages import text as t
from . import texts as x
from .build import Report
from .chart import line_chart
from .view import DocRef, View, view

__all__ = ["report_body", "report_document"]

TEMPLATES = Path(__file__).parent / "templates"
Link = Callable[[Document], str | None]


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["cell"] = _cell
    return env


def _cell(value: object) -> str:
    if isinstance(value, dt.date):
        return t.sv_date(value)
    if value is None:
        return "–"
    return visible(str(value))


def _context(report: Report, link: Link, pdf: bool) -> dict[str, object]:
    v: View = view(report)
    labels = [f"{t.MONTHS[p.day.month - 1][:3]} {p.day.year}" for p in report.trend]
    charts = []
    if report.trend:
        shares = [float(p.overdue.percent or 0) for p in report.trend]
        gaps = [float(p.gaps) for p in report.trend]
        charts = [
            (x.HEADINGS["trend_overdue"], line_chart(shares, labels, 100.0, " %")),
            (x.HEADINGS["trend_gaps"], line_chart(gaps, labels, max(gaps) if gaps else 1.0)),
        ]
    return {"v": v, "x": x, "charts": charts, "pdf": pdf,
            "href": lambda cell: link(cell.document) if isinstance(cell, DocRef) else None}


def report_body(report: Report, link: Link) -> str:
    """The report's sections for a page of the site (the page has its own heading)."""
    return _env().get_template("body.html.j2").render(**_context(report, link, pdf=False))


def report_document(report: Report, link: Link, pdf: bool = False) -> str:
    """A whole HTML document: A4 page rules, a table of contents, the as-of date."""
    return _env().get_template("report.html.j2").render(**_context(report, link, pdf=pdf))
