"""Surgical edits of a document's front matter.

Every byte outside the lines an edit means to change stays as it was: comments, key
order, quoting, flow or block lists, CRLF or LF, a UTF-8 BOM, a final newline or its
absence. An edit is a list of line replacements and insertions computed against the
original file; after applying them the front matter is parsed again and compared with
what was meant, and anything unexpected is refused (EditError), never written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .load import split_front_matter
from .yamlread import Parsed, YamlError, parse_yaml

__all__ = ["Edit", "EditError", "FrontMatter", "HistoryItem", "add_history", "apply_edits", "double_quoted",
           "insert_keys", "newest_first", "read_front_matter", "scalar", "set_scalar"]

BOM = b"\xef\xbb\xbf"
DQ = '"'

# Swedish messages of the editor (one place for this feature).
NOT_UTF8 = "Filen är inte sparad som UTF-8 och kan inte ändras."
LONE_CR = "Filen har radslut av gammal Mac-typ (bara CR) och kan inte ändras säkert. Spara den med LF eller CRLF."
NO_FRONT_MATTER = "Filen saknar metadata (front matter) mellan två rader '---'."
NOT_MAPPING = "Metadatan är inte fält på formen 'nyckel: värde'."
ONE_LINE_PER_KEY = "Metadatan har flera fält på samma rad och kan inte ändras säkert. Skriv ett fält per rad."
KEY_LAYOUT = "Fältet {key} är skrivet på ett sätt som inte kan ändras säkert (rad {line}). Ändra det för hand."
HISTORY_LAYOUT = "history är skrivet på ett sätt som inte kan ändras säkert (rad {line}). Lägg till raden för hand."
VERIFY_FAILED = "Ändringen gav inte det väntade resultatet och har inte sparats. Ändra filen för hand."


class EditError(Exception):
    """The file cannot be edited safely; the message is Swedish and for people."""


@dataclass(frozen=True)
class HistoryItem:
    date: str
    note: str
    version: str | None = None


@dataclass
class FrontMatter:
    """A document split into lines (each with its own line ending) around its front matter."""

    bom: bool
    lines: list[str]
    newline: str
    end: int  # index of the closing fence line; the YAML is lines[1:end]
    parsed: Parsed
    keys: dict[str, int] = field(default_factory=dict)  # top-level key -> line index

    @property
    def values(self) -> dict[str, Any]:
        value = self.parsed.value
        return value if isinstance(value, dict) else {}

    def block(self, key: str) -> tuple[int, int]:
        """[start, stop) line indexes of a key and its value, without the blank lines and
        column-0 comments that follow it (they belong to what comes next)."""
        start = self.keys[key]
        stop = min([i for i in self.keys.values() if i > start] + [self.end])
        while stop - 1 > start and (_blank(self.lines[stop - 1]) or self.lines[stop - 1].startswith("#")):
            stop -= 1
        return start, stop


def _blank(line: str) -> bool:
    return not line.strip()


def _content(line: str) -> str:
    return line.rstrip("\r\n")


def _ending(line: str) -> str:
    return line[len(_content(line)):]


_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+")


def read_front_matter(data: bytes) -> FrontMatter:
    """Split a document's bytes for editing; EditError when that cannot be done safely."""
    bom = data.startswith(BOM)
    try:
        text = data[len(BOM):].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError:
        raise EditError(NOT_UTF8) from None
    if re.search(r"\r(?!\n)", text):
        raise EditError(LONE_CR)
    lines = _LINE_RE.findall(text)
    split = split_front_matter(text.replace("\r\n", "\n"))
    if split is None or split[1] is None or not lines:
        raise EditError(NO_FRONT_MATTER)
    end = split[0].count("\n") + 1
    newline = _ending(lines[0]) or "\n"
    try:
        parsed = parse_yaml(split[0])
    except YamlError as exc:
        raise EditError(exc.message) from None
    if parsed.value is None:
        parsed.value = {}
    if not isinstance(parsed.value, dict):
        raise EditError(NOT_MAPPING)
    keys = {key: line for key, line in parsed.lines.items()}  # 1-based in the YAML = index in the file
    if len(set(keys.values())) != len(keys):
        raise EditError(ONE_LINE_PER_KEY)
    for key, index in keys.items():
        if not re.match(rf"[ \t]*(['\"]?){re.escape(str(key))}\1[ \t]*:", lines[index]):
            raise EditError(KEY_LAYOUT.format(key=key, line=index + 1))
    return FrontMatter(bom, lines, newline, end, parsed, keys)


# --- Scalars -------------------------------------------------------------------------------


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(value, ensure_ascii=False)


def _single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


_PLAIN_SAFE = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#\n\r]*")


