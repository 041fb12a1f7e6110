"""Due dates and review status of a document on a given day."""

from __future__ import annotations

import calendar
import datetime as dt

from .model import DocType, Document, Interval, ReviewState

__all__ = ["DEFAULT_WARN_DAYS", "add_months", "due_date", "due_out_of_range", "review_state"]

DEFAULT_WARN_DAYS = 60


def add_months(date: dt.date, months: int) -> dt.date | None:
    """`date` plus `months`, clamped to the month's end: 2024-08-31 + 6 = 2025-02-28.

    None when the result falls outside the calendar (before year 1 or after 9999)."""
    index = date.year * 12 + (date.month - 1) + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    month += 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def interval_of(doc: Document, types: dict[str, DocType]) -> Interval | None:
    """The document's own interval, else its type's default."""
    if doc.review_interval is not None:
        return doc.review_interval
    doc_type = types.get(doc.type or "")
    return doc_type.interval if doc_type else None


def due_date(doc: Document, types: dict[str, DocType]) -> dt.date | None:
    """`review_date` if given, else the later of `last_reviewed` and
    `decision_date` plus the interval; None when it cannot be computed."""
    if doc.review_date is not None:
        return doc.review_date
    bases = [d for d in (doc.last_reviewed, doc.decision_date) if d is not None]
    interval = interval_of(doc, types)
    if not bases or interval is None:
        return None
    return add_months(max(bases), interval.months)


def due_out_of_range(doc: Document, types: dict[str, DocType]) -> str | None:
    """The key of the date whose due date would fall outside the calendar (after
    9999-12-31), e.g. `decision_date: 9999-12-31`; None when there is no such date."""
    if doc.review_date is not None:
        return None
    interval = interval_of(doc, types)
    if interval is None:
        return None
    bases = {key: date for key in ("last_reviewed", "decision_date")
             if (date := getattr(doc, key)) is not None}
    if not bases:
        return None
    key = max(bases, key=lambda k: bases[k])  # the later date counts, as in due_date
    return key if add_months(bases[key], interval.months) is None else None


def review_state(
    doc: Document,
    types: dict[str, DocType],
    today: dt.date,
    warn_days: int = DEFAULT_WARN_DAYS,
) -> ReviewState:
    """The document's status on `today` (see PRODUCT.md 3.2)."""
    due = due_date(doc, types)
    days_left = (due - today).days if due is not None else None
    if doc.status == "draft":
        return ReviewState(due, "draft", days_left)
    if doc.status == "repealed":
        return ReviewState(due, "repealed", days_left)
    if due is None or days_left is None:
        return ReviewState(None, "unknown", None)
    if days_left < 0:
        return ReviewState(due, "overdue", days_left)
    if days_left <= warn_days:
        return ReviewState(due, "due-soon", days_left)
    return ReviewState(due, "current", days_left)
