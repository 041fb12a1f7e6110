"""Every figure the tool shows, computed in one place.

The check summary (`Result.summary`), the exports, the macros, the overview pages
and the internal-control report all call these functions, so they cannot disagree.
Plain data in, plain data out: no I/O, `today` always passed in.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .model import STATUSES, Document, Finding, Organisation, Requirement, ReviewState, Step
from .review import DEFAULT_WARN_DAYS, add_months, review_state
from .validate import covered_steps

__all__ = [
    "DRAFT_MONTHS",
    "REVIEW_NOTE",
    "STEP_STATES",
    "Event",
    "KeyFigures",
    "Share",
    "TrendPoint",
    "draft_since",
    "event_counts",
    "in_force",
    "key_figures",
    "period_events",
    "requirement_gaps",
    "status_counts",
    "step_gaps",
    "step_states",
    "summary",
    "trend_point",
    "unit_of",
    "unit_scope",
    "unmoved_reviews",
]

DRAFT_MONTHS = 6
"""A draft older than this many months is listed in the report."""

REVIEW_NOTE = "granskad utan ändringar"
"""A history line starting so (what `handbok review` writes) records a review, not a revision."""


@dataclass(frozen=True)
class Share:
    """`count` of `total`, and the share in whole per cent (None when total is 0)."""

    count: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.total) if self.total else None


@dataclass(frozen=True)
class Event:
    date: dt.date
    kind: str  # decided | revised | reviewed | repealed | added
    document: Document
    note: str = ""


@dataclass
class KeyFigures:
    """The key figures of one handbook (or one unit of it) on one day."""

    today: dt.date
    documents: int
    statuses: dict[str, int]
    in_force: int
    by_type: dict[str, int]
    by_unit: dict[str, int]
    decision_record: Share
    reviewed_in_time: Share
    overdue: list[tuple[Document, ReviewState]]
    unmoved_reviews: list[tuple[Document, ReviewState]]
    old_drafts: list[Document]
    step_gaps: list[Step]
    requirement_gaps: list[Requirement]
    steps_total: int = 0
    requirements_total: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def gaps(self) -> int:
        return len(self.step_gaps) + len(self.requirement_gaps)


def unit_of(doc: Document, org: Organisation) -> str | None:
    """The document's unit, else its owner's unit."""
    if doc.unit:
        return doc.unit
    role = (org.roles or {}).get(doc.owner or "")
    return role.unit if role else None


def status_counts(states: Iterable[ReviewState]) -> dict[str, int]:
    """Documents per review status, every status present."""
    counts = Counter(s.status for s in states)
    return {status: counts.get(status, 0) for status in STATUSES}


def summary(documents: list[Document], states: Mapping[str, ReviewState], findings: list[Finding]) -> dict[str, int]:
    """The `summary` object of the JSON contract."""
    severities = Counter(f.severity for f in findings)
    out = {"documents": len(documents)}
    out.update(status_counts(states[d.path] for d in documents))
    out["errors"] = severities.get("error", 0)
    out["warnings"] = severities.get("warning", 0)
    return out


def in_force(documents: Iterable[Document]) -> list[Document]:
    """Documents in force: neither drafts nor repealed."""
    return [d for d in documents if d.status == "active"]


def unit_scope(org: Organisation, unit: str) -> set[str]:
    """The unit and all its sub-units."""
    units = org.units or {}
    scope = {unit}
    changed = True
    while changed:
        changed = False
        for key, u in units.items():
            if u.parent in scope and key not in scope:
                scope.add(key)
                changed = True
    return scope


def in_unit(documents: Iterable[Document], org: Organisation, unit: str | None) -> list[Document]:
    """The documents of `unit` and its sub-units (all when unit is None)."""
    if unit is None:
        return list(documents)
    scope = unit_scope(org, unit)
    return [d for d in documents if unit_of(d, org) in scope]


def has_decision_record(doc: Document) -> bool:
    return bool(doc.decided_by and doc.decision_date and doc.decision_ref)


def unmoved_reviews(documents: Iterable[Document], states: Mapping[str, ReviewState]) -> list[tuple[Document, ReviewState]]:
    """Documents in force whose last review did not move the due date past the review."""
    out = []
    for doc in documents:
        state = states[doc.path]
        if doc.status == "active" and doc.last_reviewed and state.due and state.due <= doc.last_reviewed:
            out.append((doc, state))
    return sorted(out, key=lambda p: (p[1].due or dt.date.min, p[0].id or ""))


def step_gaps(documents: list[Document], org: Organisation) -> list[Step]:
    """Process steps that no document in force names."""
    steps = {(s.process, s.key): s for p in (org.processes or {}).values() for s in p.steps}
    return [steps[key] for key, docs in covered_steps(documents, org).items()
            if not any(d.status == "active" for d in docs)]


STEP_STATES = ("gap", "overdue", "due-soon", "unknown", "current")
"""A process step's state, worst first: `gap` (no document in force names it), else the
worst review status of the documents in force that name it."""


def step_states(documents: list[Document], states: Mapping[str, ReviewState],
                org: Organisation) -> dict[tuple[str, str], str]:
    """(process, step) -> the step's state (STEP_STATES), every step present: the gaps are
    `step_gaps`, the other steps take the worst status of their documents in force."""
    gaps = {(s.process, s.key) for s in step_gaps(documents, org)}
    out: dict[tuple[str, str], str] = {}
    for key, docs in covered_steps(documents, org).items():
        found = {states[d.path].status for d in docs if d.status == "active"}
        out[key] = "gap" if key in gaps else next((s for s in STEP_STATES[1:] if s in found), "unknown")
    return out


def requirement_gaps(documents: Iterable[Document], org: Organisation) -> list[Requirement]:
    """Requirements that no document in force names."""
    met = {ref for d in documents if d.status == "active" for ref in d.requirements}
    return [req for key, req in (org.requirements or {}).items() if key not in met]


def key_figures(documents: list[Document], states: Mapping[str, ReviewState], org: Organisation,
                today: dt.date, unit: str | None = None, draft_months: int = DRAFT_MONTHS) -> KeyFigures:
    """The report's key figures for the whole handbook or one unit with its sub-units.

    Gaps in processes and requirements are the handbook's whole: a step is covered by
    whichever unit's document names it."""
    docs = in_unit(documents, org, unit)
    force = in_force(docs)
    by_type = Counter(d.type or "" for d in force)
    by_unit = Counter(unit_of(d, org) or "" for d in force)
    dated = [d for d in force if states[d.path].due is not None]
    in_time = [d for d in dated if states[d.path].status != "overdue"]
    overdue = sorted(((d, states[d.path]) for d in force if states[d.path].status == "overdue"),
                     key=lambda p: (p[1].days_left or 0, p[0].id or ""))
    limit = add_months(today, -draft_months) or dt.date.min
    drafts = sorted((d for d in docs if d.status == "draft" and draft_since(d) is not None
                     and draft_since(d) <= limit),  # type: ignore[operator]
                    key=lambda d: (draft_since(d) or dt.date.min, d.id or ""))
    steps = sum(len(p.steps) for p in (org.processes or {}).values())
    return KeyFigures(
        today=today,
        documents=len(docs),
        statuses=status_counts(states[d.path] for d in docs),
        in_force=len(force),
        by_type=dict(sorted(by_type.items())),
        by_unit=dict(sorted(by_unit.items())),
        decision_record=Share(sum(1 for d in force if has_decision_record(d)), len(force)),
        reviewed_in_time=Share(len(in_time), len(dated)),
        overdue=overdue,
        unmoved_reviews=unmoved_reviews(force, states),
        old_drafts=drafts,
        step_gaps=step_gaps(documents, org),
        requirement_gaps=requirement_gaps(documents, org),
        steps_total=steps,
        requirements_total=len(org.requirements or {}),
    )