def scalar(value: str, style: str = "") -> str:
    """`value` as a YAML scalar in `style` ("", "'" or '"'); plain only when it reads back
    as exactly this text."""
    if style == "'" and "\n" not in value:
        return _single_quoted(value)
    if style == '"' or not _plain_ok(value):
        return double_quoted(value)
    return value


def _plain_ok(value: str) -> bool:
    if not value or value != value.strip() or not _PLAIN_SAFE.fullmatch(value) or ": " in value \
            or value.endswith(":"):
        return False
    try:
        parsed = parse_yaml(f"k: {value}\n").value
    except YamlError:
        return False
    return isinstance(parsed, dict) and parsed.get("k") == value


def _value_token(text: str) -> tuple[str, str, str] | None:
    """(style, token, rest) of a one-line value `text`: rest keeps spaces and a comment.
    None when the value does not end on this line."""
    if text.startswith('"'):
        i = 1
        while i < len(text):
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == '"':
                return '"', text[: i + 1], text[i + 1 :]
            i += 1
        return None
    if text.startswith("'"):
        i = 1
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                return "'", text[: i + 1], text[i + 1 :]
            i += 1
        return None
    match = re.search(r"[ \t]+#|[ \t]*$", text)
    assert match is not None
    return "", text[: match.start()], text[match.start() :]


@dataclass(frozen=True)
class Edit:
    start: int
    stop: int  # start == stop: an insertion
    lines: tuple[str, ...]


def set_scalar(fm: FrontMatter, key: str, value: str) -> Edit:
    """Replace the value of an existing one-line key, keeping its quoting and comment."""
    start, stop = fm.block(key)
    line = fm.lines[start]
    content = _content(line)
    colon = re.match(rf"[ \t]*(['\"]?){re.escape(key)}\1[ \t]*:[ \t]*", content)
    assert colon is not None  # read_front_matter checked it
    head, tail = content[: colon.end()], content[colon.end() :]
    if stop - start == 1:
        token = _value_token(tail)
        if token is not None:
            style, _, rest = token
            if not tail or tail.lstrip().startswith("#"):  # empty value: `key:` or `key: # comment`
                style, rest = "", (" " + tail.lstrip() if tail.strip() else "")
                head = head.rstrip() + " "
            return Edit(start, stop, (head + scalar(value, style) + rest + _ending(line),))
    if not isinstance(fm.values.get(key), str) and fm.values.get(key) is not None:
        raise EditError(KEY_LAYOUT.format(key=key, line=start + 1))
    # A value that goes on over several lines (a folded scalar): replace the whole key.
    return Edit(start, stop, (f"{_indent(line)}{key}: {scalar(value)}{fm.newline}",))


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def insert_keys(fm: FrontMatter, pairs: list[tuple[str, str]], after: tuple[str, ...]) -> Edit:
    """New `key: value` lines after the first of `after` that exists, else before the
    closing `---`."""
    anchor = next((k for k in after if k in fm.keys), None)
    if anchor is not None:
        index = fm.block(anchor)[1]
        indent = _indent(fm.lines[fm.keys[anchor]])
    else:
        index = fm.end
        indent = _indent(fm.lines[min(fm.keys.values())]) if fm.keys else ""
    new = [f"{indent}{key}: {scalar(value)}{fm.newline}" for key, value in pairs]
    if index > 0 and not _ending(fm.lines[index - 1]):  # cannot happen before a fence; be safe
        raise EditError(VERIFY_FAILED)
    return Edit(index, index, tuple(new))


# --- History -------------------------------------------------------------------------------


def _flow_item(item: HistoryItem, quote: str = DQ) -> str:
    parts = [f"date: {item.date}"]
    if item.version is not None:
        parts.append(f"version: {scalar(item.version, quote)}")
    parts.append(f"note: {scalar(item.note, quote)}")
    return "{" + ", ".join(parts) + "}"


def _quote_style(text: str) -> str:
    match = re.search(r"note:[ \t]*(['\"])", text)
    return match.group(1) if match else '"'


def newest_first(values: Any) -> bool:
    """Whether an existing history list puts its newest entry first (the default)."""
    dates = [str(v.get("date")) for v in values if isinstance(v, dict) and v.get("date") is not None] \
        if isinstance(values, list) else []
    return not (len(dates) >= 2 and dates[0] < dates[-1])


