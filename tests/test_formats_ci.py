"""`--format gitlab` (Code Quality) and `--format markdown` (pull-request summary)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from conftest import FIXTURES, TODAY, RunCli

from handbok.core import check_handbook
from handbok.formats import FORMATS, render

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def _issues(root: Path, today: dt.date = TODAY) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(render(check_handbook(root, today), "gitlab", "overdue"))


def test_code_quality_shape() -> None:
    issues = _issues(FIXTURES / "faults")
    assert issues and len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in SEVERITIES
        assert isinstance(issue["location"]["path"], str) and not issue["location"]["path"].startswith("/")
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
    by_code = {i["check_name"]: i for i in issues}
    assert by_code["overdue"]["severity"] == "major"  # it fails the gate at --fail-on overdue
    assert by_code["missing-field"]["severity"] == "critical"


def test_fingerprints_stay_when_lines_move_and_days_pass(tmp_path: Path) -> None:
    root = tmp_path / "faults"
    shutil.copytree(FIXTURES / "faults", root)
    before = {(i["check_name"], i["location"]["path"]): (i["fingerprint"], i["location"]["lines"]["begin"])
              for i in _issues(root)}
    for path in (root / "routines").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):  # three comment lines above every finding in the front matter
            path.write_text("---\n# a\n# b\n# c\n" + text[4:], encoding="utf-8")
    after = {(i["check_name"], i["location"]["path"]): (i["fingerprint"], i["location"]["lines"]["begin"])
             for i in _issues(root, TODAY + dt.timedelta(days=3))}
    moved = [key for key in before if key in after and before[key][1] != after[key][1]]
    assert len(moved) >= 5
    for key in moved:
        assert before[key][0] == after[key][0], key


def test_markdown_groups_by_owner_and_escapes(tmp_path: Path) -> None:
    root = tmp_path / "hb"
    shutil.copytree(FIXTURES / "review-gate", root)
    text = (root / "routines/ansokan.md").read_text(encoding="utf-8")
    (root / "routines/ansokan.md").write_text(
        text.replace("title: Rutin för ansokan", 'title: "Rutin | <b>fet</b> [länk](javascript:x) \\e[31m"'),
        encoding="utf-8")
    out = render(check_handbook(root, dt.date(2027, 1, 1)), "markdown", "overdue")
    assert out.startswith("## Kvalitetshandboken: kontroll 2027-01-01\n")
    assert "**Underkänd**: 3 problem" in out
    assert "### Enhetschef försörjningsstöd\n" in out
    assert out.count("| försenad |") == 3
    assert "<b>" not in out and "&lt;b&gt;" in out and "\\|" in out and "\\[länk\\]" in out
    assert "\x1b" not in out and "\\x1b" in out
    clean = render(check_handbook(root, dt.date(2026, 6, 1)), "markdown", "overdue")
    assert "**Godkänd**" in clean and "Inga dokument behöver åtgärdas." in clean


def test_formats_on_the_command_line(cli: RunCli) -> None:
    assert {"gitlab", "markdown"} <= set(FORMATS)
    run = cli("check", FIXTURES / "review-gate", "--today", "2027-01-01", "--format", "gitlab")
    assert run.returncode == 1 and len(json.loads(run.stdout)) == 3
    run = cli("check", FIXTURES / "review-gate", "--today", "2027-01-01", "--format", "markdown",
              "--fail-on", "never")
    assert run.returncode == 0 and "stoppar aldrig" in run.stdout


def test_hostile_fixtures_in_the_new_formats() -> None:
    """Control characters, HTML and odd file names never reach the report raw."""
    for name in ("hostile", "odd-names", "far-dates", "long-values"):
        result = check_handbook(FIXTURES / name, TODAY)
        issues = json.loads(render(result, "gitlab", "overdue"))
        assert len({i["fingerprint"] for i in issues}) == len(issues)
        markdown = render(result, "markdown", "overdue")
        for text in (json.dumps(issues, ensure_ascii=False), markdown):
            assert not any(ord(c) < 32 and c not in "\n" for c in text), name
            assert not any("\ud800" <= c <= "\udfff" for c in text), name
        assert "<script" not in markdown.lower() and "<img" not in markdown.lower()
