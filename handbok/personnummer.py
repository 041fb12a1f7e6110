"""The personnummer guard: Swedish personal identity numbers and samordningsnummer in a
document, or on a page of the handbook's own docs/, are an error, reported masked.

A candidate is 10 or 12 digits (`ÅÅMMDDNNNK`, `ÅÅÅÅMMDDNNNK`, with or without `-` or `+`
before the last four), not part of a longer run of digits. It is reported only when its
check digit is right (the Luhn algorithm over the last ten digits) and its date exists
(a samordningsnummer has the day plus 60). Known test numbers may be allowed in
`data/personnummer-allow.yml`.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import messages as msg
from .files import Root, walk_files
from .forked import split_map
from .load import decode
from .model import Document, Finding
from .yamlread import YamlError, parse_yaml

__all__ = ["ALLOW_FILE", "Match", "check_pages", "check_personnummer", "find", "load_allow_list",
           "personnummer_findings"]

ALLOW_FILE = "personnummer-allow.yml"

# One precompiled pattern; the checksum and the date are verified for its few candidates.
_CANDIDATE_RE = re.compile(r"(?<![\d/.,])(\d{2})?(\d{6})([-+]?)(\d{4})(?![\d]|[.,:/]\d)")
# Words that announce a phone number or a diarienummer just before the digits ("tel.
# 0701234569", "Dnr 202112180019"): whole words, so that "Hotel" or "Halifax" announce nothing.
_PHONE_RE = re.compile(r"(?:\b(?:tel(?:efon)?(?:nummer|nr)?|mobil(?:telefon|nummer|nr)?|fax|sms|tfn|ring|"
                       r"växel(?:n)?|dnr|diarie(?:nummer|nr)|ärende(?:nummer|nr))|\+46)[\s.:]*$",
                       re.IGNORECASE)


class Match:
    """A verified number: where it is and how it may be shown."""

    __slots__ = ("coordination", "core", "masked", "phone_like", "start")

    def __init__(self, start: int, core: str, masked: str, coordination: bool, phone_like: bool = False) -> None:
        self.start = start
        self.core = core  # the ten digits ÅÅMMDDNNNK, for the allow-list
        self.masked = masked
        self.coordination = coordination
        self.phone_like = phone_like  # ten digits in a row from 0: a mobile number may look so


# Digits -> "0", every other byte -> " ": a text without six digits in a row holds no
# candidate, and bytes.translate and `in` find that out far faster than any regex.
_DIGITS_ONLY = bytes(48 if 48 <= i <= 57 else 32 for i in range(256))


def may_hold(text: str) -> bool:
    """Whether `text` has six digits in a row (the cheap test before the pattern)."""
    return b"000000" in text.encode("utf-8", "surrogatepass").translate(_DIGITS_ONLY)


def find(text: str, allowed: frozenset[str] = frozenset()) -> Iterator[Match]:
    """Every personnummer and samordningsnummer in `text` that passes the checks."""
    if not may_hold(text):
        return
    for m in _CANDIDATE_RE.finditer(text):
        century, date_part, sep, tail = m[1], m[2], m[3], m[4]
        core = date_part + tail
        if core in allowed or not _luhn(core):
            continue
        coordination = _real_date(century, date_part, sep)
        if coordination is None:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _PHONE_RE.search(text, max(line_start, m.start() - 20), m.start()):
            continue
        yield Match(m.start(), core, _mask(m[0], 4 if century else 2), coordination,
                    not century and not sep and core.startswith("0"))


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _real_date(century: str | None, date_part: str, sep: str) -> bool | None:
    """None when no such day exists; else whether it is a samordningsnummer (day + 60)."""
    yy, mm, dd = int(date_part[:2]), int(date_part[2:4]), int(date_part[4:])
    coordination = dd > 60
    if coordination:
        dd -= 60
    if century is not None:
        years = [int(century) * 100 + yy]
    elif sep == "+":  # a hundred years or older
        years = [1800 + yy, 1900 + yy]
    else:
        years = [1900 + yy, 2000 + yy]
    for year in years:
        try:
            dt.date(year, mm, dd)
        except ValueError:
            continue
        return coordination
    return None


def _mask(number: str, keep: int) -> str:
    """The year's digits stay, every other digit becomes X: '19XX...' never the number."""
    shown: list[str] = []
    digits = 0
    for ch in number:
        if ch.isdigit():
            shown.append(ch if digits < keep else "X")
            digits += 1
        else:
            shown.append(ch)
    return "".join(shown)


def load_allow_list(root: Path, data_dir: str = "data",
                    max_file_kb: int = 1024) -> tuple[frozenset[str], list[Finding]]:
    """The ten-digit cores of the numbers in `data/personnummer-allow.yml` (a list, or
    `allow: [...]`)."""
    path = root / data_dir / ALLOW_FILE
    rel = f"{data_dir}/{ALLOW_FILE}"
    if not os.path.lexists(path):
        return frozenset(), []
    data = Root(root).read(path, max_file_kb * 1024)
    if isinstance(data, Finding):
        return frozenset(), [Finding(data.severity, data.code, rel, data.line, data.message)]
    text = decode(data)
    if text is None:
        return frozenset(), [Finding("error", "encoding", rel, None, msg.ENCODING)]
    try:
        value: Any = parse_yaml(text).value
    except YamlError as exc:
        return frozenset(), [Finding("error", "yaml-syntax", rel, exc.line, msg.data_yaml_syntax(exc.message))]
    if isinstance(value, dict):
        value = value.get("allow")
    if not isinstance(value, list):
        return frozenset(), [Finding("error", "data-file", rel, 1, msg.PERSONNUMMER_ALLOW_LIST)]
    cores = set()
    for item in value:
        digits = re.sub(r"\D", "", str(item))
        if len(digits) in (10, 12):
            cores.add(digits[-10:])
    return frozenset(cores), []


