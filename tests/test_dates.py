"""Due dates and statuses (PRODUCT.md 3.2): month ends, leap years, boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from handbok.load import parse_interval
from handbok.model import Document, Interval
from handbok.organisation import BUILTIN_TYPES
from handbok.review import add_months, due_date, review_state

D = dt.date


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2024, 8, 31), 6, D(2025, 2, 28)),
    (D(2023, 8, 31), 6, D(2024, 2, 29)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2024, 2, 29), 48, D(2028, 2, 29)),
    (D(2025, 1, 31), 1, D(2025, 2, 28)),
    (D(2025, 3, 31), 1, D(2025, 4, 30)),
    (D(2025, 11, 30), 2, D(2026, 1, 30)),
    (D(2025, 12, 15), 12, D(2026, 12, 15)),
])
def test_add_months_clamps_to_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


def doc(**fields: object) -> Document:
    return Document(path="routines/x.md", id="X", title="X", type="rutin", owner="o", decided_by="d", **fields)


def test_review_date_wins() -> None:
    d = doc(decision_date=D(2026, 1, 1), last_reviewed=D(2026, 5, 1), review_date=D(2026, 3, 1))
    assert due_date(d, BUILTIN_TYPES) == D(2026, 3, 1)


def test_later_of_last_reviewed_and_decision_plus_type_interval() -> None:
    assert due_date(doc(decision_date=D(2025, 3, 1)), BUILTIN_TYPES) == D(2026, 3, 1)
    d = doc(decision_date=D(2025, 3, 1), last_reviewed=D(2025, 10, 31))
    assert due_date(d, BUILTIN_TYPES) == D(2026, 10, 31)
    d = doc(decision_date=D(2025, 3, 1), last_reviewed=D(2024, 1, 1))  # earlier review does not count
    assert due_date(d, BUILTIN_TYPES) == D(2026, 3, 1)


def test_own_interval_and_type_default() -> None:
    d = doc(decision_date=D(2024, 8, 31), review_interval=Interval(6))
    assert due_date(d, BUILTIN_TYPES) == D(2025, 2, 28)
    policy = doc(decision_date=D(2024, 2, 29))
    policy.type = "policy"
    assert due_date(policy, BUILTIN_TYPES) == D(2028, 2, 29)


def test_unknown_without_dates_or_type() -> None:
    assert review_state(doc(), BUILTIN_TYPES, D(2026, 11, 22)).status == "unknown"
    odd = doc(decision_date=D(2026, 1, 1))
    odd.type = "okand"
    state = review_state(odd, BUILTIN_TYPES, D(2026, 11, 22))
    assert (state.status, state.due, state.days_left) == ("unknown", None, None)


TODAY = D(2026, 11, 22)


@pytest.mark.parametrize(("due", "status", "days"), [
    (D(2026, 11, 21), "overdue", -1),
    (D(2026, 11, 22), "due-soon", 0),
    (D(2027, 1, 21), "due-soon", 60),
    (D(2027, 1, 22), "current", 61),
    (D(2016, 4, 20), "overdue", -3868),
])
def test_status_boundaries(due: dt.date, status: str, days: int) -> None:
    state = review_state(doc(decision_date=D(2015, 1, 1), review_date=due), BUILTIN_TYPES, TODAY)
    assert (state.status, state.days_left) == (status, days)


def test_warn_window_is_configurable() -> None:
    d = doc(decision_date=D(2015, 1, 1), review_date=D(2027, 1, 22))
    assert review_state(d, BUILTIN_TYPES, TODAY, warn_days=61).status == "due-soon"
    assert review_state(d, BUILTIN_TYPES, TODAY, warn_days=0).status == "current"


@pytest.mark.parametrize("status", ["draft", "repealed"])
def test_draft_and_repealed_are_never_overdue(status: str) -> None:
    d = doc(decision_date=D(2010, 1, 1), status=status)
    assert review_state(d, BUILTIN_TYPES, TODAY).status == status


@pytest.mark.parametrize(("text", "months"), [
    ("6 months", 6), ("1 month", 1), ("1 year", 12), ("2 years", 24), ("18 months", 18),
    ("6 månader", 6), ("2 år", 24), (" 12 Months ", 12),
])
def test_parse_interval(text: str, months: int) -> None:
    assert parse_interval(text) == Interval(months)


@pytest.mark.parametrize("text", ["12", "ett år", "0 months", "-1 year", "1 week", "", "2 years ago"])
def test_parse_interval_rejects(text: str) -> None:
    assert parse_interval(text) is None
