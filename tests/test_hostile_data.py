"""Hostile metadata: dates at the calendar's ends, huge values, supersession rings and
case-colliding ids, a unit that is its own ancestor.

Each class is a small fixture handbook, run through `check` in every format and through
a real `mkdocs build` (bounded in time and memory): no traceback, the right finding, the
other documents still checked and built, no file changed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import FIXTURES, CopyFixture, run_handbok
from hypothesis import given, settings
from hypothesis import strategies as st

from handbok.core import Result, check_handbook
from handbok.load import MAX_HISTORY, MAX_HISTORY_NOTE, MAX_LIST_ITEMS, MAX_TITLE, load_document
from handbok.model import Document, Finding, Interval
from handbok.organisation import BUILTIN_TYPES, load_organisation
from handbok.pages import overview
from handbok.review import add_months, due_date, review_state

FORMATS = ("text", "json", "github", "junit")
MKDOCS = Path(sys.executable).with_name("mkdocs")
MEMORY_LIMIT = 1024 * 2**20  # address space of a build: a 10 MB title must not need more
BUILD_TIMEOUT = 300
CALENDAR_ENDS = ("9999-12-31", "0001-01-01")

# fixture -> a finding each must produce: (path, code, severity, line, field)
EXPECTED: dict[str, tuple[str, str, str, int, str | None]] = {
    "far-dates": ("routines/far-decision.md", "invalid-date", "error", 7, "decision_date"),
    "long-values": ("routines/long-title.md", "value-too-long", "error", 3, "title"),
    "supersession": ("routines/ring-a.md", "supersede-cycle", "error", 9, "superseded_by"),
    "id-case": ("routines/upper.md", "id-case-collision", "error", 2, "id"),
    "unit-cycle": ("data/organisation.yml", "data-file", "error", 4, None),
}
HOSTILE = tuple(EXPECTED)


def found(result: Result, path: str, code: str) -> list[Finding]:
    return [f for f in result.findings if f.path == path and f.code == code]


def by_path(result: Result, path: str) -> Document:
    return next(d for d in result.documents if d.path == path)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file but the check's cache (`.cache/`, the one place it may write)."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and p.relative_to(root).parts[0] != ".cache"}


def routine_pages(root: Path) -> list[str]:
    """The site folder of every routine: routines/a/b.md -> routines/a/b."""
    return sorted(p.relative_to(root).with_suffix("").as_posix() for p in (root / "routines").rglob("*.md"))


# --- dates at the calendar's ends -----------------------------------------------------------


@pytest.mark.parametrize(("start", "months", "expected"), [
    (dt.date(9999, 12, 31), 1, None),
    (dt.date(9999, 12, 1), 12, None),
    (dt.date(9999, 1, 31), 11, dt.date(9999, 12, 31)),
    (dt.date(9999, 12, 31), 0, dt.date(9999, 12, 31)),
    (dt.date(9960, 5, 31), 600, None),
    (dt.date(1, 1, 1), -1, None),
    (dt.date(1, 3, 31), -1, dt.date(1, 2, 28)),
    (dt.date(2025, 1, 1), 10**12, None),
])
def test_add_months_is_none_outside_the_calendar(start: dt.date, months: int, expected: dt.date | None) -> None:
    assert add_months(start, months) == expected


@settings(max_examples=300, deadline=None)
@given(st.dates(), st.dates(), st.integers(-130_000, 130_000), st.dates(), st.integers(0, 3650))
def test_no_date_interval_or_today_raises(decision: dt.date, reviewed: dt.date, months: int,
                                          today: dt.date, warn_days: int) -> None:
    end = add_months(decision, months)
    if end is not None:
        assert (end.year * 12 + end.month) - (decision.year * 12 + decision.month) == months
    else:
        assert not 1 <= decision.year + (decision.month - 1 + months) // 12 <= 9999
    doc = Document(path="routines/x.md", type="rutin", decision_date=decision, last_reviewed=reviewed,
                   review_interval=Interval(abs(months)) if months else None)
    state = review_state(doc, BUILTIN_TYPES, today, warn_days)
    assert state.due == due_date(doc, BUILTIN_TYPES)
    assert (state.status == "unknown") == (state.due is None)


def test_far_dates_are_invalid_date_on_the_field_that_causes_them(checked: Callable[[str], Result]) -> None:
    result = checked("far-dates")
    expected = {
        "routines/far-decision.md": (7, "decision_date"),
        "routines/far-interval.md": (7, "decision_date"),  # 9960-05-31 + 50 years
        "routines/far-reviewed.md": (8, "last_reviewed"),
        "routines/far-draft.md": (7, "decision_date"),
    }
    for path, (line, key) in expected.items():
        [finding] = found(result, path, "invalid-date")
        assert (finding.severity, finding.line, finding.field) == ("error", line, key)
        assert "9999" in finding.message and "t.ex." in finding.message
        assert result.state(by_path(result, path)).due is None
    assert result.state(by_path(result, "routines/far-decision.md")).status == "unknown"
    assert result.state(by_path(result, "routines/far-draft.md")).status == "draft"
    # The others are still checked, and an explicit review_date at the end is no fault.
    assert result.state(by_path(result, "routines/normal.md")).status == "current"
    assert result.state(by_path(result, "routines/far-review-date.md")).due == dt.date(9999, 12, 31)
    assert not found(result, "routines/far-review-date.md", "invalid-date")
    assert result.state(by_path(result, "routines/first-day.md")).due == dt.date(2, 1, 1)
    assert len(result.states) == len(result.documents) == 7


@pytest.mark.parametrize("today", [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(9999, 6, 15)])
def test_review_plan_stops_at_the_calendar_end(today: dt.date) -> None:
    result = check_handbook(FIXTURES / "far-dates", today)
    html = overview.review_plan(result, lambda d: d.path)
    months = html.count("<h3 ")
    assert months == min(12, (9999 - today.year) * 12 + 13 - today.month)
    assert "Kommande revisioner" in html and "Okänt revisionsdatum" in html
    if today.year == 9999:
        assert 'id="m-9999-12"' in html and "Revideras vid kalenderns slut" in html


@pytest.mark.parametrize("today", CALENDAR_ENDS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_check_at_the_calendar_ends_in_every_format(copy_fixture: CopyFixture, fmt: str, today: str) -> None:
    root = copy_fixture("far-dates")
    before = snapshot(root)
    run = run_handbok("check", root, "--today", today, "--format", fmt)
    assert run.returncode == 1, run.stderr  # the invalid dates are errors
    assert_parses(run.stdout, fmt, "routines/far-decision.md", "invalid-date")
    if fmt == "json":
        data = json.loads(run.stdout)
        assert data["today"] == today and data["summary"]["documents"] == 7
    env_run = run_handbok("check", root, "--format", fmt, env={"HANDBOK_TODAY": today})
    assert env_run.stdout == run.stdout
    assert snapshot(root) == before


# --- length limits ----------------------------------------------------------------------------


def test_values_past_their_limit_are_findings_and_kept_sane(checked: Callable[[str], Result]) -> None:
    result = checked("long-values")
    too_long = {(f.path, f.line, f.field) for f in result.findings if f.code == "value-too-long"}
    assert too_long == {
        ("routines/long-id.md", 2, "id"),
        ("routines/long-title.md", 3, "title"),
        ("routines/long-lists.md", 4, "tags"),
        ("routines/long-lists.md", 7, "legal_refs"),
        ("routines/long-history.md", 4, "history"),
        ("routines/long-history.md", 5, "history"),
        ("routines/long-owner.md", 4, "owner"),
        ("routines/long-date.md", 4, "decision_date"),
    }
    assert all(f.severity == "error" for f in result.findings if f.code == "value-too-long")
    [title] = found(result, "routines/long-title.md", "value-too-long")
    assert "305" in title.message and "300" in title.message
    # Cut: the title and history notes. Not kept: everything else.
    long_title = by_path(result, "routines/long-title.md").title or ""
    assert long_title.startswith("Lång titel Lång titel") and len(long_title) <= MAX_TITLE
    assert by_path(result, "routines/long-id.md").id is None
    assert by_path(result, "routines/long-owner.md").owner is None
    assert by_path(result, "routines/long-date.md").decision_date is None
    lists = by_path(result, "routines/long-lists.md")
    assert len(lists.tags) == MAX_LIST_ITEMS and lists.legal_refs == ["SoL 4 kap. 1 §"]
    history = by_path(result, "routines/long-history.md").history
    assert len(history) == MAX_HISTORY and len(history[0].note) <= MAX_HISTORY_NOTE
    # A value that is not kept is not also reported as missing or unknown, nor repeated.
    for path in ("routines/long-id.md", "routines/long-owner.md", "routines/long-date.md"):
        codes = {f.code for f in result.findings if f.path == path}
        assert not codes & {"missing-field", "unknown-owner", "invalid-date"}, codes
    assert max(len(f.message) for f in result.findings) < 600
    assert result.state(by_path(result, "routines/normal.md")).status == "current"


def huge_title_file(root: Path, size: int) -> str:
    """A routine whose title is `size` characters of words; returns its path."""
    title = ("ord " * (size // 4)).strip()
    (root / "routines/huge.md").write_text(
        f"---\nid: L-099\ntitle: {title}\ntype: rutin\nowner: enhetschef-ame\n"
        "decided_by: forvaltningschef\ndecision_date: 2026-06-01\n---\n\n# Stor titel\n", encoding="utf-8")
    return "routines/huge.md"


def test_a_title_of_900_kb_is_value_too_long() -> None:
    data = ("---\nid: L-098\ntitle: " + "å" * 450_000 + "\ntype: rutin\n---\n").encode()
    doc, findings = load_document("routines/big.md", data)
    [finding] = [f for f in findings if f.code == "value-too-long"]
    assert (finding.line, finding.field, finding.document) == (3, "title", "L-098")
    assert "450000" in finding.message and len(finding.message) < 300
    assert doc.title is not None and len(doc.title) <= MAX_TITLE


def test_a_10_mb_title_stays_out_of_the_check(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("long-values")
    path = huge_title_file(root, 10_000_000)
    before = snapshot(root)
    run = run_handbok("check", root, "--today", "2026-11-22", "--format", "json")
    data = json.loads(run.stdout)
    assert len(run.stdout) < 200_000
    assert any(f["path"] == path and f["severity"] == "error" for f in data["findings"])
    assert {d["path"] for d in data["documents"]} >= {"routines/normal.md", "routines/long-title.md"}
    assert snapshot(root) == before


# --- supersession and ids -------------------------------------------------------------------


def test_supersession_faults(checked: Callable[[str], Result]) -> None:
    result = checked("supersession")
    rules = {(f.path, f.code, f.severity, f.line, f.field) for f in result.findings
             if f.code in ("supersede-cycle", "successor-draft", "superseded-but-active")}
    assert rules == {
        ("routines/ring-a.md", "supersede-cycle", "error", 9, "superseded_by"),
        ("routines/ring-b.md", "supersede-cycle", "error", 9, "superseded_by"),
        ("routines/ring3-a.md", "supersede-cycle", "error", 8, "superseded_by"),
        ("routines/ring3-b.md", "supersede-cycle", "error", 2, "id"),  # named only by the others
        ("routines/ring3-c.md", "supersede-cycle", "error", 9, "superseded_by"),
        ("routines/old-to-draft.md", "successor-draft", "warning", 9, "superseded_by"),
        ("routines/still-active.md", "superseded-but-active", "warning", 9, "superseded_by"),
        ("routines/forgotten.md", "superseded-but-active", "warning", 2, "id"),
    }
    [ring] = found(result, "routines/ring3-a.md", "supersede-cycle")
    assert "S-020 → S-021 → S-022 → S-020" in ring.message
    [active] = found(result, "routines/still-active.md", "superseded-but-active")
    assert "S-051" in active.message and "status: repealed" in active.message
    [draft] = found(result, "routines/old-to-draft.md", "successor-draft")
    assert "S-031" in draft.message
    # A draft preparing to replace a document in force, and a proper pair, are no fault.
    for path in ("routines/in-force.md", "routines/draft-in-progress.md", "routines/repealed-old.md",
                 "routines/proper-successor.md", "routines/normal.md", "routines/replacement.md"):
        assert not [f for f in result.findings if f.path == path and f.severity != "info"], path
    assert len(result.states) == 16


def test_ids_differing_only_in_case_collide(checked: Callable[[str], Result]) -> None:
    result = checked("id-case")
    [upper] = found(result, "routines/upper.md", "id-case-collision")
    [lower] = found(result, "routines/lower.md", "id-case-collision")
    assert (upper.severity, upper.line, upper.field, upper.document) == ("error", 2, "id", "EB-RUT-1")
    assert "eb-rut-1" in upper.message and "routines/lower.md" in upper.message
    assert "EB-RUT-1" in lower.message and "routines/upper.md" in lower.message
    # Exact duplicates stay duplicate-id, and are not also a case collision.
    assert {f.path for f in result.findings if f.code == "duplicate-id"} == {
        "routines/same-a.md", "routines/same-b.md"}
    assert {f.path for f in result.findings if f.code == "id-case-collision"} == {
        "routines/upper.md", "routines/lower.md"}
    assert not [f for f in result.findings if f.path == "routines/normal.md"]


# --- a unit that is its own ancestor ----------------------------------------------------------


def test_a_unit_that_is_its_own_ancestor_is_cut() -> None:
    org, findings = load_organisation(FIXTURES / "unit-cycle")
    cycles = sorted((f.line, f.severity, f.code) for f in findings if "under sig själv" in f.message)
    assert cycles == [(4, "error", "data-file"), (7, "error", "data-file")]
    units = org.units or {}
    for key in units:  # every walk up ends
        seen: set[str] = set()
        while key is not None and key in units:
            assert key not in seen
            seen.add(key)
            key = units[key].parent
    assert units["forsorjningsstod"].parent == "ame" and units["ame"].parent is None
    assert units["egen"].parent is None and units["under-ringen"].parent == "ame"


# --- every class through every format ---------------------------------------------------------


def assert_parses(out: str, fmt: str, path: str, code: str) -> None:
    """The output is whole in its format and carries the finding."""
    assert out.strip()
    if fmt == "json":
        data = json.loads(out)
        assert any(f["path"] == path and f["code"] == code for f in data["findings"])
    elif fmt == "junit":
        tree = ET.fromstring(out)
        assert path in ET.tostring(tree, encoding="unicode") and code in out
    elif fmt == "github":
        assert any(line.startswith("::") and f"file={path}" in line and code in line
                   for line in out.splitlines())
    else:
        assert path in out and f"[{code}]" in out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("fixture", HOSTILE)
def test_every_class_in_every_format(copy_fixture: CopyFixture, fixture: str, fmt: str) -> None:
    root = copy_fixture(fixture)
    before = snapshot(root)
    run = run_handbok("check", root, "--today", "2026-11-22", "--format", fmt)
    assert run.returncode == 1, run.stderr
    path, code, *_ = EXPECTED[fixture]
    assert_parses(run.stdout, fmt, path, code)
    if fmt == "json":  # every document is still checked
        documents = {d["path"] for d in json.loads(run.stdout)["documents"]}
        assert documents == {f"{p}.md" for p in routine_pages(root)}
    assert snapshot(root) == before


@pytest.mark.parametrize("fixture", HOSTILE)
def test_expected_finding_in_the_core(checked: Callable[[str], Result], fixture: str) -> None:
    path, code, severity, line, field = EXPECTED[fixture]
    assert any((f.severity, f.line, f.field) == (severity, line, field) for f in found(checked(fixture), path, code))


# --- real builds ------------------------------------------------------------------------------


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def build(root: Path, today: str = "2026-11-22") -> tuple[subprocess.CompletedProcess[str], Path]:
    """`mkdocs build` of the handbook at root, bounded in time and address space."""
    site = root.parent / f"{root.name}-site"
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY")}
    env.update({"HANDBOK_TODAY": today, "NO_MKDOCS_2_WARNING": "1"})
    run = subprocess.run([str(MKDOCS), "build", "-d", str(site)], cwd=root, env=env, capture_output=True,
                         text=True, timeout=BUILD_TIMEOUT, preexec_fn=_limit_memory)
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.returncode == 0, run.stderr[-3000:]
    return run, site


def assert_every_routine_built(root: Path, site: Path) -> None:
    for page in routine_pages(root):
        assert (site / page / "index.html").is_file(), page


@pytest.mark.site
@pytest.mark.parametrize("fixture", HOSTILE)
def test_every_class_builds(tmp_path: Path, fixture: str) -> None:
    root = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, root)
    before = snapshot(root)
    _, site = build(root)
    assert_every_routine_built(root, site)
    data = json.loads((site / "handbok.json").read_text(encoding="utf-8"))
    path, code, *_ = EXPECTED[fixture]
    assert any(f["path"] == path and f["code"] == code for f in data["findings"])
    assert (site / "oversikt/revisionsplan/index.html").is_file()
    assert snapshot(root) == before


@pytest.mark.site
@pytest.mark.parametrize("today", CALENDAR_ENDS)
def test_builds_at_the_calendar_ends(tmp_path: Path, today: str) -> None:
    root = tmp_path / "far-dates"
    shutil.copytree(FIXTURES / "far-dates", root)
    _, site = build(root, today)
    assert_every_routine_built(root, site)
    plan = (site / "oversikt/revisionsplan/index.html").read_text(encoding="utf-8")
    assert ('id="m-9999-12"' in plan) == (today == "9999-12-31")
    assert json.loads((site / "handbok.json").read_text(encoding="utf-8"))["today"] == today


@pytest.mark.site
def test_a_10_mb_title_never_reaches_the_site(tmp_path: Path) -> None:
    root = tmp_path / "long-values"
    shutil.copytree(FIXTURES / "long-values", root)
    huge_title_file(root, 10_000_000)
    _, site = build(root)
    assert_every_routine_built(root, site)
    files = [p for p in site.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 20 * 2**20
    run_of_words = "ord " * 400  # longer than any title may be
    for p in files:
        if p.suffix in (".html", ".json", ".csv"):
            assert run_of_words not in p.read_text(encoding="utf-8", errors="replace"), p
