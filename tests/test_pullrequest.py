"""`handbok check --base REF` in real git repositories: only what the change touches,
changed-without-decision, new documents, the rest in one line, and the errors (exit 2)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, RunCli

DAY = "2026-06-01"  # review-gate: everything current


def git(root: Path, *args: str) -> str:
    run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True,
                         env={"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
                              "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
                              "HOME": str(root), "PATH": "/usr/bin:/bin:/usr/local/bin"})
    return run.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """review-gate in a subfolder of a git repository, committed on main, with a branch."""
    root = tmp_path / "repo" / "handbok"
    shutil.copytree(FIXTURES / "review-gate", root)
    top = root.parent
    git(top, "init", "-q", "-b", "main")
    git(top, "add", ".")
    git(top, "commit", "-q", "-m", "start")
    git(top, "checkout", "-q", "-b", "andring")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def as_json(run: subprocess.CompletedProcess[str]) -> dict:  # type: ignore[type-arg]
    return json.loads(run.stdout)


def test_text_changed_without_a_decision(cli: RunCli, repo: Path) -> None:
    edit(repo / "routines/ansokan.md", "# Rutin för ansokan", "# Rutin för ansokan\n\nNy arbetsgång.")
    git(repo, "commit", "-qam", "ändrad text")
    run = cli("check", repo, "--base", "main", "--today", DAY, "--format", "json")
    assert run.returncode == 1
    data = as_json(run)
    assert [d["path"] for d in data["documents"]] == ["routines/ansokan.md"]
    assert [(f["code"], f["severity"], f["document"]) for f in data["findings"]] == [
        ("changed-without-decision", "warning", "G-ansokan")]
    assert cli("check", repo, "--base", "main", "--today", DAY, "--fail-on", "error").returncode == 0
    text = cli("check", repo, "--base", "main", "--today", DAY)
    assert "changed-without-decision" in text.stdout and "Resten av handboken (2 dokument" in text.stdout


@pytest.mark.parametrize("decision", [
    ("decision_date: 2025-12-01", "decision_date: 2026-05-01"),
    ("processes: [ansokan]", "processes: [ansokan]\nversion: \"2.0\""),
    ("processes: [ansokan]", "processes: [ansokan]\nhistory:\n  - {date: 2026-05-01, note: Stavning}"),
])
def test_a_decision_version_or_history_line_is_enough(cli: RunCli, repo: Path, decision: tuple[str, str]) -> None:
    edit(repo / "routines/ansokan.md", "# Rutin för ansokan", "# Rutin för ansokan\n\nNy arbetsgång.")
    edit(repo / "routines/ansokan.md", *decision)
    run = cli("check", repo, "--base", "main", "--today", DAY, "--format", "json")  # uncommitted counts too
    assert run.returncode == 0, run.stdout
    assert as_json(run)["findings"] == []


def test_front_matter_only_changes_and_untouched_documents(cli: RunCli, repo: Path) -> None:
    edit(repo / "routines/ansokan.md", "owner: enhetschef-forsorjningsstod", "owner: enhetschef-ame")
    git(repo, "commit", "-qam", "ny ägare")
    data = as_json(cli("check", repo, "--base", "main", "--today", DAY, "--format", "json"))
    assert data["findings"] == [] and data["summary"]["documents"] == 1


def test_touched_overdue_fails_untouched_overdue_is_one_line(cli: RunCli, repo: Path) -> None:
    late = "2027-01-01"
    nothing = cli("check", repo, "--base", "main", "--today", late)
    assert nothing.returncode == 0
    assert "rör inga styrdokument" in nothing.stdout and "3 försenade" in nothing.stdout
    edit(repo / "routines/utredning.md", "processes: [utredning]", "processes: [utredning]\ntags: [a]")
    run = cli("check", repo, "--base", "main", "--today", late, "--format", "json")
    assert run.returncode == 1
    assert [f["code"] for f in as_json(run)["findings"]] == ["overdue"]


def test_new_documents_must_be_drafts_or_decided(cli: RunCli, repo: Path) -> None:
    (repo / "routines/ny.md").write_text(
        "---\nid: G-ny\ntitle: Ny\ntype: rutin\nowner: enhetschef-forsorjningsstod\n"
        "decided_by: forvaltningschef\n---\n# Ny\n", encoding="utf-8")  # untracked, no decision
    run = cli("check", repo, "--base", "main", "--today", DAY, "--format", "json")
    assert run.returncode == 1
    assert [(f["code"], f["field"]) for f in as_json(run)["findings"]] == [("missing-field", "decision_date")]
    edit(repo / "routines/ny.md", "decided_by", "status: draft\ndecided_by")
    assert cli("check", repo, "--base", "main", "--today", DAY).returncode == 0


def test_renamed_document_keeps_its_history(cli: RunCli, repo: Path) -> None:
    git(repo, "mv", "routines/ansokan.md", "routines/ansokan-ny.md")
    git(repo, "commit", "-qm", "flytt")
    data = as_json(cli("check", repo, "--base", "main", "--today", DAY, "--format", "json"))
    assert data["findings"] == [] and [d["path"] for d in data["documents"]] == ["routines/ansokan-ny.md"]


def test_base_cannot_be_used(cli: RunCli, repo: Path, tmp_path: Path) -> None:
    unknown = cli("check", repo, "--base", "origin/saknas")
    assert unknown.returncode == 2 and "känner inte till" in unknown.stderr
    assert cli("check", repo, "--base", "--output=x").returncode == 2
    plain = tmp_path / "plain"
    shutil.copytree(FIXTURES / "review-gate", plain)
    outside = cli("check", plain, "--base", "main")
    assert outside.returncode == 2 and "git-checkout" in outside.stderr


def test_gitlab_and_markdown_with_base(cli: RunCli, repo: Path) -> None:
    edit(repo / "routines/ansokan.md", "# Rutin för ansokan", "# Rutin för ansokan\n\nNy text.")
    gitlab = cli("check", repo, "--base", "main", "--today", DAY, "--format", "gitlab")
    assert [i["check_name"] for i in json.loads(gitlab.stdout)] == ["changed-without-decision"]
    markdown = cli("check", repo, "--base", "main", "--today", DAY, "--format", "markdown")
    assert "changed-without-decision" in markdown.stdout and "Resten av handboken" in markdown.stdout
