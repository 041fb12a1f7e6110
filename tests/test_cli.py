"""`handbok check` as a subprocess: exit codes, --fail-on, the day, the warning window, no writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, CopyFixture, RunCli


def summary(run: subprocess.CompletedProcess[str]) -> dict[str, int]:
    return json.loads(run.stdout)["summary"]


# review-gate: three clean documents, all due 2026-12-01
CURRENT, DUE_SOON, OVERDUE = "2026-06-01", "2026-11-22", "2027-01-01"


@pytest.mark.parametrize(("today", "fail_on", "code"), [
    (CURRENT, "error", 0), (CURRENT, "overdue", 0), (CURRENT, "due-soon", 0), (CURRENT, "never", 0),
    (DUE_SOON, "error", 0), (DUE_SOON, "overdue", 0), (DUE_SOON, "due-soon", 1), (DUE_SOON, "never", 0),
    (OVERDUE, "error", 0), (OVERDUE, "overdue", 1), (OVERDUE, "due-soon", 1), (OVERDUE, "never", 0),
])
def test_fail_on_levels_without_errors(cli: RunCli, today: str, fail_on: str, code: int) -> None:
    run = cli("check", FIXTURES / "review-gate", "--today", today, "--fail-on", fail_on)
    assert run.returncode == code, run.stdout
    assert run.stderr == ""


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("overdue", 1), ("due-soon", 1), ("never", 0)])
def test_fail_on_levels_with_a_metadata_error(cli: RunCli, copy_fixture: CopyFixture, fail_on: str,
                                              code: int) -> None:
    root = copy_fixture("review-gate")
    (root / "routines/trasig.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    assert cli("check", root, "--today", CURRENT, "--fail-on", fail_on).returncode == code


def test_a_warning_alone_never_fails(cli: RunCli, copy_fixture: CopyFixture) -> None:
    root = copy_fixture("review-gate")
    path = root / "routines/ansokan.md"
    path.write_text(path.read_text(encoding="utf-8").replace("type: rutin", "type: rutin\ntyp: rutin"),
                    encoding="utf-8")
    for level in ("error", "overdue", "due-soon"):
        run = cli("check", root, "--today", CURRENT, "--fail-on", level)
        assert run.returncode == 0 and "[unknown-key]" in run.stdout


def test_default_fail_on_is_overdue(cli: RunCli) -> None:
    assert cli("check", FIXTURES / "review-gate", "--today", DUE_SOON).returncode == 0
    assert cli("check", FIXTURES / "review-gate", "--today", OVERDUE).returncode == 1
    assert cli("check", FIXTURES / "broken-organisation", "--today", CURRENT).returncode == 1  # errors fail


def test_default_path_is_the_current_folder(cli: RunCli) -> None:
    run = cli("check", "--today", OVERDUE, "--format", "json", cwd=FIXTURES / "review-gate")
    assert run.returncode == 1 and summary(run)["overdue"] == 3


@pytest.mark.parametrize("args", [
    ["check", "/finns/inte/alls"],
    ["check", str(FIXTURES / "review-gate" / "mkdocs.yml")],  # a file, not a folder
    ["check", str(FIXTURES / "review-gate" / "data")],  # a folder without routines/
    ["check", str(FIXTURES / "review-gate"), "--today", "2026-02-30"],
    ["check", str(FIXTURES / "review-gate"), "--today", "22/11/2026"],
    ["check", str(FIXTURES / "review-gate"), "--today", "2026-W47-1"],
    ["check", str(FIXTURES / "review-gate"), "--today", "igår"],
    ["check", str(FIXTURES / "review-gate"), "--format", "xml"],
    ["check", str(FIXTURES / "review-gate"), "--fail-on", "warning"],
    ["check", str(FIXTURES / "review-gate"), "--warn-days", "-1"],
])
def test_exit_2_when_the_check_cannot_run(cli: RunCli, args: list[str]) -> None:
    run = cli(*args)
    assert run.returncode == 2
    assert run.stdout == "" and run.stderr.strip()


def test_messages_of_exit_2_are_swedish_and_name_the_problem(cli: RunCli, tmp_path: Path) -> None:
    missing = cli("check", tmp_path / "saknas")
    assert missing.stderr.startswith("handbok: ") and "finns inte" in missing.stderr and "saknas" in missing.stderr
    (tmp_path / "tom").mkdir()
    no_routines = cli("check", tmp_path / "tom")
    assert "routines/" in no_routines.stderr and "finns inte" in no_routines.stderr
    bad_day = cli("check", FIXTURES / "review-gate", "--today", "2026-02-30")
    assert "--today" in bad_day.stderr and "ÅÅÅÅ-MM-DD" in bad_day.stderr


@pytest.mark.parametrize("text", [
    b"site_name: [trasig\n",
    b"- en\n- lista\n",
    "site_name: Socialtjänsten\n".encode("cp1252"),
    b"plugins:\n  - handbok:\n      warn_days: tre\n",
])
def test_exit_2_on_unreadable_mkdocs_yml(cli: RunCli, copy_fixture: CopyFixture, text: bytes) -> None:
    root = copy_fixture("review-gate")
    (root / "mkdocs.yml").write_bytes(text)
    run = cli("check", root, "--today", CURRENT)
    assert run.returncode == 2 and "mkdocs.yml" in run.stderr and run.stdout == ""


def test_mkdocs_yml_with_material_python_tags_is_read(cli: RunCli) -> None:
    run = cli("check", FIXTURES / "warn-days", "--today", "2026-11-22", "--format", "json")
    assert run.returncode == 0
    assert (summary(run)["current"], summary(run)["due-soon"]) == (1, 1)  # warn_days: 30 from mkdocs.yml


def test_warn_days_flag_beats_mkdocs_yml(cli: RunCli) -> None:
    run = cli("check", FIXTURES / "warn-days", "--today", "2026-11-22", "--format", "json", "--warn-days", "60")
    assert summary(run)["due-soon"] == 2
    run = cli("check", FIXTURES / "warn-days", "--today", "2026-11-22", "--format", "json", "--warn-days", "0")
    assert summary(run)["due-soon"] == 0 and summary(run)["current"] == 2


def test_warn_days_flag_changes_the_exit_code(cli: RunCli) -> None:
    root = FIXTURES / "review-gate"  # due in 9 days
    assert cli("check", root, "--today", DUE_SOON, "--fail-on", "due-soon", "--warn-days", "9").returncode == 1
    assert cli("check", root, "--today", DUE_SOON, "--fail-on", "due-soon", "--warn-days", "8").returncode == 0


def test_today_from_environment_and_flag_wins(cli: RunCli) -> None:
    root = FIXTURES / "review-gate"
    by_env = cli("check", root, "--format", "json", env={"HANDBOK_TODAY": OVERDUE})
    assert json.loads(by_env.stdout)["today"] == OVERDUE and by_env.returncode == 1
    both = cli("check", root, "--format", "json", "--today", CURRENT, env={"HANDBOK_TODAY": OVERDUE})
    assert json.loads(both.stdout)["today"] == CURRENT and both.returncode == 0
    # the flag wins even over an unreadable variable
    assert cli("check", root, "--today", CURRENT, env={"HANDBOK_TODAY": "imorgon"}).returncode == 0


@pytest.mark.parametrize("value", ["imorgon", "2026-13-01", "2026-11-22T10:00"])
def test_bad_handbok_today_is_exit_2(cli: RunCli, value: str) -> None:
    run = cli("check", FIXTURES / "review-gate", env={"HANDBOK_TODAY": value})
    assert run.returncode == 2 and "HANDBOK_TODAY" in run.stderr


def test_without_a_day_it_uses_the_real_date(cli: RunCli) -> None:
    import datetime as dt

    run = cli("check", FIXTURES / "review-gate", "--format", "json")
    assert json.loads(run.stdout)["today"] in {dt.date.today().isoformat(),
                                               (dt.date.today() - dt.timedelta(days=1)).isoformat()}


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file but the check's own cache (`.cache/handbok/`, the one place it may write)."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and not _cache(root, p)}


def _cache(root: Path, path: Path) -> bool:
    return path.relative_to(root).parts[:1] == (".cache",)


@pytest.mark.parametrize("fixture", ["faults", "odd-names", "broken-organisation"])
def test_check_never_modifies_or_adds_a_file(cli: RunCli, copy_fixture: CopyFixture, fixture: str) -> None:
    root = copy_fixture(fixture)
    (root / "routines/crlf bom.md").write_bytes(b"\xef\xbb\xbf---\r\nid: X\r\ntitle: T\r\n---\r\n")
    (root / "routines/cp1252.md").write_bytes("---\ntitle: Rättelse\n---\n".encode("cp1252"))
    before = snapshot(root)
    dirs_before = sorted(p for p in root.rglob("*") if p.is_dir() and not _cache(root, p))
    for fmt in ("text", "json", "github", "junit"):
        cli("check", root, "--today", OVERDUE, "--format", fmt, "--fail-on", "never")
    cli("check", "--today", OVERDUE, cwd=root)
    assert snapshot(root) == before
    assert sorted(p for p in root.rglob("*") if p.is_dir() and not _cache(root, p)) == dirs_before
    cache = sorted(p.relative_to(root).as_posix() for p in (root / ".cache").rglob("*"))
    assert cache[0] == ".cache/handbok"
    kept = [name.removeprefix(".cache/handbok/") for name in cache[1:]]
    answers = [name for name in kept if name.startswith("answer-") and name.endswith(".bin")]
    assert len(answers) == 4  # five runs with different options, the four latest answers kept
    results = [name for name in kept if name.startswith("result-") and name.endswith(".bin")]
    assert len(results) == 1  # one day, no --warn-days: one result (`handbok.recheck`)
    assert len(kept) == 6 and kept[4].startswith("check-") and kept[4].endswith(".jsonl")


def test_no_traceback_on_a_file_name_that_is_not_utf8(cli: RunCli, copy_fixture: CopyFixture) -> None:
    root = copy_fixture("odd-names")
    (root / "routines" / os.fsdecode(b"fr\xe5n word.md")).write_bytes(b"---\nid: [\n---\n")
    for fmt in ("text", "json", "github", "junit"):
        run = cli("check", root, "--today", CURRENT, "--format", fmt)  # cli() asserts: no traceback
        assert run.returncode == 1, run.stderr
    data = json.loads(cli("check", root, "--today", CURRENT, "--format", "json").stdout)
    assert [(f["code"], f["path"]) for f in data["findings"]] == [("file-name", "routines/fr\\xe5n word.md")]


def test_output_is_utf8_even_in_a_c_locale(cli: RunCli) -> None:
    run = cli("check", FIXTURES / "odd-names", "--today", CURRENT, "--format", "json",
              env={"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"})
    assert run.returncode == 0
    paths = [d["path"] for d in json.loads(run.stdout)["documents"]]
    assert "routines/ä/ö/å/1/2/3/4/5/6/7/8/Djup utredning.md" in paths


def test_python_dash_m_handbok_is_the_same_command() -> None:
    run = subprocess.run([sys.executable, "-m", "handbok", "check", str(FIXTURES / "review-gate"),
                          "--today", OVERDUE, "--format", "json"], capture_output=True, text=True,
                         encoding="utf-8", timeout=60)
    assert run.returncode == 1 and json.loads(run.stdout)["summary"]["overdue"] == 3


def test_help_is_swedish(cli: RunCli) -> None:
    run = cli("check", "--help")
    assert run.returncode == 0 and "Kontrollera" in run.stdout and "--fail-on" in run.stdout


def test_negative_warn_days_in_mkdocs_yml_is_exit_2(cli: RunCli, copy_fixture: CopyFixture) -> None:
    root = copy_fixture("basic")
    (root / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - handbok:\n      warn_days: -5\n", encoding="utf-8")
    run = cli("check", str(root))
    assert run.returncode == 2 and "warn_days" in run.stderr


def test_the_choices_of_lazily_imported_commands_are_their_modules_own() -> None:
    """cli.py names them itself, so that a check does not import those modules at all."""
    import handbok.cli
    from handbok import codeowners, core, formats, init, remind, report

    assert handbok.cli.CHECK_FORMATS == tuple(formats.FORMATS)
    assert handbok.cli.FAIL_LEVELS == core.FAIL_LEVELS
    assert handbok.cli.CODEOWNERS_FORMATS == codeowners.FORMATS
    assert handbok.cli.INIT_CI_CHOICES == init.CI_CHOICES
    assert handbok.cli.REPORT_FORMATS == report.FORMATS
    assert handbok.cli.REMIND_FORMATS == remind.FORMATS
    run = subprocess.run([sys.executable, "-c", "import sys, handbok.cli; print(sorted(m for m in sys.modules "
                          "if m.startswith('handbok.') and m != 'handbok.clitext'))"],
                         capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "['handbok.cli']"  # the rest when a command runs (a kept answer: none)
