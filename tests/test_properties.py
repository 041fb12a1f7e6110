"""Property tests: no input, however odd, gets past the core as an exception.

Random bytes and random YAML-ish front matter go through load_document and a whole
check_handbook (and every output format); random text goes through parse_yaml.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import FIXTURES, TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbok.core import check_handbook, to_json
from handbok.formats import render
from handbok.load import KNOWN_KEYS, load_document
from handbok.model import SEVERITIES, STATUSES, Document
from handbok.organisation import BUILTIN_TYPES
from handbok.review import add_months, review_state
from handbok.validate import validate_documents
from handbok.yamlread import YamlError, parse_yaml


def examples(n: int, *checks: HealthCheck) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow, *checks])

# --- strategies ------------------------------------------------------------------------------

KEYS = st.one_of(
    st.sampled_from(KNOWN_KEYS),
    st.sampled_from(["decison_date", "render_macros", "macros", "Title", "date", "note", "version", "<<",
                     "? a", "- id", "'id'", '"owner"', "", " ", "~", "null", "1", "å", "id id"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö_-.:#&*!", min_size=1, max_size=12),
)
SCALARS = st.one_of(
    st.sampled_from([
        "2025-03-01", "2023-02-30", "2025-3-1", "2024-02-29", "2023-02-29", "0000-00-00", "9999-12-31",
        "6 months", "1 year", "0 months", "9999 years", "draft", "active", "repealed", "public", "internal",
        "rutin", "policy", "okand", "enhetschef-ame", "forvaltningschef", "socialnamnden", "ansokan",
        "sosfs-2011-9/4-4", "T-001", "007", "3.10", "yes", "no", "~", "null", "true", ".inf", "0x1F",
        "SN 2025/14 § 22", "<script>alert(1)</script>", "{{ 7*7 }}", "100%", "a: b", "- x",
    ]),
    st.sampled_from(["'", '"', "[", "]", "{", "}", ",", "&a", "*a", "!!str", "!!python/object:os.system",
                     "!egen", "|", ">", "#", "@", "`", "%", "\\", "\t", "\x00", "\x01", "\u2028", "\ufeff",
                     "\r", "---", "..."]),
    st.sampled_from(['"\\x01"', '"\\ud800"', '"\\e\\a%0A"']),  # YAML escapes: control characters in values
    st.text(max_size=15),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(KEYS, inner), max_size=3).map(
            lambda kvs: "{" + ", ".join(f"{k}: {v}" for k, v in kvs) + "}"),
        st.tuples(inner, inner).map(lambda ab: f'"{ab[0]}\\n{ab[1]}"'),
        inner.map(lambda v: f"'{v}'"),
    ),
    max_leaves=8,
)
INDENTS = st.sampled_from(["", "", "", "  ", "    ", " ", "\t", "  - ", "- "])
SEPARATORS = st.sampled_from([": ", ": ", ":", " : ", ":  ", ": |\n  ", ": >\n  ", ":\n  - ", ":\n    "])
ESCAPES = st.sampled_from(['"\\x01"', '"a\\x0bb"', '"\\u0000"', '"\\uffff"', '"\\e\\a%0A"', '"100%\\n:,"'])
LINES = st.one_of(
    st.tuples(INDENTS, KEYS, SEPARATORS, VALUES).map("".join),
    st.tuples(st.sampled_from(KNOWN_KEYS), ESCAPES).map(": ".join),  # odd characters into messages
    st.sampled_from(["", "# kommentar", "---", "...", "%YAML 1.1", "- a", "  -", "?", ":", "&a x: 1"]),
    st.tuples(INDENTS, VALUES).map("".join),
)
FRONT_MATTER = st.lists(LINES, max_size=14).map("\n".join)
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    """A routine file: maybe a BOM, front matter from the strategy, a body, some line ending."""
    newline = draw(NEWLINES)
    body = draw(st.sampled_from(["# Rubrik\n\nText.", "", "<div>html</div>", "```\n<b>\n```", "{{ x }}"]))
    text = "---\n" + draw(FRONT_MATTER) + draw(st.sampled_from(["\n---\n", "\n...\n", "\n", ""])) + body
    data = text.replace("\n", newline).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data


def check_findings(findings: list, rel: str, data: bytes) -> None:
    lines = data.count(b"\n") + data.count(b"\r") + 2
    for f in findings:
        assert f.severity in SEVERITIES
        assert f.path == rel
        assert f.line is None or 1 <= f.line <= lines, (f, lines)
        assert isinstance(f.message, str) and f.message.strip()


# --- load_document --------------------------------------------------------------------------


@examples(300)
@given(st.binary(max_size=600), st.sampled_from([b"", b"---\n", b"\xef\xbb\xbf---\r\n"]),
       st.sampled_from([b"", b"\n---\n", b"\n---\n# Rubrik\n"]))
def test_random_bytes_never_raise(data: bytes, prefix: bytes, suffix: bytes) -> None:
    raw = prefix + data + suffix
    doc, findings = load_document("routines/x.md", raw)
    assert isinstance(doc, Document)
    check_findings(findings, "routines/x.md", raw)
    if not doc.readable:
        assert any(f.severity == "error" for f in findings)


@examples(400)
@given(documents())
def test_random_front_matter_never_raises_and_findings_are_sane(data: bytes) -> None:
    doc, findings = load_document("routines/x.md", data)
    check_findings(findings, "routines/x.md", data)
    assert doc.status in ("draft", "active", "repealed")
    assert doc.visibility in ("internal", "public")
    assert all(isinstance(x, str) for x in [*doc.related, *doc.processes, *doc.tags, *doc.audience])
    more = validate_documents([doc], _organisation())
    check_findings(more, "routines/x.md", data)
    state = review_state(doc, BUILTIN_TYPES, TODAY)
    assert state.status in STATUSES


_ORG = None


def _organisation():  # noqa: ANN202 - loaded once, lazily
    global _ORG
    if _ORG is None:
        from handbok.organisation import load_organisation

        _ORG = load_organisation(FIXTURES / "basic")[0]
    return _ORG


@st.composite
def spaced_keys(draw: st.DrawFn) -> tuple[list[str], dict[str, int]]:
    """Valid `key: value` lines with blank and comment lines between; key -> its file line."""
    keys = draw(st.lists(st.sampled_from(KNOWN_KEYS), min_size=1, max_size=10, unique=True))
    lines: list[str] = []
    where: dict[str, int] = {}
    for key in keys:
        lines.extend(draw(st.lists(st.sampled_from(["", "# kommentar", "   "]), max_size=3)))
        lines.append(f"{key}: x")
        where[key] = len(lines) + 1  # + the opening ---
    return lines, where


@examples(200)
@given(spaced_keys(), NEWLINES, st.booleans())
def test_key_lines_survive_bom_and_any_line_ending(spaced: tuple[list[str], dict[str, int]], newline: str,
                                                    bom: bool) -> None:
    lines, where = spaced
    text = newline.join(["---", *lines, "---", "", "# Rubrik", ""])
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    doc, _ = load_document("routines/x.md", data)
    assert doc.lines == where
    assert doc.body_line == len(lines) + 3


# --- parse_yaml -----------------------------------------------------------------------------


@examples(300)
@given(st.one_of(st.text(max_size=300), FRONT_MATTER))
def test_parse_yaml_raises_only_yaml_error(text: str) -> None:
    try:
        parsed = parse_yaml(text)
    except YamlError as exc:
        assert isinstance(exc.message, str) and exc.message
        assert exc.line is None or exc.line >= 1
        return
    for key, line in parsed.lines.items():
        assert isinstance(key, str) and line >= 1


# --- the whole check --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


GITHUB_LINE = re.compile(r"::(error|warning|notice) file=[^,\n]+(,line=\d+)?,title=[a-z-]+::[^\n]*")


@examples(80, HealthCheck.function_scoped_fixture)
@given(files=st.lists(documents(), min_size=1, max_size=3), processes=st.one_of(st.none(), FRONT_MATTER),
       names=st.lists(st.sampled_from(["a.md", "b c.md", "å/ä.md", "x/y/z.md", "%,:.md"]), min_size=3,
                      max_size=3, unique=True))
def test_whole_check_and_every_format_on_random_files(scratch: Path, files: list[bytes],
                                                       processes: str | None, names: list[str]) -> None:
    root = scratch / "handbook"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(FIXTURES / "review-gate", root)
    for name, data in zip(names, files, strict=False):
        path = root / "routines" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if processes is not None:
        (root / "data/processes.yml").write_text(processes, encoding="utf-8", errors="surrogatepass")
    result = check_handbook(root, TODAY)
    assert len(result.documents) == 3 + len(files)
    assert set(result.states) == {d.path for d in result.documents}
    data = json.loads(render(result, "json", "overdue"))
    assert data == json.loads(json.dumps(to_json(result)))
    assert data["summary"]["documents"] == len(result.documents)
    junit = render(result, "junit", "overdue")
    ET.fromstring(junit.encode("utf-8", "backslashreplace"))
    github = render(result, "github", "overdue").rstrip("\n").split("\n")  # as the runner reads it
    assert all(GITHUB_LINE.fullmatch(line) for line in github[:-1]), github
    assert len(github) == len(result.findings) + 1
    text = render(result, "text", "never")
    assert text.rstrip("\n").split("\n")[-1] == "Kontrollen stoppar aldrig bygget (--fail-on never)."


# --- dates ------------------------------------------------------------------------------------


@examples(300)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2500, 12, 31)), st.integers(0, 600))
def test_add_months_clamps_and_never_goes_back(start: dt.date, months: int) -> None:
    end = add_months(start, months)
    assert end >= start
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == min(start.day, calendar.monthrange(end.year, end.month)[1])


@examples(300)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
       st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)), st.integers(0, 3650))
def test_status_follows_days_left(due: dt.date, today: dt.date, warn_days: int) -> None:
    doc = Document(path="routines/x.md", type="rutin", review_date=due)
    state = review_state(doc, BUILTIN_TYPES, today, warn_days)
    assert state.due == due and state.days_left == (due - today).days
    expected = "overdue" if due < today else "due-soon" if (due - today).days <= warn_days else "current"
    assert state.status == expected