def draft_since(doc: Document) -> dt.date | None:
    """The draft's earliest known date: its first history line, else its decision date."""
    dates = [h.date for h in doc.history if h.date] + ([doc.decision_date] if doc.decision_date else [])
    return min(dates) if dates else None


def period_events(documents: Iterable[Document], start: dt.date, end: dt.date,
                  before: Mapping[str, Document] | None = None,
                  seen: Mapping[tuple[str, str], dt.date] | None = None) -> list[Event]:
    """What happened between `start` and `end` (inclusive), newest first.

    From each document's own dates and history; with `before` (id -> the document as
    it was at the period's start, from git) also what was added and repealed, dated by
    `seen` (("added" or "repealed", id) -> the day of the commit that did it)."""
    seen = seen or {}
    events: list[Event] = []
    for doc in documents:
        if doc.decision_date and start <= doc.decision_date <= end:
            events.append(Event(doc.decision_date, "decided", doc, doc.decision_ref or ""))
        reviewed: set[dt.date] = set()
        for entry in doc.history:
            if entry.date is None or not start <= entry.date <= end:
                continue
            if entry.note.strip().lower().startswith(REVIEW_NOTE):
                reviewed.add(entry.date)
            elif entry.date != doc.decision_date:
                events.append(Event(entry.date, "revised", doc, entry.note))
        if doc.last_reviewed and start <= doc.last_reviewed <= end:
            reviewed.add(doc.last_reviewed)
        events.extend(Event(day, "reviewed", doc) for day in sorted(reviewed))
        if before is not None and doc.id:
            old = before.get(doc.id)
            if old is None and doc.status != "repealed":
                events.append(Event(seen.get(("added", doc.id)) or _added_on(doc, start, end), "added", doc))
            elif old is not None and old.status != "repealed" and doc.status == "repealed":
                day = getattr(doc, "repealed_date", None)
                day = day if day and start <= day <= end else seen.get(("repealed", doc.id))
                events.append(Event(day or _latest(doc, start, end), "repealed", doc))
    events.sort(key=lambda ev: (ev.date, ev.kind, ev.document.id or ""), reverse=True)
    return events