def add_history(fm: FrontMatter, item: HistoryItem) -> Edit:
    """A new history entry, in the style of the list that is there."""
    nl = fm.newline
    if "history" not in fm.keys:
        indent = _indent(fm.lines[min(fm.keys.values())]) if fm.keys else ""
        new = (f"{indent}history:{nl}", f"{indent}  - {_flow_item(item)}{nl}")
        return Edit(fm.end, fm.end, new)
    start, stop = fm.block("history")
    value = fm.values.get("history")
    block_lines = fm.lines[start:stop]
    text = "".join(block_lines)
    key_line = _content(fm.lines[start])
    after_colon = key_line.split(":", 1)[1]
    flow = after_colon.lstrip().startswith("[")
    if value is None and stop - start == 1:
        indent = _indent(fm.lines[start])
        head = key_line.split(":", 1)[0] + ":"
        comment = after_colon.strip()
        head += f" {comment}" if comment.startswith("#") else ""
        return Edit(start, stop, (f"{head}{nl}", f"{indent}  - {_flow_item(item)}{nl}"))
    if not isinstance(value, list):
        raise EditError(HISTORY_LAYOUT.format(line=start + 1))
    quote = _quote_style(text)
    prepend = newest_first(value)
    if flow:
        open_at = text.index("[", len(key_line.split(":", 1)[0]) + 1)
        close_at = _matching(text, open_at)
        if close_at is None:
            raise EditError(HISTORY_LAYOUT.format(line=start + 1))
        entry = _flow_item(item, quote)
        if not value:
            new_text = text[: open_at + 1] + entry + text[close_at:]
        elif prepend:
            new_text = text[: open_at + 1] + entry + ", " + text[open_at + 1 :]
        else:
            inner_end = close_at
            while text[inner_end - 1] in " \t\r\n":
                inner_end -= 1
            trailing_comma = text[inner_end - 1] == ","
            new_text = text[:inner_end] + ("" if trailing_comma else ", ") + entry + text[inner_end:]
        return Edit(start, stop, tuple(_LINE_RE.findall(new_text)))
    # A block list: `- {date: ..., note: ...}` or `- date: ...` / `  note: ...` per item.
    item_lines = [n for n in fm.parsed.item_lines.get("history", [])]
    if len(item_lines) != len(value) or not item_lines:
        raise EditError(HISTORY_LAYOUT.format(line=start + 1))
    first = _content(fm.lines[item_lines[0]])
    dash = re.match(r"([ \t]*)-([ \t]+)", first)
    if dash is None:
        raise EditError(HISTORY_LAYOUT.format(line=item_lines[0] + 1))
    prefix = dash.group(0)
    if first[len(prefix):].startswith("{"):
        new = (f"{prefix}{_flow_item(item, quote)}{nl}",)
    else:
        inner = " " * len(prefix.expandtabs())
        rows = [f"{prefix}date: {item.date}{nl}"]
        if item.version is not None:
            rows.append(f"{inner}version: {scalar(item.version, quote)}{nl}")
        rows.append(f"{inner}note: {scalar(item.note, quote)}{nl}")
        new = tuple(rows)
    if prepend:
        return Edit(item_lines[0], item_lines[0], new)
    return Edit(stop, stop, new)


def _matching(text: str, open_at: int) -> int | None:
    """The index of the bracket closing the one at `open_at`, skipping quoted text."""
    depth = 0
    i = open_at
    while i < len(text):
        char = text[i]
        if char == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif char == "'":
            i += 1
            while i < len(text):
                if text[i] == "'" and text[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                if text[i] == "'":
                    break
                i += 1
        elif char == "#" and i > 0 and text[i - 1] in " \t":
            while i < len(text) and text[i] != "\n":
                i += 1
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


# --- Applying and checking -----------------------------------------------------------------


def apply_edits(fm: FrontMatter, edits: list[Edit], expected: dict[str, Any]) -> bytes:
    """The file with `edits` applied; EditError unless its front matter then holds exactly
    the old values with `expected` set (for `history`: the expected whole list)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.stop != e.start))
    out: list[str] = []
    pos = 0
    for edit in ordered:
        if edit.start < pos:
            raise EditError(VERIFY_FAILED)
        out.extend(fm.lines[pos : edit.start])
        out.extend(edit.lines)
        pos = edit.stop
    out.extend(fm.lines[pos:])
    text = "".join(out)
    _verify(fm, text, expected)
    data = text.encode("utf-8")
    return BOM + data if fm.bom else data


def _verify(fm: FrontMatter, text: str, expected: dict[str, Any]) -> None:
    split = split_front_matter(text.replace("\r\n", "\n"))
    if split is None or split[1] is None:
        raise EditError(VERIFY_FAILED)
    try:
        after = parse_yaml(split[0]).value
    except YamlError:
        raise EditError(VERIFY_FAILED) from None
    want = dict(fm.values)
    want.update(expected)
    if not isinstance(after, dict) or after != want \
            or [k for k in after if k in fm.values] != list(fm.values):
        raise EditError(VERIFY_FAILED)
    old_body = "".join(fm.lines[fm.end:])
    if not text.endswith(old_body):
        raise EditError(VERIFY_FAILED)
