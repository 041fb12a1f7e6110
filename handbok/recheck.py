"""A check after only routine bodies changed: the last result, those documents' body
findings computed again.

A manager saves a routine and commits; the pre-commit hook checks the handbook again.
Nothing but that routine's text has changed, yet a whole check reads all 10,000
documents from the cache and runs every rule over them. What can the change of a
body alone change? Only the findings of `core.BODY_RULES` about that document, and
those look at the other documents only through their paths, ids, status, visibility
and whether they could be read. So:

1. After a whole check with the cache (`keep`), its result is kept beside the answers
   (`handbok.answer`) in `.cache/handbok/result-*.bin`: every entry under the root as
   the answer's signature lists it (`Pending.entries`; files changed in the two seconds
   before, with their content hash), each document's row of the JSON contract, its
   review state and the digest of everything read from its file but the body
   (`front_digest`: the hash of its front matter's text, from which every field comes,
   its title and the findings of reading it), and every finding with the rule it came
   from (`Result.rules`).
2. The next check (`recheck`) compares the entries under the root, one by one, with the
   kept ones (a file that was racy then is compared by content again). When the only
   differences are routine files (`.md` in `routines_dir`, regular files before and
   after, the same names everywhere) and folders' times, and each of those files, read
   again, has the digest it had, then only bodies changed. Their documents get the
   findings of BODY_RULES again (`core.body_rule_findings`, the other documents as the
   kept rows describe them); every other finding is the kept one. Sorted by the rule
   they come from in a tie, as a whole check sorts, the result is exactly that of a
   whole check, in every format.
3. Anything else (a file added, removed or renamed, front matter, a title taken from a
   heading, data/, mkdocs.yml, docs/, an attachment, a link, permissions, another tool,
   day or `--warn-days`, more than `_MAX_CHANGED` files) and a damaged or foreign file:
   `recheck` gives None and the check is a whole one, which keeps its result.

The kept result is the base of every later recheck until the next whole check: a
routine edited and edited back is compared with the same base each time. It is JSON
with a checksum, never pickle, read only from a `.cache/handbok` of real folders.
Only the command line uses it (a site build needs every document anyway).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from bisect import insort
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .answer import _FOLDER, _plain_folder, _prune, _remove, open_kept, result_name, write_kept
from .cache import config_key
from .core import BODY_RULES, DOCUMENT_KEYS, RULES, _finding_order, body_rule_findings, document_row
from .files import Root
from .load import load_document
from .model import Document, Finding, ReviewState
from .organisation import load_organisation

if TYPE_CHECKING:
    from .answer import Pending
    from .core import Config, Result

__all__ = ["front_digest", "keep", "recheck"]

_MAX_CHANGED = 64  # routine files read and rendered again; more: a whole check
_LOAD = RULES.index("load")


def front_digest(doc: Document, found: list[Finding]) -> str:
    """Everything a check takes from a document's file but its body: the hash of its front
    matter's text (every field comes from it), the title (perhaps the body's first
    heading), where the body starts, whether the file could be read, and the findings of
    reading it (in any order)."""
    text = repr((doc.front_hash, doc.title, doc.body_line, doc.front_matter, doc.readable, sorted(map(repr, found))))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _name(pending: Pending) -> str:
    return result_name(pending.result_key)


# ------------------------------------------------------------------ keeping

def keep(pending: Pending, result: Result) -> None:
    """Keep the result of a whole check with the cache (its `rules` set), for `recheck`.
    Written as it is made (a few MB at 10,000 documents); nothing is said when it
    cannot be written."""
    if len(result.rules) != len(result.findings) or not pending.entries or not _plain_folder(pending.root):
        return
    folder = os.path.join(pending.root, *_FOLDER)
    temp = os.path.join(folder, f".{_name(pending)}.{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with open(fd, "wb") as out:
            size, checksum = _write(out, _payload(pending, result))
            write_kept(out, {"key": pending.result_key, "racy": pending.racy, "size": size, "checksum": checksum})
        os.replace(temp, os.path.join(folder, _name(pending)))
        _prune(folder)
    except OSError:
        _remove(temp)


def _payload(pending: Pending, result: Result) -> Iterator[str]:
    """The kept result as JSON text: [entries, racy files, day, options, document rows,
    finding rows, their messages] (`_recheck`'s arguments)."""
    read: dict[str, list[Finding]] = {}
    for f, rule in zip(result.findings, result.rules, strict=True):
        if rule == _LOAD:
            read.setdefault(f.path, []).append(f)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    yield f"[{dumps(pending.entries)},{dumps(pending.racy)},{dumps(result.today.isoformat())}," \
          f"{dumps(_config(result.config))},["
    org = result.org
    rows = ([*document_row(doc, result.state(doc), org), doc.status, doc.visibility, doc.readable,
             doc.front_matter, front_digest(doc, read.get(doc.path, []))] for doc in result.documents)
    yield from _batches(dumps, rows)
    yield "],["
    messages: dict[str, int] = {}  # a few hundred different ones among tens of thousands of findings
    yield from _batches(dumps, ([f.severity, f.code, f.path, f.line, messages.setdefault(f.message, len(messages)),
                                 f.document, f.field, rule]
                                for f, rule in zip(result.findings, result.rules, strict=True)))
    yield f"],{dumps(list(messages))}]"


def _batches(dumps: Callable[[Any], str], rows: Iterator[list[Any]]) -> Iterator[str]:
    """The rows as the items of a JSON array, a thousand at a time (one call of the encoder
    each, and never all of them at once in memory)."""
    first = True
    while batch := list(islice(rows, 1000)):
        yield dumps(batch)[1:-1] if first else "," + dumps(batch)[1:-1]
        first = False


def _write(out: BinaryIO, parts: Iterator[str]) -> tuple[int, str]:
    """Write text a megabyte at a time; its size in bytes and checksum."""
    digest = hashlib.blake2b(digest_size=20)
    size = 0
    batch: list[str] = []
    held = 0
    for part in parts:
        batch.append(part)
        held += len(part)
        if held >= 1 << 20:
            size += _flush(out, digest, batch)
            held = 0
    size += _flush(out, digest, batch)
    return size, digest.hexdigest()


def _flush(out: BinaryIO, digest: Any, batch: list[str]) -> int:
    data = "".join(batch).encode("utf-8", "surrogatepass")
    batch.clear()
    digest.update(data)
    out.write(data)
    return len(data)


def _config(config: Config) -> list[Any]:
    return [config.routines_dir, config.data_dir, config.docs_dir, config.warn_days,
            config_key(config.max_file_kb, config.markdown_extensions, config.mdx_configs, config.render_timeout)]


def _load(pending: Pending) -> list[Any] | None:
    """The kept result's payload, when its file is whole and for these inputs."""
    if not _plain_folder(pending.root, make=False):
        return None
    kept = open_kept(os.path.join(pending.root, *_FOLDER, _name(pending)))
    if kept is None:
        return None
    header, fd = kept
    try:
        if header["key"] != pending.result_key:
            return None
        payload = os.pread(fd, header["size"], 0)
        if len(payload) != header["size"] or \
                hashlib.blake2b(payload, digest_size=20).hexdigest() != header["checksum"]:
            return None
        data = json.loads(payload)
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(fd)
    if not isinstance(data, list) or len(data) != 7 or data[1] != header["racy"]:
        return None  # the racy files compared again (`answer.lookup`) are those it was kept with
    return data


# ------------------------------------------------------------------ checking again

def recheck(root: Path, today: dt.date, config: Config, pending: Pending) -> Result | None:
    """The result of a whole check of the handbook at `root`, put together from the kept
    one when only routine bodies changed since; None when that cannot be shown."""
    data = _load(pending)
    if data is None:
        return None
    try:
        return _recheck(root, today, config, pending, *data)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):  # a payload not of our making
        return None


