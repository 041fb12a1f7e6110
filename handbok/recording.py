"""`handbok review`: record a review that changed nothing.

For each document: `last_reviewed`, `reviewed_by`, a history line and, where the
document has an explicit `review_date`, that date moved to the next due date. The edit
is surgical (`handbok.edit`); a document that cannot be reviewed is refused with a
Swedish message and nothing at all is written (all or nothing).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .core import Result
from .edit import (
    EditError,
    HistoryItem,
    add_history,
    apply_edits,
    insert_keys,
    newest_first,
    read_front_matter,
    set_scalar,
)
from .messages import visible
from .model import Document
from .review import due_date
from .validate import _closest

__all__ = ["DEFAULT_NOTE", "Outcome", "Planned", "Refusal", "due_documents", "plan_review",
           "review_documents", "review_due", "unified_diff", "write_planned"]

DEFAULT_NOTE = "Granskad utan ändringar"

# Swedish messages of `handbok review` (one place for this feature).
UNKNOWN_ID = "Inget dokument har id {id}."
UNKNOWN_ID_GUESS = "Inget dokument har id {id}. Menade du {guess}?"
IS_DRAFT = ("{id} är ett utkast. Ett utkast granskas inte utan fastställs: sätt status: active, "
            "decided_by och decision_date när det är beslutat.")
IS_REPEALED = "{id} är upphävt och ska inte granskas. Granska dokumentet som ersatt det."
HAS_ERRORS = ("{id} ({path}) har fel i metadatan och ändras inte. Rätta först felen som "
              "`handbok check` visar:")
NOT_READABLE = "{id} ({path}) kan inte läsas och ändras inte. Rätta först felen som `handbok check` visar."
IN_FUTURE = "Granskningsdatumet {date} ligger efter dagens datum ({today}). Ange dagen då granskningen gjordes."
BEFORE_DECISION = ("{id}: granskningsdatumet {date} ligger före beslutsdatumet {decision}. En granskning "
                   "görs efter beslutet.")
BEFORE_LAST = ("{id}: granskningsdatumet {date} ligger före den senaste registrerade granskningen "
               "({last}). Datumet flyttas inte bakåt.")
ALREADY = "{id}: en granskning den {date} är redan registrerad (last_reviewed: {date})."
NO_NEXT_DATE = ("{id}: nästa revisionsdatum kan inte räknas fram (okänd dokumenttyp eller "
                "revisionsintervall), så review_date kan inte flyttas.")
CANNOT_EDIT = "{id} ({path}): {reason}"
NOTE_INVALID = "--note och --by får inte vara tomma eller innehålla radbrytningar."
DUPLICATE_ARG = "{id} anges flera gånger."
NOTHING_CHANGED = "Inget ändrades: {count} dokument kunde inte granskas."
RECORDED = "Granskning registrerad: {id} ({path}), granskad {date}{by}. Nästa revision senast {due}."
DRY_RUN_DONE = "Provkörning (--dry-run): inget har ändrats. {count} dokument skulle ändras."
NO_DUE = "Rollen {owner} har inga försenade dokument och inga som ska revideras inom {days} dagar."
UNKNOWN_ROLE = "Rollen {owner} finns inte i organisation.yml."
UNKNOWN_ROLE_GUESS = "Rollen {owner} finns inte i organisation.yml. Menade du {guess}?"


@dataclass(frozen=True)
class Planned:
    """One document's review, ready to be written."""

    doc_id: str
    path: str  # relative to the handbook root
    old: bytes
    new: bytes
    date: dt.date
    by: str | None
    next_due: dt.date | None


