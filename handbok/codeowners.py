"""Owners approve changes to their documents: CODEOWNERS for GitHub and GitLab from the
roles' `git` handles, `az repos policy required-reviewer` commands for Azure DevOps, and
the check's findings `codeowners-stale` and `owner-without-git`.

Paths in CODEOWNERS are relative to the repository; when the handbook lies in a folder
of it, that folder (from `git rev-parse --show-prefix`) comes first.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections import defaultdict
from pathlib import Path

from .files import Root
from .model import Document, Finding, Organisation

__all__ = ["CODEOWNERS_PLACES", "FORMATS", "azure_commands", "check_codeowners", "codeowners_text",
           "existing_codeowners", "expected_owners", "git_prefix", "write_codeowners"]

FORMATS = ("github", "gitlab", "azure")
# Where GitHub and GitLab look for the file (the first one found is used); inside the handbook.
CODEOWNERS_PLACES = (".github/CODEOWNERS", ".gitlab/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
DEFAULT_PLACE = {"github": ".github/CODEOWNERS", "gitlab": ".gitlab/CODEOWNERS"}
MAX_BYTES = 512 * 1024

# Swedish messages (one place for this feature).
HEADER = (
    "# Skapad av `handbok codeowners`: den dokumentansvariga rollen godkänner ändringar i sina\n"
    "# dokument. Ändra inte för hand: ändra git för rollen i data/organisation.yml och kör\n"
    "# handbok codeowners --write.\n"
)
STALE = ("{path} stämmer inte längre med dokumentens ägare ({count} rader skiljer, t.ex. {examples}). "
         "Kör `handbok codeowners --write` så att rätt person ombeds godkänna ändringar.")
WITHOUT_GIT = ("Rollen {role} äger {count} dokument men har inget git-användarnamn, så ingen ombeds "
               "godkänna ändringar i dem. Ange git: \"@användarnamn\" för rollen i organisation.yml.")
NO_HANDLES = "Ingen dokumentansvarig roll har git eller email i organisation.yml; det finns inget att skriva."
WROTE = "Skrev {path} ({count} dokument)."
AZURE_INTRO = (
    "# Azure Repos har ingen CODEOWNERS-fil: kör kommandona (Azure CLI med tillägget azure-devops)\n"
    "# för att kräva att den dokumentansvariga godkänner ändringar. Ersätt REPO_ID med förrådets id\n"
    "# (az repos show --repository NAMN --query id).\n"
)
AZURE_MESSAGE = "Dokumentansvarig ({title}) godkänner ändringar i sina dokument."


def git_prefix(root: Path) -> str:
    """The handbook's folder inside its git repository, e.g. 'handbooks/ifo/' ('' when none)."""
    try:
        run = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root, capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return run.stdout.strip() if run.returncode == 0 else ""


def _escape(path: str) -> str:
    """A path as a CODEOWNERS pattern: anchored, spaces and a leading # escaped."""
    return "/" + re.sub(r"([ \\#])", r"\\\1", path)


def expected_owners(documents: list[Document], org: Organisation, prefix: str = "") -> dict[str, tuple[str, ...]]:
    """Repository path -> the handles that must approve a change to it."""
    out: dict[str, tuple[str, ...]] = {}
    for doc in sorted(documents, key=lambda d: d.path):
        role = (org.roles or {}).get(doc.owner or "")
        if role is not None and role.git:
            out[prefix + doc.path] = tuple(role.git.split())
    return out


def codeowners_text(documents: list[Document], org: Organisation, prefix: str = "") -> str:
    """The CODEOWNERS file (GitHub and GitLab read the same syntax)."""
    lines = [f"{_escape(path)} {' '.join(handles)}"
             for path, handles in expected_owners(documents, org, prefix).items()]
    return HEADER + "\n" + "\n".join(lines) + ("\n" if lines else "")


