"""The last commit of each file, from git, when the handbook is a git checkout."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Commit", "last_commits"]


@dataclass(frozen=True)
class Commit:
    date: dt.date
    author: str
    subject: str


def last_commits(root: Path, folder: str) -> dict[str, Commit]:
    """Path relative to root -> its last commit; empty when git is not there."""
    marker = "\x1e"
    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotepath=off", "log", "--no-renames", "--name-only",
             f"--format={marker}%cs%x00%an%x00%s", "--", folder],
            cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace",
            timeout=60, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if proc.returncode != 0:
        return {}
    prefix = _prefix(root)
    out: dict[str, Commit] = {}
    for chunk in proc.stdout.split(marker):
        if not chunk.strip():
            continue
        head, _, names = chunk.partition("\n")
        parts = head.split("\x00")
        if len(parts) != 3:
            continue
        try:
            commit = Commit(dt.date.fromisoformat(parts[0]), parts[1], parts[2])
        except ValueError:
            continue
        for name in names.splitlines():
            name = name.strip()
            if not name:
                continue
            if prefix and name.startswith(prefix):
                name = name[len(prefix):]
            out.setdefault(name, commit)
    return out


def _prefix(root: Path) -> str:
    """The handbook root's path inside the repository, e.g. 'handbooks/ifo/'."""
    try:
        proc = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root, capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""