def personnummer_findings(documents: list[Document], allowed: frozenset[str] = frozenset()) -> list[Finding]:
    """A `personnummer` error for each number in a document's front matter or body."""
    out: list[Finding] = []
    for doc in documents:
        out.extend(document_findings(doc, allowed))
    return out


def document_findings(doc: Document, allowed: frozenset[str] = frozenset()) -> list[Finding]:
    """`personnummer_findings` of one document."""
    out: list[Finding] = []
    if doc.raw and may_hold("\n".join(_flat_texts(doc.raw))):  # almost never: then per key
        texts = {key: list(_texts(value)) for key, value in doc.raw.items()}
    else:
        texts = {}
    for key, values in texts.items():
        for text in values:
            for match in find(text, allowed):
                out.append(Finding("error", "personnummer", doc.path, doc.line_of(key),
                                   msg.personnummer(match.masked, match.coordination, match.phone_like),
                                   doc.id, str(key)))
    body = doc.body
    line, pos = doc.body_line, 0
    for match in find(body, allowed):
        line += body.count("\n", pos, match.start)
        pos = match.start
        out.append(Finding("error", "personnummer", doc.path, line,
                           msg.personnummer(match.masked, match.coordination, match.phone_like), doc.id))
    return out


def _flat_texts(raw: dict[str, Any]) -> list[str]:
    """Every text of the front matter, the common shapes (text, list of texts) fast."""
    out: list[str] = []
    for value in raw.values():
        if type(value) is str:
            out.append(value)
        elif type(value) is list:
            for item in value:
                if type(item) is str:
                    out.append(item)
                elif type(item) is dict and all(type(v) is str for v in item.values()):
                    out.extend(item)  # a history line: keys and texts
                    out.extend(item.values())
                elif item is not None:
                    out.extend(_texts(item))
        elif value is not None:
            out.extend(_texts(value))
    return out


def _texts(value: Any) -> Iterator[str]:
    """Every text inside a front matter value (lists and mappings, any depth)."""
    stack = [value]
    seen: set[int] = set()  # YAML aliases share values: each is read once
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if len(item) >= 10:
                yield item
        elif isinstance(item, (dict, list)) and id(item) not in seen:
            seen.add(id(item))
            stack.extend([*item.keys(), *item.values()] if isinstance(item, dict) else item)


PAGE_SUFFIXES = (".md", ".txt", ".csv", ".tsv", ".html", ".htm", ".json", ".xml", ".svg", ".yml", ".yaml")
"""The files of docs/ that are looked through: pages and the text files MkDocs publishes
as they are (a list, a table, a drawing), which a reader opens by a link."""
_TEXT_FILE_BYTES = 20 * 1024 * 1024  # as an attachment: a table may be larger than a page


def check_pages(root: Path, docs_dir: str, data_dir: str, max_file_kb: int,
                routines_dir: str = "routines") -> list[Finding]:
    """A `personnummer` error for each number in a file of the handbook's own `docs/` (the
    start page, the guide, a published table: `PAGE_SUFFIXES`). Only files inside the
    root, read through `handbok.files.Root`; what cannot be read is the site's to report
    (it leaves such a file out), and a problem with the allow-list is reported once, by
    `check_personnummer`. A routines folder inside docs/ is the routines' check."""
    handbook = Root(root)
    paths = walk_files(handbook, docs_dir, PAGE_SUFFIXES)
    if not paths:
        return []
    allowed, _ = load_allow_list(root, data_dir, max_file_kb)
    routines = posixpath.normpath(routines_dir) + "/"
    out: list[Finding] = []
    for path in paths:
        rel = handbook.rel(path)
        if rel.startswith(routines):
            continue
        page = rel.lower().endswith(".md")  # MkDocs reads a page as UTF-8; a file is sent as it is
        data = handbook.read(path, max_file_kb * 1024 if page else max(max_file_kb * 1024, _TEXT_FILE_BYTES),
                             walked=True, rel=rel)
        text = (decode(data) if page else _any_text(data)) if isinstance(data, bytes) else None
        if text is None:
            continue
        line, pos = 1, 0
        for match in find(text, allowed):
            line += text.count("\n", pos, match.start)
            pos = match.start
            out.append(Finding("error", "personnummer", rel, line,
                               msg.personnummer(match.masked, match.coordination, match.phone_like)))
    return out


def _any_text(data: bytes) -> str:
    """A published text file as text, whatever its encoding: UTF-8, UTF-16 with its byte
    order mark (a table saved as Unicode text), else one byte a character (Windows-1252
    from a spreadsheet; digits and dashes are the same in all of them)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    text = decode(data)
    return text if text is not None else data.decode("latin-1")


def check_personnummer(root: Path, data_dir: str, max_file_kb: int, documents: list[Document],
                       split: bool = False) -> list[Finding]:
    """Load the allow-list once and look through every document (on two cores, `split`:
    `handbok.forked`)."""
    allowed, findings = load_allow_list(root, data_dir, max_file_kb)
    if not split:
        findings.extend(personnummer_findings(documents, allowed))
        return findings

    def look(doc: Document) -> list[Finding]:
        return document_findings(doc, allowed)

    for found in split_map(look, documents):
        findings.extend(found)
    return findings