def azure_commands(documents: list[Document], org: Organisation, prefix: str = "", branch: str = "main") -> str:
    """`az repos policy required-reviewer create` per owner role, with path filters."""
    paths: dict[str, list[str]] = defaultdict(list)
    for doc in sorted(documents, key=lambda d: d.path):
        if doc.owner and doc.owner in (org.roles or {}):
            paths[doc.owner].append("/" + prefix + doc.path)
    out = [AZURE_INTRO]
    for key in sorted(paths):
        role = (org.roles or {})[key]
        reviewer = role.email or (role.git or "").lstrip("@")
        if not reviewer:
            continue
        out.append(" ".join([
            "az repos policy required-reviewer create",
            "--repository-id REPO_ID",
            f"--branch {shlex.quote(branch)}",
            "--blocking true --enabled true",
            f"--required-reviewer-ids {shlex.quote(reviewer)}",
            f"--path-filter {shlex.quote(';'.join(paths[key]))}",
            f"--message {shlex.quote(AZURE_MESSAGE.format(title=role.title))}",
        ]))
    return "\n".join(out) + "\n"


def existing_codeowners(root: Path) -> str | None:
    """The handbook's CODEOWNERS path (relative), the first GitHub or GitLab would use."""
    for place in CODEOWNERS_PLACES:
        if os.path.lexists(root / place):
            return place
    return None


def write_codeowners(root: Path, documents: list[Document], org: Organisation, fmt: str) -> tuple[Path, int]:
    """Write CODEOWNERS where it already is, else in `.github/` or `.gitlab/`."""
    place = existing_codeowners(root) or DEFAULT_PLACE[fmt]
    target = root / place
    if target.is_symlink() or not Root(root).inside(target.parent if not target.exists() else target):
        raise OSError(f"{place} pekar utanför handboken")
    prefix = git_prefix(root)
    text = codeowners_text(documents, org, prefix)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")
    return target, len(expected_owners(documents, org, prefix))


def _parse(text: str) -> dict[str, tuple[str, ...]]:
    rules: dict[str, tuple[str, ...]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or (line.startswith("[") and not line.startswith("[\\")):
            continue
        parts = re.split(r"(?<!\\)\s+", line)
        pattern = re.sub(r"\\(.)", r"\1", parts[0])
        rules[pattern.lstrip("/")] = tuple(p for p in parts[1:] if not p.startswith("#"))
    return rules


def check_codeowners(root: Path, documents: list[Document], org: Organisation, routines_dir: str,
                     data_dir: str, max_file_kb: int) -> list[Finding]:
    """`codeowners-stale` and `owner-without-git`, only when the handbook has a CODEOWNERS file."""
    place = existing_codeowners(root)
    if place is None or org.roles is None:
        return []
    data = Root(root).read(root / place, min(max_file_kb * 1024, MAX_BYTES))
    if isinstance(data, Finding):
        return [data]
    text = data.decode("utf-8", "replace")
    findings: list[Finding] = []
    prefix = git_prefix(root)
    expected = expected_owners(documents, org, prefix)
    actual = {path: owners for path, owners in _parse(text).items()
              if path.startswith(f"{prefix}{routines_dir}/")}
    differ = sorted(path for path in set(expected) | set(actual)
                    if tuple(sorted(expected.get(path, ()))) != tuple(sorted(actual.get(path, ()))))
    if differ:
        examples = ", ".join(differ[:3])
        findings.append(Finding("warning", "codeowners-stale", place, None,
                                STALE.format(path=place, count=len(differ), examples=examples)))
    counts: dict[str, int] = defaultdict(int)
    for doc in documents:
        role = org.roles.get(doc.owner or "")
        if role is not None and not role.git:
            counts[role.key] += 1
    for key in sorted(counts):
        findings.append(Finding("info", "owner-without-git", f"{data_dir}/organisation.yml", None,
                                WITHOUT_GIT.format(role=key, count=counts[key]), field="git"))
    return findings
