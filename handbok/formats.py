"""Results -> text for people, JSON for tools, GitHub annotations, JUnit XML."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any
from xml.etree import ElementTree as ET

from . import messages as msg
from .core import Result, failing, failing_counts, json_parts
from .messages import SEVERITY_LABELS, STATUS_LABELS, visible
from .model import Finding

__all__ = ["FORMATS", "render", "render_chunks", "visible"]

def render(result: Result, fmt: str, fail_on: str) -> str:
    """The report in `fmt` (text, json, github or junit)."""
    return FORMATS[fmt](result, fail_on)


def render_chunks(result: Result, fmt: str, fail_on: str) -> Iterator[str]:
    """`render` in pieces that add up to it: the JSON of a large handbook (11 MB at 10,000
    documents, several times that while it is built as one string) is written as it is
    made."""
    if fmt == "json":
        yield from _json_chunks(json_parts(result))
    else:
        yield render(result, fmt, fail_on)


def render_json(result: Result, fail_on: str) -> str:
    return "".join(_json_chunks(json_parts(result)))


def _json_chunks(value: dict[str, Any]) -> Iterator[str]:
    """`_indented_json(value, 0) + "\\n"` for an object, its lists (or iterators, or the
    tables of `json_parts`) some hundreds of members at a time."""
    if not value:
        yield _indented_json(value, 0) + "\n"
        return
    comma = "{"
    for key, item in value.items():
        yield f"{comma}\n  {_json_str(key)}: "
        comma = ","
        if type(item) is tuple:  # a table: (keys, rows)
            yield from _json_list_chunks(item[1], item[0])
        elif type(item) is list or isinstance(item, Iterator):
            yield from _json_list_chunks(item)
        else:
            yield _indented_json(item, 1)
    yield "\n}\n"


_BATCH = 1000  # members in a chunk: some 0.5 MB of JSON, never the whole report at once


def _json_list_chunks(members: Iterable[Any], keys: Sequence[str] | None = None) -> Iterator[str]:
    """`_indented_json(list(members), 1)` in chunks of `_BATCH` members; with `keys`, each
    member a row: the values of an object with those keys, in their order."""
    members = iter(members)
    opening = "[\n    "
    while batch := list(islice(members, _BATCH)):
        chunk = _objects_json(batch, opening) if keys is None else _rows_json(keys, batch, opening)
        if chunk is None:  # not flat, or not the same keys: an object at a time
            if keys is not None:
                batch = [dict(zip(keys, row, strict=True)) for row in batch]
            chunk = opening + ",\n    ".join([_indented_json(member, 2) for member in batch])
        yield chunk
        opening = ",\n    "
    yield "[]" if opening == "[\n    " else "\n  ]"


def _objects_json(batch: list[Any], opening: str) -> str | None:
    """`opening + ",\\n    ".join(_indented_json(member, 2) for member in batch)` when the
    members are objects with the same keys in the same order and scalar values (as the
    documents and findings are); else None."""
    first = batch[0]
    if type(first) is not dict or set(map(type, batch)) != {dict}:
        return None
    keys = list(first)
    # Every member's keys, one after another, are the first's again and again: as a dict
    # holds a key once, each member has the first's keys in the same order.
    if list(chain.from_iterable(batch)) != keys * len(batch):
        return None
    return _columns_json(keys, list(chain.from_iterable(map(dict.values, batch))), len(batch), opening)


def _rows_json(keys: Sequence[str], batch: list[Any], opening: str) -> str | None:
    """`_objects_json` of the objects that the rows in `batch` are the values of."""
    if set(map(len, batch)) != {len(keys)}:
        return None
    return _columns_json(keys, list(chain.from_iterable(batch)), len(batch), opening)


_SCALARS = frozenset({str, int, float, bool, type(None)})
_lines_json = json.JSONEncoder(ensure_ascii=False, separators=("\n", ": ")).encode


def _columns_json(keys: Sequence[str], values: list[Any], n: int, opening: str) -> str | None:
    """`opening` and `n` objects at depth 2 as `json.dumps(..., indent=2)` writes them (with
    ",\\n    " between them), their `keys` all the same and `values` one after another;
    None if a value is no scalar (a list, a dict, something json cannot write).

    Made a column (one key of every object) at a time: a column of text with nothing to
    escape is copied as it is between quotes, any other column is one call of the C
    encoder with a line break between the values (JSON never holds a raw one). The chunk
    is then one join of the constant pieces and the values: nothing in Python per object."""
    width = len(keys)
    if not keys or set(map(type, keys)) != {str}:
        return None
    # The chunk's pieces, `stride` an object: the text before each value, the value, ...,
    # the text after the last value. Each is placed in all objects at once, by slice.
    stride = 2 * width + 1
    out = [""] * (stride * n)
    close = ""  # what the previous value still needs: its closing quote
    for i, key in enumerate(keys):
        column = values[i::width]
        before = f"{close},\n      {_json_str(key)}: "
        try:
            text = "".join(column).encode("utf-8", "surrogatepass")
        except TypeError:  # not all text
            pass
        else:
            if len(text.translate(None, _ESCAPED)) == len(text):  # nothing to escape
                out[2 * i :: stride] = [before + '"'] * n
                out[2 * i + 1 :: stride] = column
                close = '"'
                continue
        if not set(map(type, column)) <= _SCALARS:
            return None
        out[2 * i :: stride] = [before] * n
        out[2 * i + 1 :: stride] = _lines_json(column)[1:-1].split("\n")
        close = ""
    out[2 * width :: stride] = [close + "\n    }"] * n
    first = "{" + out[0][len(",") :]  # an object opens where the others have a comma
    out[::stride] = [",\n    " + first] * n
    out[0] = opening + first
    return "".join(out)


def _indented_json(value: Any, depth: int) -> str:
    """Exactly `json.dumps(value, ensure_ascii=False, indent=2)` at `depth`, faster.

    With an indent, json encodes in pure Python; a flat object is here one call of the C
    encoder, its separators doing the indent (the documents and findings, many flat
    objects, take `_columns_json`).
    """
    pad = "\n" + "  " * depth
    inner = pad + "  "
    if isinstance(value, dict) and value and all(type(k) is str for k in value):
        if any(isinstance(v, (dict, list, tuple)) for v in value.values()):
            body = ("," + inner).join(
                f"{_json_str(k)}: {_indented_json(v, depth + 1)}" for k, v in value.items())
        else:
            body = _flat_encoder(inner)(value)[1:-1]
        return "{" + inner + body + pad + "}"
    if isinstance(value, (list, tuple)) and value:
        return "[" + inner + ("," + inner).join(_indented_json(v, depth + 1) for v in value) + pad + "]"
    # Scalars, empty containers and anything unusual: json itself (a string
    # never holds a raw line break, so the indent can be added afterwards).
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", pad)


_json_str = json.JSONEncoder(ensure_ascii=False).encode
# What json escapes in a str (with ensure_ascii=False), as UTF-8: never part of a longer
# character's bytes, so a text holds none of them when its UTF-8 does not.
_ESCAPED = bytes(range(0x20)) + b'"\\'
_FLAT_ENCODERS: dict[str, Callable[[Any], str]] = {}


def _flat_encoder(separator: str) -> Callable[[Any], str]:
    encode = _FLAT_ENCODERS.get(separator)
    if encode is None:
        encode = _FLAT_ENCODERS[separator] = json.JSONEncoder(
            ensure_ascii=False, separators=("," + separator, ": ")).encode
    return encode


def render_text(result: Result, fail_on: str) -> str:
    """Swedish, grouped by file, closing with a summary line."""
    failed = {id(f) for f in failing(result, fail_on)}
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        groups[f.path].append(f)
    ids = {d.path: d.id for d in result.documents}
    lines: list[str] = []
    # `visible` only where there is something to write out: a text of printable characters
    # has nothing it would change, and isprintable looks through it faster than its search.
    for path, found in groups.items():
        head = f"{path} ({ids[path]})" if ids.get(path) else path
        lines.append(head if head.isprintable() else visible(head))
        for f in found:
            where = f"rad {f.line}: " if f.line else ""
            label = SEVERITY_LABELS[f.severity]
            if f.code == "overdue":
                label = "försenad"
            elif f.code == "due-soon":
                label = "revideras snart"
            mark = "✗" if id(f) in failed else "·"
            message = f.message if f.message.isprintable() else visible(f.message)
            lines.append(f"  {mark} {where}{label}: {message} [{f.code}]")
        lines.append("")
    s = result.summary()
    overdue_warnings = sum(1 for f in result.findings if f.code == "overdue" and f.severity == "warning")
    lines.append(f"{msg.summary_documents(s)} {msg.summary_findings(s, overdue_warnings)} "
                 f"({msg.CHECKED_ON.format(today=result.today.isoformat())})")
    if fail_on == "never":
        lines.append(msg.GATE_NEVER)
    elif failed:
        lines.append(msg.gate_failed(failing_counts(result, fail_on), fail_on))
    else:
        lines.append(msg.gate_passed(fail_on))
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    # Control characters written out (a line break cannot end the command early, an
    # escape sequence cannot colour or hide the log), then the command's own escapes.
    return visible(text).replace("%", "%25")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: Result, fail_on: str) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    failed = {id(f) for f in failing(result, fail_on)}
    out: list[str] = []
    for f in result.findings:
        level = "error" if id(f) in failed else {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
        props = [f"file={_escape_property(f.path)}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f.code)}")
        out.append(f"::{level} {','.join(props)}::{_escape_data(f.message)}")
    s = result.summary()
    out.append(f"handbok: {msg.summary_documents(s)} {msg.summary_findings(s, 0)}")
    return "\n".join(out) + "\n"


def render_junit(result: Result, fail_on: str) -> str:
    """JUnit XML: one test case per file; failures are what fails the gate."""
    failed = {id(f) for f in failing(result, fail_on)}
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        groups[f.path].append(f)
    ids = {d.path: d.id for d in result.documents}
    paths = [d.path for d in result.documents] + sorted(p for p in groups if p not in ids)
    suite = ET.Element("testsuite", name="handbok", timestamp=result.today.isoformat())
    failures = 0
    for path in paths:
        shown = visible(path)
        case = ET.SubElement(suite, "testcase", classname=shown.rsplit("/", 1)[0] if "/" in shown else shown,
                             name=visible(f"{ids[path]} ({path})") if ids.get(path) else shown, file=shown)
        found = groups.get(path, [])
        bad = [f for f in found if id(f) in failed]
        if bad:
            failures += 1
            first = bad[0]
            failure = ET.SubElement(case, "failure", type=first.code, message=visible(first.message))
            failure.text = "\n".join(_line(f) for f in bad)
        rest = [f for f in found if id(f) not in failed]
        if rest:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in rest)
    suite.set("tests", str(len(paths)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element("testsuites", name="handbok check", tests=str(len(paths)), failures=str(failures))
    root.append(suite)
    ET.indent(root)
    xml = _XML_INVALID.sub(_xml_escape, ET.tostring(root, encoding="unicode"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"


# Characters XML 1.0 forbids even as references (control characters from a YAML
# "\x01" escape, lone surrogates from a file name that is not UTF-8): ElementTree
# writes them as they are, and no CI system could read the report.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape", "backslashreplace").decode("ascii")


def _line(f: Finding) -> str:
    where = f"{f.path}:{f.line}" if f.line else f.path
    return visible(f"{where}: {SEVERITY_LABELS[f.severity]}: {f.message} [{f.code}]")


_DIGITS = re.compile(r"\d+")
_GITLAB_SEVERITY = {"error": "critical", "warning": "minor", "info": "info"}


def render_gitlab(result: Result, fail_on: str) -> str:
    """A GitLab Code Quality report: a JSON array of issues. The fingerprint is built from
    the code, file, document, field and message with its numbers left out, never from the
    line, so that a finding keeps its fingerprint when lines move (and when the days of an
    overdue document count up): the merge request shows only new and fixed findings."""
    failed = {id(f) for f in failing(result, fail_on)}
    seen: Counter[str] = Counter()
    issues: list[dict[str, Any]] = []
    for f in result.findings:
        base = "\x1f".join((f.code, f.path, f.document or "", f.field or "", _DIGITS.sub("#", f.message)))
        seen[base] += 1  # the same finding twice in one file: the second gets its own print
        fingerprint = hashlib.sha256(f"{base}\x1f{seen[base]}".encode("utf-8", "surrogatepass")).hexdigest()
        severity = _GITLAB_SEVERITY[f.severity]
        if id(f) in failed and severity != "critical":
            severity = "major"
        issues.append({
            "type": "issue",
            "check_name": f.code,
            "description": visible(f"{f.document}: {f.message}" if f.document else f.message),
            "fingerprint": fingerprint,
            "severity": severity,
            "location": {"path": visible(f.path), "lines": {"begin": f.line or 1}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


_MD_ESCAPE = re.compile(r"([\\`*_\[\]|~])")
_MARKDOWN_MAX_ROWS = 300


def _md(text: str) -> str:
    """Text for a Markdown table cell: control characters written out, nothing that
    Markdown or HTML would read as markup."""
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_ESCAPE.sub(r"\\\1", text)


def render_markdown(result: Result, fail_on: str) -> str:
    """A Swedish summary for a pull-request comment or GitHub's job summary: the verdict,
    the figures, then per owner role the documents that need something done."""
    failed = failing(result, fail_on)
    s = result.summary()
    lines = [f"## {msg.MARKDOWN_TITLE.format(today=result.today.isoformat())}", ""]
    if fail_on == "never":
        lines.append(msg.MARKDOWN_NEVER)
    elif failed:
        lines.append(msg.MARKDOWN_FAILED.format(count=len(failed), fail_on=fail_on))
    else:
        lines.append(msg.MARKDOWN_PASSED.format(fail_on=fail_on))
    overdue_warnings = sum(1 for f in result.findings if f.code == "overdue" and f.severity == "warning")
    lines += ["", f"{msg.summary_documents(s)} {msg.summary_findings(s, overdue_warnings)}", ""]
    failed_ids = {id(f) for f in failed}
    docs_by_path = {d.path: d for d in result.documents}
    groups: dict[str, list[tuple[str, str, str, str, int]]] = defaultdict(list)
    for doc in result.documents:
        state = result.state(doc)
        # Info findings stay out of a pull-request comment, except the one that says "due soon".
        found = [f for f in result.findings_for(doc.path) if f.severity != "info" or f.code == "due-soon"]
        if not found and state.status not in ("overdue", "due-soon"):
            continue
        todo = "<br>".join(
            ("✗ " if id(f) in failed_ids else "") + _md(f"{SEVERITY_LABELS[f.severity]}: {f.message} [{f.code}]")
            for f in found)
        name = _md(f"{doc.id} {doc.title or ''}".strip() if doc.id else doc.path)
        owner = result.org.role_title(doc.owner) if doc.owner else msg.MARKDOWN_NO_OWNER
        groups[owner].append((name, STATUS_LABELS[state.status],
                              state.due.isoformat() if state.due else "–", todo,
                              state.days_left if state.days_left is not None else 10**6))
    for f in result.findings:
        if f.path not in docs_by_path and f.severity != "info":
            where = f"{f.path}:{f.line}" if f.line else f.path
            groups[msg.MARKDOWN_OTHER_FILES].append((_md(where), "–", "–", ("✗ " if id(f) in failed_ids else "")
                                                     + _md(f"{SEVERITY_LABELS[f.severity]}: {f.message} [{f.code}]"),
                                                     10**6))
    if not groups:
        lines.append(msg.MARKDOWN_NOTHING)
    rows = 0
    for owner in sorted(groups, key=lambda o: (o == msg.MARKDOWN_OTHER_FILES, o == msg.MARKDOWN_NO_OWNER, o)):
        if rows >= _MARKDOWN_MAX_ROWS:
            break
        lines += [f"### {_md(owner)}", "", msg.MARKDOWN_HEADER, "|---|---|---|---|"]
        for name, status, due, todo, _ in sorted(groups[owner], key=lambda row: row[4]):
            if rows >= _MARKDOWN_MAX_ROWS:
                break
            lines.append(f"| {name} | {status} | {due} | {todo} |")
            rows += 1
        lines.append("")
    total = sum(len(g) for g in groups.values())
    if total > rows:
        lines += [msg.MARKDOWN_MORE.format(count=total - rows), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


FORMATS = {"text": render_text, "json": render_json, "github": render_github, "junit": render_junit,
           "gitlab": render_gitlab, "markdown": render_markdown}