def _recheck(root: Path, today: dt.date, config: Config, pending: Pending, entries: dict[str, str],
             racy: list[str], day: str, options: list[Any], rows: list[list[Any]],
             kept: list[list[Any]], messages: list[str]) -> Result | None:
    from .core import Result

    if day != today.isoformat() or options != _config(config):
        return None
    changed = _changed(entries, pending.entries, config.routines_dir)
    if changed is None:
        return None
    at = {row[1]: i for i, row in enumerate(rows)}
    handbook = Root(root)
    fresh: dict[str, Document] = {}
    for rel in changed:
        if rel not in at:
            return None
        data = handbook.read(root / rel, config.max_file_kb * 1024, rel=rel)
        doc, found = (Document(path=rel, readable=False), [data]) if isinstance(data, Finding) \
            else load_document(rel, data)
        if front_digest(doc, found) != rows[at[rel]][-1]:
            return None
        fresh[rel] = doc
    org, _ = load_organisation(root, config.data_dir, config.max_file_kb)  # its findings are kept
    date = {text: dt.date.fromisoformat(text) for text in {t for row in rows for t in row[7:10] if t is not None}}
    date[None] = None  # type: ignore[index]
    documents: list[Document] = []
    states: dict[str, ReviewState] = {}
    for row in rows:
        (id_, path, title, type_, owner, unit, decided_by, decision_date, last_reviewed, due, review_status,
         days_left, status, visibility, readable, front_matter, _) = row
        state = states[path] = ReviewState(date[due], review_status, days_left)
        doc = fresh.get(path)  # else the document as far as formats and BODY_RULES look at it:
        if doc is None:  # its unit as the JSON shows it (its own, else its owner's)
            doc = Document(path=path, id=id_, title=title, type=type_, owner=owner, unit=unit, decided_by=decided_by,
                           decision_date=date[decision_date], last_reviewed=date[last_reviewed], status=status,
                           visibility=visibility, readable=readable, front_matter=front_matter)
        elif document_row(doc, state, org) != tuple(row[:len(DOCUMENT_KEYS)]):
            return None
        documents.append(doc)
    again = body_rule_findings(root, config, documents, list(fresh.values())) if fresh else []
    pairs = [(Finding(f[0], f[1], f[2], f[3], messages[f[4]], f[5], f[6]), f[7]) for f in kept
             if not (f[2] in fresh and f[7] in BODY_RULES)]
    for pair in again:  # after those of the same order and rule: a whole check made them later
        insort(pairs, pair, key=_order)
    return Result(root, today, config, org, documents, states, [f for f, _ in pairs],
                  rules=bytes(rule for _, rule in pairs))


