"""The report as titled tables, the same for HTML, PDF, Markdown, Excel and JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..figures import DRAFT_MONTHS, draft_since, event_counts
from ..model import Document
from ..pages import text as t
from . import texts as x
from .build import Report

__all__ = ["DocRef", "Table", "View", "view"]


@dataclass(frozen=True)
class DocRef:
    """A cell naming a document: a link in HTML, text elsewhere."""

    text: str
    document: Document

    def __str__(self) -> str:
        return self.text


Cell = str | int | dt.date | DocRef | None
EVENT_ROWS = 50


@dataclass
class Table:
    key: str
    heading: str
    method: str
    columns: tuple[str, ...]
    rows: list[list[Cell]]
    empty: str = x.NONE
    chart: str | None = None  # "overdue" or "gaps" for the trend tables
    limit: int | None = None  # rows shown in HTML, PDF and Markdown (Excel and JSON have all)

    def shown(self) -> list[list[Cell]]:
        return self.rows if self.limit is None else self.rows[:self.limit]

    def limited(self) -> str | None:
        """The note that only some rows are shown, or None."""
        if self.limit is None or len(self.rows) <= self.limit:
            return None
        return x.LIMITED.format(shown=self.limit, total=len(self.rows))


@dataclass
class View:
    title: str
    as_of: str
    scope: str
    period: str
    intro: str
    notes: list[str] = field(default_factory=list)
    key: Table | None = None
    tables: list[Table] = field(default_factory=list)


def share_text(count: int, total: int, percent: int | None) -> str:
    if percent is None:
        return x.SHARE_NONE
    return x.SHARE.format(percent=percent, count=count, total=total)


def _doc(doc: Document) -> DocRef:
    return DocRef(f"{doc.id or doc.path} {doc.title or ''}".strip(), doc)


def view(report: Report) -> View:
    f, org = report.figures, report.result.org
    day = t.sv_date(report.today)
    months = DRAFT_MONTHS
    scope = x.SCOPE_ALL if report.unit is None else x.SCOPE_UNIT.format(unit=org.unit_name(report.unit))
    v = View(x.TITLE, x.AS_OF.format(day=day), scope,
             x.PERIOD.format(start=t.sv_date(report.start), end=day), x.INTRO)
    if not report.history_before_start:
        v.notes.append(x.NO_BEFORE)
    k = x.KEY_LABELS
    m = x.METHODS
    dr, rt = f.decision_record, f.reviewed_in_time
    v.key = Table("key", x.HEADINGS["key"], "", (x.COLUMNS["figure"], x.COLUMNS["value"], x.COLUMNS["method"]), [
        [k["in_force"], f.in_force, m["in_force"]],
        [k["decision_record"], share_text(dr.count, dr.total, dr.percent), m["decision_record"]],
        [k["reviewed_in_time"], share_text(rt.count, rt.total, rt.percent), m["reviewed_in_time"].format(day=day)],
        [k["overdue"], len(f.overdue), m["overdue"]],
        [k["unmoved"], len(f.unmoved_reviews), m["unmoved"]],
        [k["drafts"].format(months=months), len(f.old_drafts), m["drafts"].format(months=months, day=day)],
        [k["step_gaps"], len(f.step_gaps), m["step_gaps"]],
        [k["requirement_gaps"], len(f.requirement_gaps), m["requirement_gaps"]],
    ])
    c = x.COLUMNS
    types = {key: dt_.label for key, dt_ in org.types.items()}
    processes = org.processes or {}
    v.tables = [
        Table("by_type", x.HEADINGS["by_type"], m["in_force"], (c["type"], c["count"]),
              [[types.get(key, key) or "–", n] for key, n in f.by_type.items()]),
        Table("by_unit", x.HEADINGS["by_unit"], m["in_force"], (c["unit"], c["count"]),
              [[org.unit_name(key) if key else "–", n] for key, n in f.by_unit.items()]),
        Table("overdue", x.HEADINGS["overdue"], m["overdue"], (c["id"], c["owner"], c["due"], c["days_past"]),
              [[_doc(d), org.role_title(d.owner), s.due, -(s.days_left or 0)] for d, s in f.overdue]),
        Table("unmoved", x.HEADINGS["unmoved"], m["unmoved"], (c["id"], c["owner"], c["last_reviewed"], c["due"]),
              [[_doc(d), org.role_title(d.owner), d.last_reviewed, s.due] for d, s in f.unmoved_reviews]),
        Table("drafts", x.HEADINGS["drafts"], m["drafts"].format(months=months, day=day),
              (c["id"], c["owner"], c["since"]),
              [[_doc(d), org.role_title(d.owner), draft_since(d)] for d in f.old_drafts]),
        Table("step_gaps", x.HEADINGS["step_gaps"], m["step_gaps"], (c["process"], c["step"]),
              [[processes[s.process].name if s.process in processes else s.process, s.name] for s in f.step_gaps]),
        Table("requirement_gaps", x.HEADINGS["requirement_gaps"], m["requirement_gaps"],
              (c["requirement"], c["source"]),
              [[f"{q.ref} {q.title}", q.source] for q in f.requirement_gaps]),
        Table("events_summary", x.HEADINGS["events_summary"], m["events_summary"], (c["event"], c["count"]),
              [[x.EVENT_LABELS[kind], n] for kind, n in event_counts(report.events).items()]),
        Table("events", x.HEADINGS["events"], m["events"],
              (c["date"], c["event"], c["document"], c["note"]),
              [[ev.date, x.EVENT_LABELS[ev.kind], _doc(ev.document), ev.note] for ev in report.events],
              x.NO_EVENTS, limit=EVENT_ROWS),
        Table("trend", x.HEADINGS["trend"], m["trend"],
              (c["month"], c["in_force"], c["overdue"], c["share"], c["gaps"]),
              [[p.day, p.in_force, p.overdue.count,
                "–" if p.overdue.percent is None else f"{p.overdue.percent} %", p.gaps] for p in report.trend],
              x.NO_TREND, chart="trend"),
    ]
    return v