def _added_on(doc: Document, start: dt.date, end: dt.date) -> dt.date:
    dates = [d for d in [doc.decision_date, *(h.date for h in doc.history)] if d and start <= d <= end]
    return min(dates) if dates else end


def _latest(doc: Document, start: dt.date, end: dt.date) -> dt.date:
    dates = [d for d in [doc.decision_date, *(h.date for h in doc.history)] if d and start <= d <= end]
    return max(dates) if dates else end


@dataclass(frozen=True)
class TrendPoint:
    """The handbook on one day of the trend (a month's end), as git held it."""

    day: dt.date
    commit: str
    in_force: int
    overdue: Share
    gaps: int


def trend_point(documents: list[Document], org: Organisation, day: dt.date, commit: str,
                unit: str | None = None, warn_days: int = DEFAULT_WARN_DAYS) -> TrendPoint:
    """Overdue share and gaps of the documents as they were on `day`, with today's
    organisation, processes, requirements and document types."""
    docs = in_unit(documents, org, unit)
    force = in_force(docs)
    overdue = sum(1 for d in force if review_state(d, org.types, day, warn_days).status == "overdue")
    gaps = len(step_gaps(documents, org)) + len(requirement_gaps(documents, org))
    return TrendPoint(day, commit, len(force), Share(overdue, len(force)), gaps)


EVENT_KINDS = ("decided", "revised", "reviewed", "added", "repealed")


def event_counts(events: Iterable[Event]) -> dict[str, int]:
    """Events per kind, every kind present, in EVENT_KINDS order."""
    counts = Counter(ev.kind for ev in events)
    return {kind: counts.get(kind, 0) for kind in EVENT_KINDS}