@dataclass(frozen=True)
class Refusal:
    doc_id: str
    message: str
    details: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What the command prints and its exit code (0 done, 1 refused, 2 could not run)."""

    code: int = 0
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)


def _one_line(text: str | None) -> bool:
    return text is None or (bool(text.strip()) and "\n" not in text and "\r" not in text)


def plan_review(result: Result, doc: Document, date: dt.date, by: str | None,
                note: str | None) -> Planned | Refusal:
    """The review of one document, or why it is refused. Reads the file; writes nothing."""
    doc_id = doc.id or doc.path
    if doc.status == "draft":
        return Refusal(doc_id, IS_DRAFT.format(id=doc_id))
    if doc.status == "repealed":
        return Refusal(doc_id, IS_REPEALED.format(id=doc_id))
    if not doc.readable or not doc.front_matter:
        return Refusal(doc_id, NOT_READABLE.format(id=doc_id, path=doc.path))
    errors = [f for f in result.findings_for(doc.path)
              if f.severity == "error" and (f.line is None or f.line < doc.body_line)]
    if errors:
        return Refusal(doc_id, HAS_ERRORS.format(id=doc_id, path=doc.path),
                       tuple(f"rad {f.line}: {f.message} [{f.code}]" if f.line else f"{f.message} [{f.code}]"
                             for f in errors))
    if date > result.today:
        return Refusal(doc_id, IN_FUTURE.format(date=date, today=result.today))
    if doc.decision_date is not None and date < doc.decision_date:
        return Refusal(doc_id, BEFORE_DECISION.format(id=doc_id, date=date, decision=doc.decision_date))
    if doc.last_reviewed is not None and date < doc.last_reviewed:
        return Refusal(doc_id, BEFORE_LAST.format(id=doc_id, date=date, last=doc.last_reviewed))
    if doc.last_reviewed == date:
        return Refusal(doc_id, ALREADY.format(id=doc_id, date=date))
    next_due = due_date(replace(doc, review_date=None, last_reviewed=date), result.org.types)
    if doc.review_date is not None and next_due is None:
        return Refusal(doc_id, NO_NEXT_DATE.format(id=doc_id))
    reviewer = by if by is not None else _default_reviewer(result, doc)
    try:
        old = (result.root / doc.path).read_bytes()
        new = _edit(old, date, reviewer, note or DEFAULT_NOTE,
                    next_due if doc.review_date is not None else None)
    except EditError as exc:
        return Refusal(doc_id, CANNOT_EDIT.format(id=doc_id, path=doc.path, reason=exc))
    except OSError as exc:
        return Refusal(doc_id, CANNOT_EDIT.format(id=doc_id, path=doc.path, reason=exc.strerror or exc))
    return Planned(doc_id, doc.path, old, new, date, reviewer, next_due)


def _default_reviewer(result: Result, doc: Document) -> str | None:
    """The holder of the owner's role, else the role itself."""
    role = (result.org.roles or {}).get(doc.owner or "")
    if role is not None and role.holder:
        return role.holder
    return doc.owner


_LAST_REVIEWED_AFTER = ("review_date", "review_interval", "valid_from", "decision_ref", "decision_date")


def _edit(data: bytes, date: dt.date, by: str | None, note: str, review_date: dt.date | None) -> bytes:
    """The document's bytes with the review recorded (see handbok.edit)."""
    fm = read_front_matter(data)
    iso = date.isoformat()
    edits = []
    expected: dict[str, Any] = {"last_reviewed": iso}
    new_keys: list[tuple[str, str]] = []
    if "last_reviewed" in fm.keys:
        edits.append(set_scalar(fm, "last_reviewed", iso))
    else:
        new_keys.append(("last_reviewed", iso))
    if by is not None:
        expected["reviewed_by"] = by
        if "reviewed_by" in fm.keys:
            edits.append(set_scalar(fm, "reviewed_by", by))
        elif "last_reviewed" in fm.keys:
            edits.append(insert_keys(fm, [("reviewed_by", by)], ("last_reviewed",)))
        else:
            new_keys.append(("reviewed_by", by))
    if new_keys:
        edits.append(insert_keys(fm, new_keys, _LAST_REVIEWED_AFTER))
    if review_date is not None:
        edits.append(set_scalar(fm, "review_date", review_date.isoformat()))
        expected["review_date"] = review_date.isoformat()
    item = HistoryItem(iso, note)
    edits.append(add_history(fm, item))
    history = fm.values.get("history")
    entry = {"date": iso, "note": note}
    if not isinstance(history, list) or not history:
        expected["history"] = [entry]
    elif newest_first(history):
        expected["history"] = [entry, *history]
    else:
        expected["history"] = [*history, entry]
    return apply_edits(fm, edits, expected)


