"""Files -> Documents: front matter with line numbers, encodings, typed values.

Loading never raises for a bad file: what cannot be read becomes a Finding and
the Document keeps whatever could be read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import messages as msg
from .files import Root, walk_markdown
from .forked import split_map
from .model import Document, Finding, HistoryEntry, Interval
from .yamlread import YamlError, parse_yaml

__all__ = [
    "KNOWN_KEYS",
    "decode",
    "find_documents",
    "load_document",
    "load_documents",
    "parse_date",
    "parse_interval",
    "split_front_matter",
]

KNOWN_KEYS = (
    "id",
    "title",
    "type",
    "status",
    "owner",
    "decided_by",
    "decision_date",
    "decision_ref",
    "valid_from",
    "review_date",
    "review_interval",
    "last_reviewed",
    "version",
    "history",
    "supersedes",
    "superseded_by",
    "related",
    "unit",
    "processes",
    "requirements",
    "legal_refs",
    "audience",
    "visibility",
    "tags",
    "reviewed_by",
    "decided_by_name",  # the decider's name as it stood on the decision day (issue 9)
    "repealed_date",  # the day a repealed document stopped applying (issue 9)
    "transitional_law",  # read by handbok.legal: [{act, reason}] for repealed law applied rightly
)
_DATE_KEYS = ("decision_date", "valid_from", "review_date", "last_reviewed", "repealed_date")
_TEXT_KEYS = ("id", "title", "type", "status", "owner", "decided_by", "decision_ref",
              "version", "unit", "visibility", "reviewed_by", "decided_by_name")
_LIST_KEYS = ("supersedes", "superseded_by", "related", "processes", "requirements",
              "legal_refs", "audience", "tags")

# Length limits: a 10 MB title must never reach a page. A title or history note past its
# limit is cut (it still names the document); any other value past it is not kept.
MAX_ID = 64
MAX_TITLE = 300
MAX_TEXT = 500
MAX_LIST_ITEM = 300
MAX_LIST_ITEMS = 200
MAX_HISTORY = 500
MAX_HISTORY_NOTE = 2000
_TEXT_LIMITS = {key: MAX_ID if key == "id" else MAX_TITLE if key == "title" else MAX_TEXT
                for key in _TEXT_KEYS}

_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_INTERVAL_RE = re.compile(
    r"(\d+)\s*(months?|månad(?:er)?|years?|år)", re.IGNORECASE
)
_HEADING_RE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_CLOSING_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)  # a line that closes front matter


def find_documents(root: Path, routines_dir: str = "routines") -> list[Path]:
    """Every .md file under root/routines_dir, any depth, in a stable order (see
    `files.walk_markdown`, which also says what it left out)."""
    return walk_markdown(Root(root), routines_dir)[0]


def decode(data: bytes) -> str | None:
    """UTF-8 with or without BOM, LF or CRLF -> text with LF; None if not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_front_matter(text: str) -> tuple[str, str | None, int] | None:
    """(yaml text, body, body's first line), or None when there is no front matter.

    The front matter starts on line 1 with `---` and ends with `---` or `...`.
    When it is never closed, the body is None.
    """
    first, newline, _ = text.partition("\n")
    if first.rstrip() != "---" or not newline:
        return None
    start = len(first) + 1
    fence = _CLOSING_RE.search(text, start)  # the first line from `start` that closes it
    if fence is None:
        return text[start:], None, 1
    yaml_text = text[start:fence.start()]
    body = text[fence.end() + 1 :]  # "" when the fence is the last line
    return yaml_text, body, yaml_text.count("\n") + 3


