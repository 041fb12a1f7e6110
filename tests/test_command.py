"""`handbok check` run as a subprocess: exit codes, formats and the contract of PRODUCT.md §4."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
HANDBOK = Path(sys.executable).with_name("handbok")
TODAY = "2026-11-22"


def check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "HANDBOK_TODAY"}
    full.update(env or {})
    run = subprocess.run([str(HANDBOK), "check", *args], capture_output=True, text=True, env=full, timeout=120)
    assert "Traceback" not in run.stderr + run.stdout
    return run


@pytest.mark.parametrize(("fixture", "fail_on", "code"), [
    ("clean", "overdue", 0),
    ("basic", "overdue", 1),
    ("basic", "never", 0),
    ("basic", "error", 0),
    ("basic", "due-soon", 1),
    ("clean", "due-soon", 0),
    ("findings", "error", 1),
    ("findings", "never", 0),
])
def test_exit_codes(fixture: str, fail_on: str, code: int) -> None:
    assert check(str(FIXTURES / fixture), "--today", TODAY, "--fail-on", fail_on).returncode == code


def test_due_soon_alone_fails_only_at_due_soon(tmp_path: Path) -> None:
    root = tmp_path / "h"
    shutil.copytree(FIXTURES / "clean", root)
    assert check(str(root), "--today", "2027-07-15", "--fail-on", "overdue").returncode == 0
    assert check(str(root), "--today", "2027-07-15", "--fail-on", "due-soon").returncode == 1


@pytest.mark.parametrize("args", [
    ["/finns/inte"],
    [str(FIXTURES / "basic" / "data")],
    [str(FIXTURES / "basic"), "--today", "2026-13-01"],
    [str(FIXTURES / "basic"), "--today", "igår"],
])
def test_exit_2_when_it_cannot_run(args: list[str]) -> None:
    run = check(*args)
    assert run.returncode == 2
    assert run.stderr.startswith("handbok: ") and run.stdout == ""


def test_exit_2_on_unreadable_mkdocs_yml(tmp_path: Path) -> None:
    root = tmp_path / "h"
    shutil.copytree(FIXTURES / "clean", root)
    (root / "mkdocs.yml").write_text("site_name: [trasig\n", encoding="utf-8")
    run = check(str(root))
    assert run.returncode == 2 and "mkdocs.yml" in run.stderr


def test_mkdocs_yml_with_python_tags_is_read(tmp_path: Path) -> None:
    root = tmp_path / "h"
    shutil.copytree(FIXTURES / "clean", root)
    (root / "mkdocs.yml").write_text(
        "site_name: X\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "plugins:\n  - handbok:\n      warn_days: 400\n", encoding="utf-8")
    data = json.loads(check(str(root), "--today", TODAY, "--format", "json").stdout)
    assert data["summary"]["due-soon"] == 3  # due 2027-09-01: inside a 400-day window


def test_today_flag_env_and_precedence() -> None:
    root = str(FIXTURES / "basic")
    by_env = json.loads(check(root, "--format", "json", env={"HANDBOK_TODAY": "2016-01-01"}).stdout)
    assert by_env["today"] == "2016-01-01" and by_env["summary"]["overdue"] == 0
    both = json.loads(check(root, "--format", "json", "--today", TODAY, env={"HANDBOK_TODAY": "2016-01-01"}).stdout)
    assert both["today"] == TODAY and both["summary"]["overdue"] == 1
    assert check(root, env={"HANDBOK_TODAY": "2026-02-30"}).returncode == 2


def test_warn_days_flag() -> None:
    root = str(FIXTURES / "basic")
    narrow = json.loads(check(root, "--today", TODAY, "--format", "json", "--warn-days", "10").stdout)
    assert narrow["summary"]["due-soon"] == 0 and narrow["summary"]["current"] == 2


def test_json_contract() -> None:
    run = check(str(FIXTURES / "basic"), "--today", TODAY, "--format", "json")
    data = json.loads(run.stdout)
    assert set(data) == {"today", "summary", "documents", "findings"}
    assert data["summary"] == {"documents": 5, "current": 1, "due-soon": 1, "overdue": 1, "draft": 1,
                               "repealed": 1, "unknown": 0, "errors": 0, "warnings": 2}
    keys = {"id", "path", "title", "type", "owner", "unit", "decided_by", "decision_date", "last_reviewed",
            "review_date", "status", "days_left"}
    for document in data["documents"]:
        assert set(document) == keys
    overdue = next(d for d in data["documents"] if d["id"] == "T-002")
    assert overdue == {
        "id": "T-002", "path": "routines/overdue.md", "title": "Utredning", "type": "rutin",
        "owner": "enhetschef-forsorjningsstod", "unit": "forsorjningsstod", "decided_by": "socialnamnden",
        "decision_date": "2015-04-20", "last_reviewed": None, "review_date": "2016-04-20",
        "status": "overdue", "days_left": -3868,
    }
    assert next(d for d in data["documents"] if d["id"] == "T-003")["path"] == "routines/sub/due-soon.md"
    for finding in data["findings"]:
        assert set(finding) == {"severity", "code", "path", "line", "document", "field", "message"}
    assert {f["code"] for f in data["findings"]} == {"overdue", "due-soon", "process-gap"}


def test_text_is_swedish_grouped_by_file_with_summary() -> None:
    out = check(str(FIXTURES / "basic"), "--today", TODAY).stdout
    blocks = out.strip().split("\n\n")
    assert blocks[0].splitlines()[0] == "data/processes.yml"
    assert blocks[1].splitlines()[0] == "routines/overdue.md (T-002)"
    assert "försenad: Dokumentet skulle ha reviderats senast 2016-04-20" in blocks[1]
    summary = blocks[-1].splitlines()
    assert summary[0].startswith("5 dokument: 1 gällande, 1 revideras snart, 1 försenad, 1 utkast, 1 upphävd")
    assert summary[1].startswith("Kontrollen underkänd")


def test_github_annotations() -> None:
    out = check(str(FIXTURES / "findings"), "--today", TODAY, "--format", "github").stdout.splitlines()
    pattern = re.compile(r"::(error|warning|notice) file=([^,:]+),(?:line=(\d+),)?title=([a-z-]+)::(.+)")
    annotations = [pattern.fullmatch(line) for line in out[:-1]]
    assert all(annotations), [line for line, m in zip(out, annotations, strict=False) if not m]
    by_code = {m.group(4): m for m in annotations if m}
    assert by_code["yaml-syntax"].group(1) == "error"
    assert by_code["yaml-syntax"].group(2) == "routines/yaml-syntax.md" and by_code["yaml-syntax"].group(3) == "5"
    assert by_code["unknown-key"].group(1) == "warning"
    assert by_code["due-soon"].group(1) == "notice"
    assert by_code["overdue"].group(1) == "error"  # fails the default gate, so shown as an error


def test_github_escaping() -> None:
    from handbok.formats import _escape_data, _escape_property

    assert _escape_data("100% klart\nrad två\r") == "100%25 klart%0Arad två%0D"
    assert _escape_property("a:b,c") == "a%3Ab%2Cc"


def test_junit_xml() -> None:
    run = check(str(FIXTURES / "findings"), "--today", TODAY, "--format", "junit")
    root = ET.fromstring(run.stdout)
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert int(suite.get("tests", "0")) == len(cases) == 19
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("failures", "0")) == len(failed)
    failed_files = {c.get("file") for c in failed}
    assert "routines/encoding.md" in failed_files and "routines/stale-review-date.md" in failed_files
    assert "routines/unknown-key.md" not in failed_files  # a warning is output, not a failure
    soon = next(c for c in cases if c.get("file") == "routines/due-soon.md")
    assert soon.find("failure") is None and "due-soon" in (soon.findtext("system-out") or "")


def test_check_never_modifies_files(tmp_path: Path) -> None:
    root = tmp_path / "h"
    shutil.copytree(FIXTURES / "findings", root)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}
    for fmt in ("text", "json", "github", "junit"):
        check(str(root), "--format", fmt)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}
    assert before == after


def test_default_path_is_current_folder() -> None:
    run = subprocess.run([str(HANDBOK), "check", "--today", TODAY, "--format", "json"], cwd=FIXTURES / "basic",
                         capture_output=True, text=True, timeout=120)
    assert json.loads(run.stdout)["summary"]["documents"] == 5