def due_documents(result: Result, owner: str) -> list[Document]:
    """The owner's overdue and due-soon documents, most overdue first."""
    docs = [d for d in result.documents
            if d.owner == owner and result.state(d).status in ("overdue", "due-soon")]
    return sorted(docs, key=lambda d: (result.state(d).days_left or 0, d.path))


def unified_diff(planned: Planned) -> str:
    """The change as a unified diff, for --dry-run (control characters written out)."""
    old = planned.old.decode("utf-8-sig").splitlines()
    new = planned.new.decode("utf-8-sig").splitlines()
    lines = difflib.unified_diff(old, new, f"a/{planned.path}", f"b/{planned.path}", lineterm="", n=2)
    return "\n".join(visible(line) for line in lines) + "\n"


def write_planned(root: Path, planned: Planned) -> None:
    """Write one document: through a temporary file in the same folder, then a rename, so
    that a crash never leaves half a file. The file keeps its permissions."""
    target = (root / planned.path).resolve()
    mode = target.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=".handbok-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(planned.new)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def review_documents(result: Result, ids: list[str], date: dt.date, by: str | None, note: str | None,
                     dry_run: bool) -> Outcome:
    """Plan every review; write them all only if none is refused."""
    out = Outcome()
    if not _one_line(by) or not _one_line(note):
        out.err.append(NOTE_INVALID)
        out.code = 2
        return out
    by_id = result.by_id()
    planned: list[Planned] = []
    refused: list[Refusal] = []
    seen: set[str] = set()
    for doc_id in ids:
        if doc_id in seen:
            refused.append(Refusal(doc_id, DUPLICATE_ARG.format(id=doc_id)))
            continue
        seen.add(doc_id)
        doc = by_id.get(doc_id)
        if doc is None:
            guess = _closest(doc_id, by_id)
            refused.append(Refusal(doc_id, (UNKNOWN_ID_GUESS if guess else UNKNOWN_ID).format(
                id=doc_id, guess=guess)))
            continue
        plan = plan_review(result, doc, date, by, note)
        (planned if isinstance(plan, Planned) else refused).append(plan)  # type: ignore[arg-type]
    if refused:
        for refusal in refused:
            out.err.append(visible(refusal.message))
            out.err.extend("  " + visible(detail) for detail in refusal.details)
        out.err.append(NOTHING_CHANGED.format(count=len(refused)))
        out.code = 1
        return out
    for plan in planned:
        if dry_run:
            out.out.append(unified_diff(plan).rstrip("\n"))
            continue
        write_planned(result.root, plan)
        out.out.append(visible(RECORDED.format(
            id=plan.doc_id, path=plan.path, date=plan.date, by=f" av {plan.by}" if plan.by else "",
            due=plan.next_due or "okänt")))
    if dry_run:
        out.out.append(DRY_RUN_DONE.format(count=len(planned)))
    return out


def review_due(result: Result, owner: str, date: dt.date, by: str | None, note: str | None,
               dry_run: bool) -> Outcome:
    """`review --due --owner ROLL`: every overdue or due-soon document of one owner."""
    roles = result.org.roles
    if roles is not None and owner not in roles:
        guess = _closest(owner, roles)
        out = Outcome(code=2)
        out.err.append(visible((UNKNOWN_ROLE_GUESS if guess else UNKNOWN_ROLE).format(owner=owner, guess=guess)))
        return out
    docs = due_documents(result, owner)
    if not docs:
        return Outcome(out=[visible(NO_DUE.format(owner=owner, days=result.config.warn_days))])
    return review_documents(result, [d.id for d in docs if d.id], date, by, note, dry_run)
