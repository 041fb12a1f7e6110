"""review.py and the status part of core: due dates, month ends, the warning window, each status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, TODAY, CopyFixture

from handbok.config import ConfigError, read_config
from handbok.core import Config, Result, check_handbook
from handbok.model import Document, Interval
from handbok.organisation import BUILTIN_TYPES, load_organisation
from handbok.review import DEFAULT_WARN_DAYS, add_months, due_date, review_state

D = dt.date


def doc(**fields: object) -> Document:
    base: dict[str, object] = {"path": "routines/x.md", "id": "X", "title": "X", "type": "rutin",
                               "owner": "o", "decided_by": "d"}
    base.update(fields)
    return Document(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2024, 8, 31), 6, D(2025, 2, 28)),
    (D(2023, 8, 31), 6, D(2024, 2, 29)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2024, 2, 29), 48, D(2028, 2, 29)),
    (D(2024, 2, 29), 24, D(2026, 2, 28)),
    (D(2025, 1, 31), 1, D(2025, 2, 28)),
    (D(2025, 3, 31), 1, D(2025, 4, 30)),
    (D(2025, 5, 31), 6, D(2025, 11, 30)),
    (D(2025, 10, 31), 2, D(2025, 12, 31)),
    (D(2025, 11, 15), 2, D(2026, 1, 15)),
    (D(2025, 12, 31), 12, D(2026, 12, 31)),
    (D(2025, 1, 1), 600, D(2075, 1, 1)),
])
def test_add_months_clamps_to_the_end_of_the_month(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


def test_review_date_wins_over_everything() -> None:
    d = doc(decision_date=D(2025, 1, 1), last_reviewed=D(2026, 6, 1), review_date=D(2025, 7, 1),
            review_interval=Interval(60))
    assert due_date(d, BUILTIN_TYPES) == D(2025, 7, 1)


def test_review_date_alone_is_enough() -> None:
    assert due_date(doc(review_date=D(2027, 1, 1)), BUILTIN_TYPES) == D(2027, 1, 1)


@pytest.mark.parametrize(("decision", "reviewed", "expected"), [
    (D(2025, 3, 1), None, D(2026, 3, 1)),
    (D(2025, 3, 1), D(2025, 10, 31), D(2026, 10, 31)),  # the later review counts
    (D(2025, 3, 1), D(2024, 1, 1), D(2026, 3, 1)),  # an earlier review does not
    (None, D(2025, 10, 31), D(2026, 10, 31)),
])
def test_later_of_last_reviewed_and_decision_date_plus_interval(
        decision: dt.date | None, reviewed: dt.date | None, expected: dt.date) -> None:
    assert due_date(doc(decision_date=decision, last_reviewed=reviewed), BUILTIN_TYPES) == expected


def test_own_interval_beats_the_type_default() -> None:
    d = doc(decision_date=D(2024, 8, 31), review_interval=Interval(6))
    assert due_date(d, BUILTIN_TYPES) == D(2025, 2, 28)


@pytest.mark.parametrize(("doc_type", "expected"), [
    ("policy", D(2029, 3, 1)),
    ("riktlinje", D(2027, 3, 1)),
    ("delegationsordning", D(2026, 3, 1)),
    ("processbeskrivning", D(2027, 3, 1)),
    ("rutin", D(2026, 3, 1)),
    ("instruktion", D(2026, 3, 1)),
    ("checklista", D(2026, 3, 1)),
    ("mall", D(2027, 3, 1)),
])
def test_type_default_intervals_of_product_3_3(doc_type: str, expected: dt.date) -> None:
    assert due_date(doc(type=doc_type, decision_date=D(2025, 3, 1)), BUILTIN_TYPES) == expected


@pytest.mark.parametrize("fields", [
    {},  # no dates at all
    {"last_reviewed": None, "decision_date": None, "review_interval": Interval(12)},
    {"type": "okand", "decision_date": D(2025, 3, 1)},  # no interval from anywhere
    {"type": None, "decision_date": D(2025, 3, 1)},
])
def test_no_due_date_is_unknown(fields: dict[str, object]) -> None:
    d = doc(**fields)
    assert due_date(d, BUILTIN_TYPES) is None
    state = review_state(d, BUILTIN_TYPES, TODAY)
    assert (state.status, state.due, state.days_left) == ("unknown", None, None)


def test_unknown_type_with_own_interval_has_a_due_date() -> None:
    d = doc(type="okand", decision_date=D(2025, 3, 1), review_interval=Interval(6))
    assert due_date(d, BUILTIN_TYPES) == D(2025, 9, 1)


@pytest.mark.parametrize(("due", "status", "days_left"), [
    (TODAY - dt.timedelta(days=1), "overdue", -1),  # yesterday
    (TODAY - dt.timedelta(days=400), "overdue", -400),
    (TODAY, "due-soon", 0),  # due today is not yet overdue
    (TODAY + dt.timedelta(days=1), "due-soon", 1),
    (TODAY + dt.timedelta(days=60), "due-soon", 60),  # the last day of the window
    (TODAY + dt.timedelta(days=61), "current", 61),
    (TODAY + dt.timedelta(days=3000), "current", 3000),
])
def test_status_boundaries_with_the_default_window(due: dt.date, status: str, days_left: int) -> None:
    assert DEFAULT_WARN_DAYS == 60
    state = review_state(doc(decision_date=D(2015, 1, 1), review_date=due), BUILTIN_TYPES, TODAY)
    assert (state.due, state.status, state.days_left) == (due, status, days_left)


@pytest.mark.parametrize("warn_days", [0, 1, 30, 90, 365])
def test_warn_window_is_configurable(warn_days: int) -> None:
    def status(offset: int) -> str:
        d = doc(decision_date=D(2015, 1, 1), review_date=TODAY + dt.timedelta(days=offset))
        return review_state(d, BUILTIN_TYPES, TODAY, warn_days).status

    assert status(warn_days) == "due-soon"
    assert status(warn_days + 1) == "current"
    assert status(0) == "due-soon"
    assert status(-1) == "overdue"


@pytest.mark.parametrize("status", ["draft", "repealed"])
def test_draft_and_repealed_are_never_overdue(status: str) -> None:
    d = doc(status=status, decision_date=D(2010, 1, 1))
    state = review_state(d, BUILTIN_TYPES, TODAY)
    assert state.status == status
    assert state.due == D(2011, 1, 1) and state.days_left is not None and state.days_left < 0


def test_draft_without_dates_is_draft_not_unknown() -> None:
    assert review_state(doc(status="draft"), BUILTIN_TYPES, TODAY).status == "draft"


def test_each_status_in_a_fixture_handbook(checked: Callable[[str], Result]) -> None:
    result = checked("faults")
    by_id = {d.id: result.state(d) for d in result.documents if d.id}
    assert by_id["F-OK"].status == "current"
    assert (by_id["F-SOON"].status, by_id["F-SOON"].due, by_id["F-SOON"].days_left) == (
        "due-soon", D(2026, 12, 15), 23)
    assert (by_id["F-OVERDUE"].status, by_id["F-OVERDUE"].due, by_id["F-OVERDUE"].days_left) == (
        "overdue", D(2016, 4, 20), -3868)
    assert by_id["F-DRAFT"].status == "draft"
    assert by_id["F-REPEALED"].status == "repealed"
    assert by_id["F-TYPE"].status == "unknown"  # an unknown type has no default interval
    assert by_id["F-MISSPELT"].status == "unknown"  # decison_date is not decision_date
    assert by_id["F-DATES"].status == "unknown"  # no date could be read
    summary = result.summary()
    assert sum(summary[s] for s in ("current", "due-soon", "overdue", "draft", "repealed", "unknown")) \
        == summary["documents"] == len(result.documents)


def test_config_warn_days_changes_statuses() -> None:
    root = FIXTURES / "review-gate"  # every document due 2026-12-01, 9 days after TODAY
    assert check_handbook(root, TODAY).summary()["due-soon"] == 3
    narrow = check_handbook(root, TODAY, Config(warn_days=8)).summary()
    assert (narrow["due-soon"], narrow["current"]) == (0, 3)
    assert check_handbook(root, TODAY, Config(warn_days=9)).summary()["due-soon"] == 3


def test_overdue_and_due_soon_findings_carry_the_due_date() -> None:
    result = check_handbook(FIXTURES / "review-gate", D(2026, 12, 2))
    overdue = [f for f in result.findings if f.code == "overdue"]
    assert [(f.severity, f.line, f.field) for f in overdue] == [("warning", 7, "review_date")] * 3
    assert all("2026-12-01" in f.message and "1 dagar sedan" in f.message for f in overdue)
    soon = [f for f in check_handbook(FIXTURES / "review-gate", D(2026, 12, 1)).findings]
    assert [(f.code, f.severity) for f in soon] == [("due-soon", "info")] * 3
    assert "i dag" in soon[0].message


def test_warn_days_from_mkdocs_yml() -> None:
    config, options = read_config(FIXTURES / "warn-days")
    assert config.warn_days == 30 and options == {"warn_days": 30}
    result = check_handbook(FIXTURES / "warn-days", TODAY, config)
    states = {d.id: result.state(d).status for d in result.documents}
    assert states == {"W-45": "current", "W-20": "due-soon"}
    default = check_handbook(FIXTURES / "warn-days", TODAY)
    assert {d.id: default.state(d).status for d in default.documents} == {"W-45": "due-soon", "W-20": "due-soon"}


def test_plugin_options_as_a_mapping_and_other_folders(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  search: {}\n  handbok:\n    warn_days: 7\n    routines_dir: rutiner\n"
        "    data_dir: underlag\n", encoding="utf-8")
    config, _ = read_config(tmp_path)
    assert config == Config(routines_dir="rutiner", data_dir="underlag", warn_days=7)


def test_no_mkdocs_yml_means_defaults(tmp_path: Path) -> None:
    assert read_config(tmp_path) == (Config(), {})


@pytest.mark.parametrize("text", [
    "site_name: [trasig\n",
    "- bara\n- en lista\n",
    "plugins:\n  - handbok:\n      warn_days: många\n",
])
def test_unreadable_mkdocs_yml_is_a_config_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_config(tmp_path)
    assert "mkdocs.yml" in str(caught.value)


def test_mkdocs_yml_in_cp1252_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_bytes("site_name: Socialtjänsten\n".encode("cp1252"))
    with pytest.raises(ConfigError):
        read_config(tmp_path)


def test_document_types_yml_overrides_the_default_interval() -> None:
    org, findings = load_organisation(FIXTURES / "type-overrides")
    assert findings == []
    assert org.types["rutin"].interval == Interval(6)
    assert org.types["rutin"].label == "Rutin"  # kept from the built-in type
    assert org.types["handlingsplan"].interval == Interval(36)
    assert org.types["policy"] == BUILTIN_TYPES["policy"]
    result = check_handbook(FIXTURES / "type-overrides", TODAY)
    due = {d.id: result.state(d).due for d in result.documents}
    assert due == {
        "T-RUTIN": D(2025, 2, 28),  # 2024-08-31 + 6 months (overridden default)
        "T-EGEN": D(2026, 8, 31),  # own review_interval still wins: + 2 years
        "T-PLAN": D(2027, 2, 28),  # a new type: 2024-02-29 + 3 years
        "T-POLICY": D(2028, 2, 29),  # untouched built-in: 2024-02-29 + 4 years
    }
    assert not [f for f in result.findings if f.code == "unknown-type"]


def test_bad_document_types_yml_is_a_finding(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("type-overrides")
    (root / "data/document-types.yml").write_text(
        "rutin:\n  review_interval: ibland\nnytt:\n  label: Nytt\n", encoding="utf-8")
    org, findings = load_organisation(root)
    assert [(f.code, f.path, f.line) for f in findings] == [
        ("invalid-value", "data/document-types.yml", 2),
        ("data-file", "data/document-types.yml", 3),
    ]
    assert org.types["rutin"].interval == Interval(12)  # the built-in default stays
    assert "nytt" not in org.types
