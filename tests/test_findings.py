"""Each finding code of PRODUCT.md §4, from a fixture handbook with one fault per file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handbok.core import check_handbook, failing
from handbok.model import Finding

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return check_handbook(FIXTURES / "findings", TODAY).findings


def only(findings: list[Finding], path: str, code: str) -> Finding:
    found = [f for f in findings if f.path == f"routines/{path}" and f.code == code]
    assert len(found) == 1, [f for f in findings if f.path == f"routines/{path}"]
    return found[0]


# file, code, severity, line, field (None: not checked), words the message must contain
CASES = [
    ("yaml-syntax.md", "yaml-syntax", "error", 5, None, "inte avslutad"),
    ("missing-front-matter.md", "missing-front-matter", "error", 1, None, "---"),
    ("unclosed.md", "missing-front-matter", "error", 1, None, "avslutas aldrig"),
    ("missing-field.md", "missing-field", "error", 1, "decision_date", "2025-03-01"),
    ("invalid-date.md", "invalid-date", "error", 7, "decision_date", "2023-02-30"),
    ("invalid-value.md", "invalid-value", "error", 5, "status", "active"),
    ("unknown-key.md", "unknown-key", "warning", 8, "decison_ref", "menade du decision_ref"),
    ("typer/unknown-type.md", "unknown-type", "error", 4, "type", "menade du rutin"),
    ("unknown-owner.md", "unknown-owner", "error", 5, "owner", "socialnamnden"),
    ("unknown-reference.md", "unknown-reference", "error", 8, "related", "F-finns-inte"),
    ("review-before-decision.md", "review-before-decision", "error", 8, "review_date", "2026-01-01"),
    ("stale-review-date.md", "stale-review-date", "warning", 8, "review_date", "2025-09-15"),
    ("stale-review-date.md", "overdue", "warning", 8, "review_date", "2025-06-30"),
    ("due-soon.md", "due-soon", "info", 7, "review_date", "2026-12-15"),
    ("duplicate-key.md", "duplicate-key", "error", 8, "type", "två gånger"),
    ("render-macros.md", "render-macros", "error", 8, "render_macros", "mall"),
    ("raw-html.md", "raw-html", "warning", 14, None, "HTML"),
    ("encoding.md", "encoding", "error", 7, None, "UTF-8"),
]


@pytest.mark.parametrize(("path", "code", "severity", "line", "field", "words"), CASES,
                         ids=[f"{c[1]}:{c[0]}" for c in CASES])
def test_finding(findings: list[Finding], path: str, code: str, severity: str, line: int,
                 field: str | None, words: str) -> None:
    found = only(findings, path, code)
    assert found.severity == severity
    assert found.line == line
    if field is not None:
        assert found.field == field
    assert words in found.message


def test_duplicate_id_is_an_error_on_every_file(findings: list[Finding]) -> None:
    a = only(findings, "duplicate-a.md", "duplicate-id")
    b = only(findings, "duplicate-b.md", "duplicate-id")
    assert a.severity == b.severity == "error"
    assert "routines/duplicate-b.md" in a.message and "routines/duplicate-a.md" in b.message


def test_a_body_is_a_valid_decider_but_not_an_owner(findings: list[Finding]) -> None:
    codes = [(f.code, f.field) for f in findings if f.path == "routines/unknown-owner.md"]
    assert codes == [("unknown-owner", "owner")]


def test_encoding_error_does_not_stop_the_others() -> None:
    result = check_handbook(FIXTURES / "findings", TODAY)
    assert len(result.documents) == 19
    assert result.state(next(d for d in result.documents if d.id == "F-soon")).status == "due-soon"


def test_fixture_has_every_contract_code(findings: list[Finding]) -> None:
    contract = {"yaml-syntax", "missing-front-matter", "missing-field", "invalid-date", "invalid-value",
                "unknown-key", "unknown-type", "unknown-owner", "duplicate-id", "unknown-reference",
                "encoding", "review-before-decision", "stale-review-date", "overdue", "due-soon"}
    assert contract <= {f.code for f in findings}


def test_process_gap_and_data_file_findings(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIXTURES / "basic", tmp_path / "h")
    result = check_handbook(tmp_path / "h", TODAY)
    gaps = [f for f in result.findings if f.code == "process-gap"]
    assert [(g.path, g.line, g.severity) for g in gaps] == [("data/processes.yml", 6, "warning")]
    assert "anvisning-ame" in gaps[0].message
    (tmp_path / "h/data/organisation.yml").write_text("roles:\n  chef: {title: [trasig\n", encoding="utf-8")
    result = check_handbook(tmp_path / "h", TODAY)
    broken = [f for f in result.findings if f.path == "data/organisation.yml"]
    assert [(f.code, f.severity) for f in broken] == [("yaml-syntax", "error")]
    assert not any(f.code == "unknown-owner" for f in result.findings)  # no noise from a broken file
    (tmp_path / "h/data/organisation.yml").unlink()
    result = check_handbook(tmp_path / "h", TODAY)
    assert [f.code for f in result.findings if f.path == "data/organisation.yml"] == ["data-file"]


@pytest.mark.parametrize(("level", "codes"), [
    ("never", set()),
    ("error", {"error"}),
    ("overdue", {"error", "overdue"}),
    ("due-soon", {"error", "overdue", "due-soon"}),
])
def test_fail_on_levels(findings: list[Finding], level: str, codes: set[str]) -> None:
    result = check_handbook(FIXTURES / "findings", TODAY)
    failed = failing(result, level)
    kinds = {"error" if f.severity == "error" else f.code for f in failed}
    assert kinds == codes
