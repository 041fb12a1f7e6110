"""Result + git history -> the report's data (no formatting here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from .. import figures, githistory
from ..core import Result
from ..figures import Event, KeyFigures, TrendPoint
from ..review import add_months
from ..visibility import is_published

__all__ = ["Report", "build_report", "default_start"]


@dataclass
class Report:
    result: Result
    start: dt.date
    unit: str | None
    figures: KeyFigures
    events: list[Event]
    trend: list[TrendPoint]
    history_before_start: bool
    """Whether git held the handbook at the period's start (for added and repealed)."""

    @property
    def today(self) -> dt.date:
        return self.result.today


def default_start(today: dt.date) -> dt.date:
    """One year back."""
    return add_months(today, -12) or dt.date.min


def build_report(result: Result, start: dt.date | None = None, unit: str | None = None) -> Report:
    """The figures on result.today, the period's events and the month-end trend from git."""
    today = result.today
    start = start or default_start(today)
    org, config = result.org, result.config
    key = figures.key_figures(result.documents, result.states, org, today, unit)
    before_day = start - dt.timedelta(days=1) if start > dt.date.min else start
    days = [before_day, *githistory.month_ends(start, today)]
    snaps = githistory.snapshots(result.root, config.routines_dir, days, config.max_file_kb)
    if result.public:  # the public site counts only what was public then (handbok.visibility)
        snaps = [replace(s, documents=[d for d in s.documents if is_published(d)]) for s in snaps]
    before = snaps[0] if snaps and snaps[0].day == before_day else None
    trend = [figures.trend_point(s.documents, org, s.day, s.commit, unit, config.warn_days)
             for s in snaps if s is not before]
    previous = {d.id: d for d in before.documents if d.id} if before else None
    docs = figures.in_unit(result.documents, org, unit)
    seen: dict[tuple[str, str], dt.date] = {}
    for snap in snaps:
        if snap is before or snap.commit_day is None:
            continue
        for doc in snap.documents:
            if doc.id:
                seen.setdefault(("added", doc.id), snap.commit_day)
                if doc.status == "repealed":
                    seen.setdefault(("repealed", doc.id), snap.commit_day)
    events = figures.period_events(docs, start, today, previous, seen)
    return Report(result, start, unit, key, events, trend, before is not None)
