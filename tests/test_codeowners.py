"""`handbok codeowners` and the findings codeowners-stale and owner-without-git."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, TODAY, RunCli

from handbok.codeowners import azure_commands, codeowners_text
from handbok.core import check_handbook


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "hb"
    shutil.copytree(FIXTURES / "review-gate", target)
    return target


def codes(root: Path) -> list[str]:
    return [f.code for f in check_handbook(root, TODAY).findings]


def test_text_and_escaping(root: Path) -> None:
    (root / "routines/ansokan.md").rename(root / "routines/an sokan #1.md")
    result = check_handbook(root, TODAY)
    text = codeowners_text(result.documents, result.org)
    assert text.startswith("# Skapad av `handbok codeowners`")
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert rules == ["/routines/an\\ sokan\\ \\#1.md @anna-exempel",
                     "/routines/anvisning-ame.md @anna-exempel",
                     "/routines/utredning.md @anna-exempel"]


def test_write_then_stale_and_owner_without_git(cli: RunCli, root: Path) -> None:
    assert "codeowners-stale" not in codes(root) and "owner-without-git" not in codes(root)  # no file: silent
    run = cli("codeowners", "-C", root, "--write")
    assert run.returncode == 0 and "Skrev" in run.stdout
    assert (root / ".github/CODEOWNERS").is_file()
    assert "codeowners-stale" not in codes(root)
    doc = root / "routines/utredning.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("owner: enhetschef-forsorjningsstod",
                                                             "owner: enhetschef-ame"), encoding="utf-8")
    findings = check_handbook(root, TODAY).findings
    stale = [f for f in findings if f.code == "codeowners-stale"]
    assert len(stale) == 1 and stale[0].path == ".github/CODEOWNERS" and stale[0].severity == "warning"
    assert "routines/utredning.md" in stale[0].message
    without = [f for f in findings if f.code == "owner-without-git"]
    assert len(without) == 1 and without[0].severity == "info" and "enhetschef-ame" in without[0].message
    assert cli("codeowners", "-C", root, "--write").returncode == 0  # rewrites the same file
    assert "codeowners-stale" not in codes(root)


def test_gitlab_place_and_handbook_in_a_subfolder_of_a_repository(cli: RunCli, tmp_path: Path) -> None:
    top = tmp_path / "repo"
    root = top / "handbocker" / "ifo"
    shutil.copytree(FIXTURES / "review-gate", root)
    subprocess.run(["git", "init", "-q"], cwd=top, check=True)
    run = cli("codeowners", "-C", root, "--format", "gitlab", "--write")
    assert run.returncode == 0, run.stderr
    text = (root / ".gitlab/CODEOWNERS").read_text(encoding="utf-8")
    assert "/handbocker/ifo/routines/ansokan.md @anna-exempel\n" in text
    assert "codeowners-stale" not in codes(root)


def test_azure_commands(root: Path, cli: RunCli) -> None:
    result = check_handbook(root, TODAY)
    out = azure_commands(result.documents, result.org)
    commands = [shlex.split(line) for line in out.splitlines() if line.startswith("az ")]
    assert len(commands) == 1
    args = commands[0]
    assert args[:5] == ["az", "repos", "policy", "required-reviewer", "create"]
    flags = {a for a in args if a.startswith("--")}
    assert flags <= {"--repository-id", "--branch", "--blocking", "--enabled", "--required-reviewer-ids",
                     "--path-filter", "--message"}
    assert args[args.index("--required-reviewer-ids") + 1] == "anna.exempel@kommun.example"
    assert args[args.index("--path-filter") + 1].split(";") == [
        "/routines/ansokan.md", "/routines/anvisning-ame.md", "/routines/utredning.md"]
    assert cli("codeowners", "-C", root, "--format", "azure", "--write").returncode == 2
    assert cli("codeowners", "-C", root, "--format", "azure").stdout == out