def parse_date(value: Any) -> dt.date | None:
    """A strict ISO date YYYY-MM-DD, or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) != 10 or not _DATE_RE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_interval(value: Any) -> Interval | None:
    """`6 months`, `1 year`, `2 years` (or `6 månader`, `2 år`) -> Interval."""
    if not isinstance(value, str):
        return None
    match = _INTERVAL_RE.fullmatch(value.strip())
    if not match:
        return None
    count = int(match.group(1))
    unit = match.group(2).lower()
    months = count * 12 if unit.startswith(("year", "år")) else count
    if months <= 0 or months > 12 * 50:
        return None
    return Interval(months)


def load_documents(
    root: Path, routines_dir: str = "routines", max_file_kb: int = 1024, split: bool = False
) -> tuple[list[Document], list[Finding]]:
    """Read every document under root/routines_dir; never raises for a bad file.

    Only files inside the root are read, and at most max_file_kb of each (`handbok.files`).
    `split`: a large handbook is read on two cores (`handbok.forked`; the command line only).
    """
    handbook = Root(root)
    paths, findings = walk_markdown(handbook, routines_dir)

    def read(path: Path) -> tuple[Document, list[Finding]]:
        rel = handbook.rel(path)
        data = handbook.read(path, max_file_kb * 1024, walked=True, rel=rel)
        if isinstance(data, Finding):
            return Document(path=rel, readable=False), [data]
        return load_document(rel, data)

    loaded = split_map(read, paths) if split else [read(path) for path in paths]
    documents: list[Document] = []
    for doc, found in loaded:
        documents.append(doc)
        findings.extend(found)
    return documents, findings


def load_document(rel: str, data: bytes) -> tuple[Document, list[Finding]]:
    """One file's bytes -> a Document and the findings about reading it."""
    findings: list[Finding] = []
    doc = Document(path=rel)
    text = decode(data)
    if text is None:
        findings.append(Finding("error", "encoding", rel, _bad_byte_line(data), msg.ENCODING))
        doc.readable = False
        return doc, findings
    split = split_front_matter(text)
    if split is None:
        doc.body = text
        doc.title = _first_heading(text)
        doc.readable = False
        findings.append(Finding("error", "missing-front-matter", rel, 1, msg.MISSING_FRONT_MATTER))
        return doc, findings
    yaml_text, body, body_line = split
    doc.front_hash = hashlib.blake2b(yaml_text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    if body is None:
        doc.body = text
        doc.readable = False
        findings.append(Finding("error", "missing-front-matter", rel, 1, msg.FRONT_MATTER_NOT_CLOSED))
        return doc, findings
    doc.front_matter = True
    doc.body = body
    doc.body_line = body_line
    try:
        parsed = parse_yaml(yaml_text)
    except YamlError as exc:
        line = exc.line + 1 if exc.line is not None else 1
        findings.append(Finding("error", "yaml-syntax", rel, line, msg.yaml_syntax(exc.message)))
        doc.readable = False
        doc.title = _first_heading(body)
        return doc, findings
    if parsed.value is None:
        parsed.value = {}
    if not isinstance(parsed.value, dict):
        findings.append(Finding("error", "yaml-syntax", rel, 2, msg.FRONT_MATTER_NOT_MAPPING))
        doc.readable = False
        doc.title = _first_heading(body)
        return doc, findings
    lines = {key: line + 1 for key, line in parsed.lines.items()}
    doc.lines = lines
    doc.raw = parsed.value
    for key, line in parsed.duplicate_keys:
        findings.append(Finding("error", "duplicate-key", rel, line + 1, msg.duplicate_key(key),
                                field=key.split("/")[0]))
    _fill(doc, parsed.value, {k: [n + 1 for n in v] for k, v in parsed.item_lines.items()},
          findings)
    if doc.id is not None and findings:  # the id is known only now: name the document, as validate does
        findings = [replace(f, document=doc.id) for f in findings]
    if doc.title is None:
        doc.title = _first_heading(body)
    return doc, findings


def _fill(doc: Document, raw: dict[str, Any], item_lines: dict[str, list[int]],
          findings: list[Finding]) -> None:
    rel = doc.path

    def add(code: str, key: str, message: str, line: int | None = None,
            severity: str = "error") -> None:
        findings.append(Finding(severity, code, rel, line or doc.line_of(key), message,  # type: ignore[arg-type]
                                field=key))

    for key, limit in _TEXT_LIMITS.items():
        if key not in raw or raw[key] is None:
            continue
        value = raw[key]
        if isinstance(value, str):
            value = value.strip()
            if len(value) > limit:
                cut = key == "title"
                add("value-too-long", key, msg.value_too_long(key, len(value), limit, cut))
                if not cut:
                    continue
                value = value[: limit - 1].rstrip() + "…"
            if value:
                setattr(doc, key, value)
        else:
            add("invalid-value", key, msg.not_text(key))
    for key in _DATE_KEYS:
        if key not in raw or raw[key] is None or (isinstance(raw[key], str) and not raw[key].strip()):
            continue  # an empty date is a missing one (validate says so when it is required)
        date = parse_date(raw[key])
        if date is None:
            add(*_bad_date(key, raw[key]))
        else:
            setattr(doc, key, date)
    interval_text = raw.get("review_interval")
    if isinstance(interval_text, str) and len(interval_text) > MAX_TEXT:
        add("value-too-long", "review_interval",
            msg.value_too_long("review_interval", len(interval_text), MAX_TEXT, False))
    elif interval_text is not None:
        interval = parse_interval(raw["review_interval"])
        if interval is None:
            add("invalid-value", "review_interval", msg.invalid_interval(raw["review_interval"]))
        doc.review_interval = interval
    for key in _LIST_KEYS:
        if key not in raw or raw[key] is None:
            continue
        value = raw[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            add("invalid-value", key, msg.not_list(key))
            continue
        if len(value) > MAX_LIST_ITEMS:
            add("value-too-long", key, msg.list_too_long(key, len(value), MAX_LIST_ITEMS))
            value = value[:MAX_LIST_ITEMS]
        items: list[str] = []
        lines = item_lines.get(key, [])
        for i, item in enumerate(value):
            if isinstance(item, str) and len(item) > MAX_LIST_ITEM and len(item.strip()) > MAX_LIST_ITEM:
                add("value-too-long", key, msg.item_too_long(key, len(item.strip()), MAX_LIST_ITEM),
                    lines[i] if i < len(lines) else None)
            elif isinstance(item, str) and item.strip():
                items.append(item.strip())
            else:
                line = lines[i] if i < len(lines) else None
                add("invalid-value", key, msg.not_list_item(key), line)
        setattr(doc, key, items)
    if "history" in raw and raw["history"] is not None:
        _fill_history(doc, raw["history"], item_lines.get("history", []), add)
    if doc.status not in ("draft", "active", "repealed"):
        add("invalid-value", "status", msg.invalid_choice("status", doc.status,
                                                          msg.STATUS_CHOICES))
        doc.status = "active"
    if doc.visibility not in ("internal", "public"):
        add("invalid-value", "visibility", msg.invalid_choice("visibility", doc.visibility,
                                                              msg.VISIBILITY_CHOICES))
        doc.visibility = "internal"


def _fill_history(doc: Document, value: Any, lines: list[int], add: Any) -> None:
    if not isinstance(value, list):
        add("invalid-value", "history", msg.HISTORY_NOT_LIST)
        return
    if len(value) > MAX_HISTORY:
        add("value-too-long", "history", msg.list_too_long("history", len(value), MAX_HISTORY))
        value = value[:MAX_HISTORY]
    for i, item in enumerate(value):
        line = lines[i] if i < len(lines) else None
        if not isinstance(item, dict):
            add("invalid-value", "history", msg.HISTORY_NOT_LIST, line)
            continue
        unknown = [k for k in item if k not in ("date", "version", "note")]
        for key in unknown:
            add("unknown-key", "history", msg.unknown_history_key(key), line, "warning")
        date = parse_date(item.get("date"))
        if date is None:
            code, _, message = _bad_date("history.date", item.get("date"))
            add(code, "history", message, line)
        note = item.get("note")
        if not isinstance(note, str) or not note.strip():
            add("missing-field", "history", msg.HISTORY_NOTE_MISSING, line)
            note = ""
        note = note.strip()
        if len(note) > MAX_HISTORY_NOTE:
            add("value-too-long", "history",
                msg.value_too_long("history.note", len(note), MAX_HISTORY_NOTE, True), line)
            note = note[: MAX_HISTORY_NOTE - 1].rstrip() + "…"
        version = item.get("version")
        if isinstance(version, str) and len(version) > MAX_TEXT:
            add("value-too-long", "history",
                msg.value_too_long("history.version", len(version), MAX_TEXT, False), line)
            version = None
        doc.history.append(HistoryEntry(date=date, note=note,
                                        version=version if isinstance(version, str) else None))


def _bad_date(key: str, value: Any) -> tuple[str, str, str]:
    """(code, key, message) for a date that cannot be read; a huge one is not repeated."""
    shown = value if isinstance(value, str) else str(value)
    if len(shown) > MAX_TEXT:
        return "value-too-long", key, msg.value_too_long(key, len(shown), MAX_TEXT, False)
    return "invalid-date", key, msg.invalid_date(key, value)


def _first_heading(body: str) -> str | None:
    """The first `# ` heading, as the title when the front matter has none (cut like a
    title that is too long, so that no page repeats a huge heading)."""
    match = _HEADING_RE.search(body)
    if not match:
        return None
    title = match.group(1).strip()
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def _bad_byte_line(data: bytes) -> int | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data[: exc.start].count(b"\n") + 1
    return None
