"""The handbook as it was at each month's end, read from git objects.

Nothing is checked out: the trees are listed with `git ls-tree` and the documents
read with one `git cat-file --batch`. A blob that did not change between two
commits is parsed once (documents are cached by blob id), so 24 month ends cost
little more than reading the handbook once plus what changed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from .load import load_document
from .model import Document

__all__ = ["Snapshot", "month_ends", "snapshots"]


@dataclass(frozen=True)
class Snapshot:
    """The documents at the last commit on or before `day`."""

    day: dt.date
    commit: str
    documents: list[Document]
    commit_day: dt.date | None = None  # the day of that commit


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of each month from `start`'s month to the month before `end`'s,
    then `end` itself."""
    out: list[dt.date] = []
    year, month = start.year, start.month
    while (year, month) < (end.year, end.month):
        out.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    out.append(end)
    return out


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes | None:
    try:
        proc = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=root, input=data,
                              capture_output=True, timeout=300, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def _commits(root: Path, until: dt.date) -> list[tuple[dt.date, str]]:
    """(commit day, sha) of HEAD's first-parent line, oldest first."""
    out = _git(root, "log", "--first-parent", "--format=%H %cs", f"--until={until.isoformat()} 23:59:59", "HEAD")
    commits: list[tuple[dt.date, str]] = []
    for line in (out or b"").decode("ascii", "replace").splitlines():
        sha, _, day = line.partition(" ")
        try:
            commits.append((dt.date.fromisoformat(day), sha))
        except ValueError:
            continue
    commits.reverse()
    return commits


def _tree(root: Path, commit: str, folder: str, max_bytes: int) -> dict[str, str]:
    """Path relative to the handbook root -> blob id, for the Markdown files under folder:
    regular files only (a symbolic link is mode 120000), none larger than max_bytes."""
    out = _git(root, "ls-tree", "-r", "-l", "-z", commit, "--", folder)
    files: dict[str, str] = {}
    for entry in (out or b"").split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        parts = meta.split()
        if (len(parts) != 4 or parts[0] not in (b"100644", b"100755") or parts[1] != b"blob"
                or not name.endswith(b".md") or not parts[3].isdigit() or int(parts[3]) > max_bytes):
            continue
        files[name.decode("utf-8", "surrogateescape")] = parts[2].decode("ascii")
    return files


def _read_blobs(root: Path, blobs: list[str], max_bytes: int) -> dict[str, bytes]:
    """Blob id -> content, with one `git cat-file --batch`; larger blobs are left out."""
    if not blobs:
        return {}
    out = _git(root, "cat-file", "--batch", data="".join(f"{b}\n" for b in blobs).encode())
    if out is None:
        return {}
    contents: dict[str, bytes] = {}
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3:  # "<id> missing"
            continue
        size = int(header[2])
        if size <= max_bytes:
            contents[header[0].decode("ascii")] = out[pos:pos + size]
        pos += size + 1
    return contents


def snapshots(root: Path, routines_dir: str, days: list[dt.date], max_file_kb: int = 1024) -> list[Snapshot]:
    """The documents at the last commit on or before each day; days before the first
    commit, or a folder outside git, give no snapshot."""
    commits = _commits(root, max(days)) if days else []
    cache: dict[str, Document] = {}  # blob id -> parsed document
    chosen: list[tuple[dt.date, str]] = []
    committed = {sha: day for day, sha in commits}
    i = 0
    last: str | None = None
    for day in sorted(days):
        while i < len(commits) and commits[i][0] <= day:
            last = commits[i][1]
            i += 1
        if last is not None:
            chosen.append((day, last))
    trees = {sha: _tree(root, sha, routines_dir, max_file_kb * 1024)
             for sha in dict.fromkeys(sha for _, sha in chosen)}
    wanted = list(dict.fromkeys(b for tree in trees.values() for b in tree.values() if b not in cache))
    for blob, data in _read_blobs(root, wanted, max_file_kb * 1024).items():
        cache[blob] = load_document("", data)[0]
    placed: dict[tuple[str, str], Document] = {}  # (blob, path) -> the document at that path
    out: list[Snapshot] = []
    for day, sha in chosen:
        docs = []
        for path, blob in sorted(trees[sha].items()):
            doc = placed.get((blob, path))
            if doc is None:
                parsed = cache.get(blob)
                if parsed is None or not parsed.readable:
                    continue
                doc = placed[(blob, path)] = replace(parsed, path=path)
            docs.append(doc)
        out.append(Snapshot(day, sha, docs, committed.get(sha)))
    return out
