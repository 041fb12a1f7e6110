"""`handbok new`: start a document as a draft, with the next free id and the body
sections its type needs.

The id follows the handbook's own pattern, learnt from the existing ids of the same
type and unit (`EB-RUT-012` after `EB-RUT-011`). The body comes from a template per
type: the handbook's `data/templates/<typ>.md` if there is one, else the package's.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

from .core import Result, unit_of
from .edit import scalar
from .files import Root
from .load import decode
from .model import Document, Finding
from .validate import _closest

__all__ = ["TYPE_CODES", "NewDocument", "NewError", "create_document", "next_id", "plan_document",
           "slug", "template_for"]

# The id's type code when no document of the type exists yet.
TYPE_CODES = {
    "policy": "POL",
    "riktlinje": "RIK",
    "delegationsordning": "DEL",
    "processbeskrivning": "PRO",
    "rutin": "RUT",
    "instruktion": "INS",
    "checklista": "CHK",
    "mall": "MALL",
}
GENERIC_TEMPLATE = "dokument"
TEMPLATES_DIR = "templates"

# Swedish messages of `handbok new` (one place for this feature).
UNKNOWN_TYPE = "Dokumenttypen {value} finns inte. Välj en av: {choices}."
UNKNOWN_TYPE_GUESS = "Dokumenttypen {value} finns inte. Menade du {guess}?"
UNKNOWN_ROLE = "Rollen {value} finns inte i organisation.yml."
UNKNOWN_ROLE_GUESS = "Rollen {value} finns inte i organisation.yml. Menade du {guess}?"
UNKNOWN_UNIT = "Enheten {value} finns inte i organisation.yml."
UNKNOWN_UNIT_GUESS = "Enheten {value} finns inte i organisation.yml. Menade du {guess}?"
UNKNOWN_STEP = "Processen eller steget {value} finns inte i processes.yml."
UNKNOWN_STEP_GUESS = "Processen eller steget {value} finns inte i processes.yml. Menade du {guess}?"
EMPTY_TITLE = "Titeln får inte vara tom eller innehålla radbrytningar."
BAD_ID = "Id:t {value} går inte att använda: bara bokstäver, siffror, punkt, understreck och bindestreck."
ID_TAKEN = "Id:t {value} används redan av {path}."
TEMPLATE_UNREADABLE = "Mallen {path} kan inte läsas: {reason}"
WRITTEN = "Skapade {path} ({id}, utkast). Fyll i texten och fälten, och sätt status: active när dokumentet är fastställt."

_NUMBERED = re.compile(r"^(.*?)(\d+)$")
_ID_OK = re.compile(r"[A-Za-z0-9._-]+")


class NewError(Exception):
    """The document cannot be created; the message is Swedish."""


@dataclass(frozen=True)
class NewDocument:
    id: str
    path: str  # relative to the handbook root
    text: str


def _numbered(doc_id: str) -> tuple[str, int, int] | None:
    """(stem, number, digits) of an id such as EB-RUT-012 -> ("EB-RUT-", 12, 3)."""
    match = _NUMBERED.match(doc_id)
    if not match:
        return None
    return match.group(1), int(match.group(2)), len(match.group(2))


def _most_common(values: list[str]) -> str | None:
    if not values:
        return None
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in reversed(values) if counts[v] == best)  # ties: the latest written


def next_id(result: Result, doc_type: str, unit: str | None) -> str:
    """The next free id for a document of `doc_type` in `unit`, in the handbook's pattern."""
    numbered = [(doc, parts) for doc in result.documents if doc.id and (parts := _numbered(doc.id))]
    same = [parts[0] for doc, parts in numbered if doc.type == doc_type and unit_of(doc, result.org) == unit]
    stem = _most_common(same)
    if stem is None:
        unit_prefixes = [parts[0].split("-")[0] for doc, parts in numbered
                         if unit is not None and unit_of(doc, result.org) == unit and parts[0].count("-") >= 2]
        type_codes = [parts[0].rstrip("-").split("-")[-1] for doc, parts in numbered
                      if doc.type == doc_type and parts[0].endswith("-")]
        unit_prefix = _most_common(unit_prefixes)
        type_code = _most_common(type_codes) or TYPE_CODES.get(doc_type) or _code(doc_type)
        stem = f"{unit_prefix}-{type_code}-" if unit_prefix else f"{type_code}-"
    taken = {doc.id.casefold() for doc in result.documents if doc.id}
    same_stem = [parts for _, parts in numbered if parts[0].casefold() == stem.casefold()]
    number = max((n for _, n, _ in same_stem), default=0) + 1
    width = max((w for _, _, w in same_stem), default=3)
    while f"{stem}{number:0{width}d}".casefold() in taken:
        number += 1
    return f"{stem}{number:0{width}d}"


def _code(doc_type: str) -> str:
    letters = re.sub(r"[^A-Za-z]", "", _ascii(doc_type))
    return (letters[:3] or "DOK").upper()


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slug(title: str) -> str:
    """A file name from a title: `Anvisning till AME` -> `anvisning-till-ame`."""
    text = _ascii(title.lower())
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:60].rstrip("-")


