"""`handbok check --base REF`: the pull-request check.

Only the files this change touches (committed since the merge base with REF, changed in
the working tree, or new and untracked) are reported; the rest of the handbook is one
line. A document whose text changed without a new history line, version or decision
date gets `changed-without-decision`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .core import Result, _finding_order
from .load import load_document
from .model import Document, Finding

__all__ = ["BaseError", "Change", "changed_files", "changed_without_decision", "restrict_to_change"]

CODE = "changed-without-decision"

# Swedish messages of the pull-request check (one place for this feature).
NOT_GIT = "--base: {path} ligger inte i en git-checkout (eller git saknas), så ändringen kan inte jämföras."
UNKNOWN_REF = ("--base: git känner inte till '{ref}'. Ange en gren eller commit, t.ex. origin/main "
               "(i CI behövs hela historiken: fetch-depth: 0).")
GIT_FAILED = "--base: git kunde inte jämföra med '{ref}': {reason}"
CHANGED = ("Texten i dokumentet har ändrats sedan {ref} utan ny rad i history, ny version eller nytt "
           "beslutsdatum. Är ändringen fastställd: ange decision_date, version och en rad i history. "
           "Är det bara språket eller stavningen: skriv det på en ny rad i history.")
REST = ("Resten av handboken ({documents} dokument som ändringen inte rör): {overdue} försenade, "
        "{due_soon} revideras snart, {errors} fel. Kör handbok check utan --base för hela listan.")
NO_CHANGE = "Ändringen rör inga styrdokument eller datafiler i handboken (jämfört med {ref})."


class BaseError(Exception):
    """The comparison cannot be made (exit code 2); the message is Swedish."""


@dataclass(frozen=True)
class Change:
    path: str  # relative to the handbook root, with "/"
    old_path: str | None  # where it was at the base; None for a new file


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=root, capture_output=True,
                          timeout=60, check=False)


def _names(data: bytes) -> list[str]:
    return [part.decode("utf-8", "surrogateescape") for part in data.split(b"\0") if part]


def changed_files(root: Path, ref: str) -> tuple[str, list[Change]]:
    """(merge base, the files under root changed since it); BaseError when git cannot say."""
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
    except (OSError, subprocess.SubprocessError):
        raise BaseError(NOT_GIT.format(path=root)) from None
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        raise BaseError(NOT_GIT.format(path=root))
    if ref.startswith("-") or _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise BaseError(UNKNOWN_REF.format(ref=ref))
    merge_base = _git(root, "merge-base", ref, "HEAD")
    base = merge_base.stdout.decode().strip() if merge_base.returncode == 0 else ref
    diff = _git(root, "diff", "--relative", "--name-status", "-z", "-M", base, "--", ".")
    if diff.returncode != 0:
        raise BaseError(GIT_FAILED.format(ref=ref, reason=diff.stderr.decode("utf-8", "replace").strip()))
    parts = _names(diff.stdout)
    changes: list[Change] = []
    i = 0
    while i < len(parts):
        status = parts[i]
        if status.startswith(("R", "C")):
            old, new = parts[i + 1], parts[i + 2]
            changes.append(Change(new, old if status.startswith("R") else None))
            i += 3
            continue
        name = parts[i + 1]
        if status != "D":
            changes.append(Change(name, None if status == "A" else name))
        i += 2
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    if untracked.returncode == 0:
        changes.extend(Change(name, None) for name in _names(untracked.stdout))
    return base, changes


def _old_document(root: Path, base: str, change: Change) -> Document | None:
    if change.old_path is None:
        return None
    shown = _git(root, "show", f"{base}:./{change.old_path}")
    if shown.returncode != 0:
        return None
    return load_document(change.old_path, shown.stdout)[0]


def _decided(old: Document, new: Document) -> bool:
    """A new decision, version or history line since the base."""
    if new.decision_date != old.decision_date or new.version != old.version:
        return True
    before = {(h.date, h.note, h.version) for h in old.history}
    return any((h.date, h.note, h.version) not in before for h in new.history)


def _text(doc: Document) -> str:
    return "\n".join(line.rstrip() for line in doc.body.strip().splitlines())


def changed_without_decision(root: Path, base: str, ref: str, changes: list[Change],
                             result: Result) -> list[Finding]:
    """`changed-without-decision` for each active document whose text changed without a
    new history line, version or decision date."""
    by_path = {doc.path: doc for doc in result.documents}
    found: list[Finding] = []
    for change in changes:
        doc = by_path.get(change.path)
        if doc is None or doc.status != "active" or not doc.front_matter:
            continue
        old = _old_document(root, base, change)
        if old is None or not old.front_matter or _text(old) == _text(doc) or _decided(old, doc):
            continue
        found.append(Finding("warning", CODE, doc.path, doc.body_line, CHANGED.format(ref=ref), doc.id))
    return found


def restrict_to_change(result: Result, ref: str) -> tuple[Result, str]:
    """The result for only the files the change touches, and one line about the rest."""
    base, changes = changed_files(result.root, ref)
    touched = {change.path for change in changes}
    extra = changed_without_decision(result.root, base, ref, changes, result)
    documents = [doc for doc in result.documents if doc.path in touched]
    rest = [doc for doc in result.documents if doc.path not in touched]
    findings = sorted([f for f in result.findings if f.path in touched] + extra, key=_finding_order)
    restricted = Result(result.root, result.today, result.config, result.org, documents,
                        {doc.path: result.state(doc) for doc in documents}, findings)
    rest_errors = sum(1 for f in result.findings if f.path not in touched and f.severity == "error")
    statuses = [result.state(doc).status for doc in rest]
    line = REST.format(documents=len(rest), overdue=statuses.count("overdue"),
                       due_soon=statuses.count("due-soon"), errors=rest_errors)
    if not documents and not findings:
        line = NO_CHANGE.format(ref=ref) + " " + line
    return restricted, line
