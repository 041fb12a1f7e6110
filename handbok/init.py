"""`handbok init`: a new handbook that passes `handbok check --fail-on error` and
builds with `mkdocs build` at once (content in `handbok.scaffold`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from .edit import double_quoted
from .new import template_for
from .remind_ci import REMIND_CI
from .scaffold import CI_FILES, DOCUMENTS, FILES

__all__ = ["CI_CHOICES", "InitError", "init_handbook", "planned_files"]

CI_CHOICES = ("github", "gitlab", "azure", "none")
DEFAULT_KOMMUN = "kommunen"
GUIDE = "docs/guide/skriva-styrdokument.md"
# Pinned in the new handbook's requirements.txt, at the versions installed now.
PINNED = ("handbok", "mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "PyYAML", "Markdown", "nh3", "click")

# Swedish messages of `handbok init` (one place for this feature).
NOT_EMPTY = "Mappen {path} är inte tom. Ange en ny eller tom mapp; handbok init skriver aldrig över filer."
NOT_A_FOLDER = "{path} är en fil, inte en mapp."
BAD_KOMMUN = "--kommun ska vara ett namn på en rad, högst 100 tecken."
DONE = "Skapade en ny handbok i {path} ({count} filer)."
NEXT_STEPS = ("Nästa steg: läs {path}/README.md, fyll i data/organisation.yml och kör "
              "`handbok check {path}` och `mkdocs serve --dirty -f {path}/mkdocs.yml`.")


class InitError(Exception):
    """The handbook cannot be created; the message is Swedish."""


@dataclass(frozen=True)
class _Values:
    kommun: str
    today: dt.date


def _fill(text: str, values: _Values) -> str:
    return (text.replace("{{ kommun_yaml }}", double_quoted(f"Kvalitetshandbok för {values.kommun}"))
            .replace("{{ organisation_yaml }}", double_quoted(values.kommun))
            .replace("{{ kommun }}", values.kommun)
            .replace("{{ today }}", values.today.isoformat())
            .replace("{{ version }}", _version("handbok") or "0")
            .replace("{{ pins }}", _pins()))


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _pins() -> str:
    return "\n".join(f"{name}=={version}" for name in PINNED if (version := _version(name)))


def _draft(path: str, doc_id: str, title: str, doc_type: str, owner: str, decided_by: str,
           process: str, requirement: str) -> str:
    lines = ["---", f"id: {doc_id}", f"title: {title}", f"type: {doc_type}",
             "status: draft            # sätt active när dokumentet är fastställt",
             f"owner: {owner}", f"decided_by: {decided_by}",
             "decision_date:           # datum för beslutet, ÅÅÅÅ-MM-DD"]
    if process:
        lines.append(f"processes: [{process}]")
    lines.append(f"requirements: [{requirement}]" if requirement else "requirements: []")
    lines += ["---", "", ""]
    body = template_for(None, "data", doc_type)  # the shipped templates.replace("{{ title }}", title).replace("{{ id }}", doc_id)
    return "\n".join(lines) + body


def planned_files(kommun: str, ci: str, today: dt.date) -> dict[str, str]:
    """Relative path -> text of every file `init` writes."""
    values = _Values(kommun, today)
    files = {path: _fill(text, values) for path, text in FILES.items()}
    guide = resources.files("handbok") / "data" / "guide" / "skriva-styrdokument.md"
    files[GUIDE] = guide.read_text(encoding="utf-8")
    for path, doc_id, title, doc_type, owner, decided_by, process, requirement in DOCUMENTS:
        files[path] = _draft(path, doc_id, title, doc_type, owner, decided_by, process, requirement)
    if ci in CI_FILES:
        path, text = CI_FILES[ci]
        files[path] = text
        path, text = REMIND_CI[ci]  # the monthly reminders, off until turned on
        files[path] = text
    return files


def init_handbook(target: Path, kommun: str | None, ci: str, today: dt.date) -> list[Path]:
    """Write a new handbook into `target` (created if missing; refused unless empty)."""
    name = (kommun or DEFAULT_KOMMUN).strip()
    if not name or len(name) > 100 or any(c in name for c in "\r\n\t") or not name.isprintable():
        raise InitError(BAD_KOMMUN)
    if target.exists() and not target.is_dir():
        raise InitError(NOT_A_FOLDER.format(path=target))
    if target.is_dir() and any(target.iterdir()):
        raise InitError(NOT_EMPTY.format(path=target))
    files = planned_files(name, ci, today)
    written: list[Path] = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as out:  # never overwrite
            out.write(text)
        written.append(path)
    return written