def template_for(root: Path | None, data_dir: str, doc_type: str) -> str:
    """The body template of a type: the handbook's data/templates/<typ>.md (unless root
    is None), else the package's, else the package's generic one."""
    for name in (doc_type, GENERIC_TEMPLATE):
        rel = f"{data_dir}/{TEMPLATES_DIR}/{name}.md"
        if root is not None and ((path := root / rel).is_file() or path.is_symlink()):
            handbook = Root(root)
            data = handbook.read(path, 256 * 1024)
            if isinstance(data, Finding):
                raise NewError(TEMPLATE_UNREADABLE.format(path=rel, reason=data.message))
            text = decode(data)
            if text is None:
                raise NewError(TEMPLATE_UNREADABLE.format(path=rel, reason="filen är inte UTF-8"))
            return text
        shipped = resources.files("handbok") / "data" / TEMPLATES_DIR / f"{name}.md"
        if shipped.is_file():
            return shipped.read_text(encoding="utf-8")
    raise NewError(TEMPLATE_UNREADABLE.format(path=f"{TEMPLATES_DIR}/{GENERIC_TEMPLATE}.md", reason="saknas"))


def _folder(result: Result, stem: str, unit: str | None) -> str:
    """Where documents with this id stem live, else those of the unit, else routines/<unit>."""
    routines = result.config.routines_dir
    def parent(doc: Document) -> str:
        return str(PurePosixPath(doc.path).parent)
    by_stem = [parent(d) for d in result.documents
               if d.id and (parts := _numbered(d.id)) and parts[0].casefold() == stem.casefold()]
    by_unit = [parent(d) for d in result.documents if unit is not None and unit_of(d, result.org) == unit]
    found = _most_common(by_stem) or _most_common(by_unit)
    if found:
        return found
    return f"{routines}/{unit}" if unit else routines


def _check_choice(value: str | None, choices: dict[str, object] | None, plain: str, guessed: str) -> None:
    if value is None or choices is None or value in choices:
        return
    guess = _closest(value, choices)
    raise NewError((guessed if guess else plain).format(value=value, guess=guess))


def plan_document(result: Result, doc_type: str, title: str, owner: str | None = None,
                  unit: str | None = None, process: str | None = None,
                  doc_id: str | None = None) -> NewDocument:
    """The new document's id, path and text; NewError when an option names nothing."""
    org = result.org
    if not title.strip() or "\n" in title or "\r" in title:
        raise NewError(EMPTY_TITLE)
    title = title.strip()
    if doc_type not in org.types:
        guess = _closest(doc_type, org.types)
        raise NewError(UNKNOWN_TYPE_GUESS.format(value=doc_type, guess=guess) if guess
                       else UNKNOWN_TYPE.format(value=doc_type, choices=", ".join(org.types)))
    _check_choice(owner, org.roles, UNKNOWN_ROLE, UNKNOWN_ROLE_GUESS)  # type: ignore[arg-type]
    _check_choice(unit, org.units, UNKNOWN_UNIT, UNKNOWN_UNIT_GUESS)  # type: ignore[arg-type]
    if process is not None and org.processes is not None:
        keys = {**org.processes, **org.steps()}
        _check_choice(process, keys, UNKNOWN_STEP, UNKNOWN_STEP_GUESS)  # type: ignore[arg-type]
    role = (org.roles or {}).get(owner or "")
    if unit is None and role is not None:
        unit = role.unit
    if doc_id is None:
        doc_id = next_id(result, doc_type, unit)
    elif not _ID_OK.fullmatch(doc_id):
        raise NewError(BAD_ID.format(value=doc_id))
    else:
        clash = next((d for d in result.documents if d.id and d.id.casefold() == doc_id.casefold()), None)
        if clash is not None:
            raise NewError(ID_TAKEN.format(value=doc_id, path=clash.path))
    parts = _numbered(doc_id)
    folder = _folder(result, parts[0] if parts else doc_id, unit)
    name = slug(title) or slug(doc_id) or "dokument"
    taken = {d.path.casefold() for d in result.documents}
    path, n = f"{folder}/{name}.md", 1
    while path.casefold() in taken or (result.root / path).exists():
        n += 1
        path = f"{folder}/{name}-{n}.md"
    lines = [
        "---",
        f"id: {doc_id}",
        f"title: {scalar(title)}",
        f"type: {doc_type}",
        "status: draft            # sätt active när dokumentet är fastställt",
        f"owner: {owner}" if owner else "owner:                   # dokumentansvarig roll, t.ex. en enhetschef",
        "decided_by:              # roll eller organ som fastställer dokumentet",
        "decision_date:           # datum för beslutet, ÅÅÅÅ-MM-DD",
    ]
    if unit:
        lines.append(f"unit: {unit}")
    if process:
        lines.append(f"processes: [{process}]")
    lines += ["requirements: []         # t.ex. [sosfs-2011-9/4-4]", "---", "", ""]
    template = template_for(result.root, result.config.data_dir, doc_type)
    body = template.replace("{{ title }}", title).replace("{{ id }}", doc_id)
    return NewDocument(doc_id, path, "\n".join(lines) + body.lstrip("\n"))


def create_document(result: Result, new: NewDocument) -> Path:
    """Write the planned document; never overwrites a file."""
    target = result.root / new.path
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as out:
        out.write(new.text if new.text.endswith("\n") else new.text + "\n")
    return target