def _order(pair: tuple[Finding, int]) -> tuple[Any, ...]:
    return (*_finding_order(pair[0]), pair[1])


def _changed(before: dict[str, str], now: dict[str, str], routines_dir: str) -> list[str] | None:
    """The routine files that changed between two listings of the root, when nothing else
    did but folders' times; None otherwise. A file racy when the result was kept has its
    content hash in both (`answer.lookup` hashes it again)."""
    if before.keys() != now.keys():
        return None
    folder = os.path.normpath(routines_dir).replace(os.sep, "/")
    prefix = "" if folder == "." else folder + "/"
    changed: set[str] = set()
    for path, line in now.items():
        then = before[path]
        if line == then or _same_file(then, line):
            continue
        mode = _mode(line)
        if mode is None or mode != _mode(then):
            return None
        if stat.S_ISDIR(mode) and "\n" not in line and "\n" not in then:
            continue  # a folder's times (a file in it saved by renaming): its names are compared as entries
        if not stat.S_ISREG(mode):
            return None
        changed.add(path)
    if len(changed) > _MAX_CHANGED or not all(p.startswith(prefix) and p.endswith(".md") for p in changed):
        return None
    return sorted(changed)


def _same_file(then: str, now: str) -> bool:
    """The same entry, though only one listing hashed its content: a file that was not
    racy when the result was kept is compared by its times (it is racy now)."""
    first, _, more = then.partition("\n")
    return not more and first == now.partition("\n")[0] and "\n# " in now


def _mode(line: str) -> int | None:
    head = line.split(" ", 1)[0]
    return int(head) if head.isdigit() else None
