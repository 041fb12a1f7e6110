"""load.py: files -> Documents. Encodings, line endings, front matter, typed values, file names."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from conftest import FIXTURES, CopyFixture

from handbok.load import (
    decode,
    find_documents,
    load_document,
    load_documents,
    parse_date,
    parse_interval,
    split_front_matter,
)
from handbok.model import Document, Finding, Interval

GOOD = (
    "---\n"
    "id: EB-RUT-004\n"
    "title: Anvisning till arbetsmarknadsenheten\n"
    "type: rutin\n"
    "owner: enhetschef-forsorjningsstod\n"
    "decided_by: forvaltningschef\n"
    "decision_date: 2025-03-01\n"
    "decision_ref: SN 2025/14 § 22\n"
    "review_interval: 6 months\n"
    "processes: [anvisning-ame]\n"
    "requirements: [sosfs-2011-9/4-4]\n"
    'legal_refs: ["SoL 4 kap. 4 §"]\n'
    "audience: [socialsekreterare, arbetsmarknadshandlaggare]\n"
    "visibility: public\n"
    "tags: ami\n"
    "history:\n"
    "  - {date: 2025-03-01, version: '2.0', note: Ny arbetsgång}\n"
    "---\n"
    "\n"
    "# Rubrik i texten\n"
    "\n"
    "Text.\n"
)


def load(text: str | bytes, rel: str = "routines/a.md") -> tuple[Document, list[Finding]]:
    return load_document(rel, text.encode("utf-8") if isinstance(text, str) else text)


def where(findings: list[Finding]) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in findings]


def test_a_good_document_is_read_fully() -> None:
    doc, found = load(GOOD)
    assert found == []
    assert doc.readable and doc.front_matter
    assert (doc.id, doc.title, doc.type, doc.status) == (
        "EB-RUT-004", "Anvisning till arbetsmarknadsenheten", "rutin", "active")
    assert doc.decision_date == dt.date(2025, 3, 1)
    assert doc.decision_ref == "SN 2025/14 § 22"
    assert doc.review_interval == Interval(6)
    assert doc.processes == ["anvisning-ame"]
    assert doc.legal_refs == ["SoL 4 kap. 4 §"]
    assert doc.tags == ["ami"]  # a single text is a list of one
    assert doc.visibility == "public"
    assert [(h.date, h.version, h.note) for h in doc.history] == [
        (dt.date(2025, 3, 1), "2.0", "Ny arbetsgång")]
    assert doc.lines["id"] == 2 and doc.lines["history"] == 16
    assert doc.body_line == 19
    assert doc.body.startswith("\n# Rubrik i texten")


def test_defaults() -> None:
    doc, _ = load("---\nid: A\ntitle: T\n---\n")
    assert (doc.status, doc.visibility, doc.review_interval, doc.processes) == ("active", "internal", None, [])


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
def test_bom_and_line_endings_give_the_same_document_and_lines(prefix: bytes, newline: bytes) -> None:
    text = GOOD.replace("decision_date: 2025-03-01", "decision_date: 2025-02-30")
    data = prefix + text.encode("utf-8").replace(b"\n", newline)
    doc, found = load(data)
    assert where(found) == [("invalid-date", 7)]
    assert doc.id == "EB-RUT-004" and doc.lines["history"] == 16 and doc.body_line == 19
    assert "\r" not in doc.body and "\ufeff" not in (doc.id or "")


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_yaml_syntax_line_is_the_file_line_with_bom_and_crlf(newline: str) -> None:
    text = "---\nid: A\ntitle: T\ntype: rutin\nowner: a: b\n---\n"
    _, found = load(b"\xef\xbb\xbf" + text.replace("\n", newline).encode())
    assert [(f.code, f.severity, f.line) for f in found] == [("yaml-syntax", "error", 5)]


def test_cp1252_is_an_encoding_error_on_the_line_of_the_bad_byte() -> None:
    data = "---\nid: W-1\ntitle: Ansökan om bistånd\n---\n".encode("cp1252")
    doc, found = load(data, "routines/från word.md")
    assert [(f.code, f.severity, f.path, f.line) for f in found] == [
        ("encoding", "error", "routines/från word.md", 3)]
    assert "UTF-8" in found[0].message
    assert not doc.readable and doc.id is None


def test_utf16_is_an_encoding_error() -> None:
    _, found = load("---\nid: A\n---\n".encode("utf-16"))
    assert [f.code for f in found] == ["encoding"]


@pytest.mark.parametrize("text", ["# Bara text\n\nIngen metadata.\n", "", "\n---\nid: A\n---\n",
                                  " ---\nid: A\n---\n", "---"])
def test_missing_front_matter(text: str) -> None:
    doc, found = load(text)
    assert [(f.code, f.severity, f.line) for f in found] == [("missing-front-matter", "error", 1)]
    assert not doc.readable


def test_missing_front_matter_keeps_the_heading_as_title() -> None:
    doc, _ = load("# Rubriken\n\nText.\n")
    assert doc.title == "Rubriken"


def test_unclosed_front_matter_is_missing_front_matter_saying_so() -> None:
    doc, found = load("---\nid: A\ntitle: T\n\n# Rubrik\n")
    assert where(found) == [("missing-front-matter", 1)]
    assert "avslutas aldrig" in found[0].message
    assert not doc.readable


def test_front_matter_may_end_with_dots_and_trailing_spaces() -> None:
    doc, found = load("---  \nid: A\ntitle: T\n...\n# Rubrik\n")
    assert found == [] and doc.id == "A" and doc.body == "# Rubrik\n" and doc.body_line == 5


def test_empty_front_matter_is_read() -> None:
    doc, found = load("---\n---\n# Rubrik\n")
    assert found == [] and doc.readable and doc.title == "Rubrik" and doc.body_line == 3


def test_front_matter_that_is_not_a_mapping_is_a_yaml_syntax_error() -> None:
    doc, found = load("---\n- a\n- b\n---\n# Rubrik\n")
    assert [(f.code, f.line) for f in found] == [("yaml-syntax", 2)]
    assert doc.title == "Rubrik" and not doc.readable


def test_yaml_error_keeps_title_from_heading() -> None:
    doc, found = load("---\nid: [\n---\n\n# Rubriken\n")
    assert [f.code for f in found] == ["yaml-syntax"] and doc.title == "Rubriken"


def test_title_falls_back_to_the_first_heading_not_a_subheading() -> None:
    doc, _ = load("---\nid: A\n---\n\nIntro.\n\n## Syfte\n\n# Rubriken #\n")
    assert doc.title == "Rubriken"


def test_duplicate_key_line() -> None:
    _, found = load("---\nid: A\ntitle: T\nid: B\n---\n")
    assert [(f.code, f.severity, f.line, f.field) for f in found] == [("duplicate-key", "error", 4, "id")]


@pytest.mark.parametrize(("line", "code", "field"), [
    ("id: [a, b]", "invalid-value", "id"),
    ("title: {a: b}", "invalid-value", "title"),
    ("status: gällande", "invalid-value", "status"),
    ("status: Active", "invalid-value", "status"),
    ("visibility: hemlig", "invalid-value", "visibility"),
    ("review_interval: ibland", "invalid-value", "review_interval"),
    ("review_interval: 12", "invalid-value", "review_interval"),
    ("review_interval: 0 months", "invalid-value", "review_interval"),
    ("processes: {a: b}", "invalid-value", "processes"),
    ("related: [A, [B]]", "invalid-value", "related"),
    ("decision_date: 2023-02-30", "invalid-date", "decision_date"),
    ("decision_date: 2025-3-1", "invalid-date", "decision_date"),
    ("decision_date: 1 mars 2025", "invalid-date", "decision_date"),
    ("decision_date: 2025/03/01", "invalid-date", "decision_date"),
    ("valid_from: [2025-03-01]", "invalid-date", "valid_from"),
    ("review_date: 20250301", "invalid-date", "review_date"),
    ("last_reviewed: igår", "invalid-date", "last_reviewed"),
    ("history: en gång", "invalid-value", "history"),
])
def test_bad_values_are_findings_on_their_line(line: str, code: str, field: str) -> None:
    _, found = load(f"---\nversion: '1'\ntags: [a]\n{line}\n---\n")
    assert [(f.code, f.severity, f.field, f.line) for f in found] == [(code, "error", field, 4)]


def test_bad_list_item_points_at_its_own_line() -> None:
    _, found = load("---\nid: A\nrelated:\n  - B\n  - [C]\n  - D\n---\n")
    assert [(f.code, f.line, f.field) for f in found] == [("invalid-value", 5, "related")]


def test_invalid_date_messages_help() -> None:
    _, found = load("---\ndecision_date: 2025-3-1\nreview_date: 2023-02-30\n---\n")
    assert "2025-03-01" in found[0].message  # "menade du 2025-03-01?"
    assert "finns inte i kalendern" in found[1].message


def test_invalid_status_and_visibility_fall_back_to_defaults() -> None:
    doc, _ = load("---\nstatus: utkast\nvisibility: hemlig\n---\n")
    assert (doc.status, doc.visibility) == ("active", "internal")


def test_history_item_problems_point_at_the_item() -> None:
    _, found = load(
        "---\nid: A\nhistory:\n"
        "  - {date: 2025-01-01, note: bra}\n"
        "  - {date: 2025-13-01, note: fel månad}\n"
        "  - {date: 2025-01-01}\n"
        "  - {date: 2025-01-01, note: x, vem: jag}\n"
        "  - bara text\n"
        "---\n")
    assert [(f.code, f.severity, f.line) for f in found] == [
        ("invalid-date", "error", 5),
        ("missing-field", "error", 6),
        ("unknown-key", "warning", 7),
        ("invalid-value", "error", 8),
    ]


def test_empty_text_values_are_missing_not_present() -> None:
    doc, found = load('---\nid: A\ntitle: ""\nowner: "  "\ndecision_date: ""\n---\n\n# Rubrik\n')
    assert found == []
    assert (doc.owner, doc.decision_date, doc.title) == (None, None, "Rubrik")


@pytest.mark.parametrize(("text", "date"), [
    ("2025-03-01", dt.date(2025, 3, 1)),
    (" 2024-02-29 ", dt.date(2024, 2, 29)),
    ("2023-02-29", None),
    ("2023-02-30", None),
    ("2025-3-1", None),
    ("2025-03-1", None),
    ("25-03-01", None),
    ("2025-03-01T10:00", None),
    ("2026-W47-1", None),
    ("", None),
    (None, None),
    (20250301, None),
])
def test_parse_date_is_strict_iso(text: object, date: dt.date | None) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(("text", "months"), [
    ("6 months", 6), ("1 month", 1), ("1 year", 12), ("2 years", 24), ("6 månader", 6),
    ("1 månad", 1), ("3 år", 36), ("12 Months", 12), ("600 months", 600),
    ("0 months", None), ("601 months", None), ("51 years", None), ("6", None), ("six months", None),
    ("6 weeks", None), (None, None), ("-1 year", None),
])
def test_parse_interval(text: str | None, months: int | None) -> None:
    assert parse_interval(text) == (Interval(months) if months else None)


def test_decode() -> None:
    assert decode(b"\xef\xbb\xbfa\r\nb\rc\n") == "a\nb\nc\n"
    assert decode("å".encode("cp1252")) is None
    assert decode("åäö".encode()) == "åäö"


def test_split_front_matter() -> None:
    assert split_front_matter("---\na: 1\n---\nbody\n") == ("a: 1\n", "body\n", 4)
    assert split_front_matter("---\na: 1\n---") == ("a: 1\n", "", 4)
    assert split_front_matter("---\na: 1\n") == ("a: 1\n", None, 1)
    assert split_front_matter("no\n---\n") is None


def test_find_documents_any_depth_names_with_spaces_and_swedish_letters() -> None:
    root = FIXTURES / "odd-names"
    found = [p.relative_to(root).as_posix() for p in find_documents(root)]
    assert found == [
        "routines/Anvisning – AME (ny) 2026.md",
        "routines/Ekonomiskt bistånd/Nybesök och ansökan/Ansökan om bistånd.md",
        "routines/ä/ö/å/1/2/3/4/5/6/7/8/Djup utredning.md",
    ]  # hidden files and folders (.dold/, .gömd fil.md) and non-.md files are not documents


def test_very_deep_folders(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("odd-names")
    deep = root.joinpath("routines", *[f"nivå {i}" for i in range(40)])
    deep.mkdir(parents=True)
    (deep / "längst ner.md").write_bytes((FIXTURES / "faults/routines/ok.md").read_bytes())
    documents, findings = load_documents(root)
    paths = [d.path for d in documents]
    assert "routines/" + "/".join(f"nivå {i}" for i in range(40)) + "/längst ner.md" in paths
    assert findings == []


def test_load_documents_paths_are_relative_with_slashes() -> None:
    documents, _ = load_documents(FIXTURES / "odd-names")
    assert all(not d.path.startswith("/") and "\\" not in d.path for d in documents)
    assert {d.path: d.id for d in documents}["routines/Ekonomiskt bistånd/Nybesök och ansökan/Ansökan om bistånd.md"] \
        == "O-ANSOKAN"


def test_an_unreadable_file_is_a_finding_and_the_rest_are_read(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("odd-names")
    os.symlink(root / "finns-inte.md", root / "routines" / "trasig länk.md")
    documents, findings = load_documents(root)
    assert [(f.code, f.severity, f.path) for f in findings] == [("unreadable", "error", "routines/trasig länk.md")]
    assert len(documents) == 4 and sum(d.readable for d in documents) == 3


def test_a_folder_named_like_a_document_is_not_read(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("odd-names")
    (root / "routines" / "mapp.md").mkdir()
    documents, findings = load_documents(root)
    assert len(documents) == 3 and findings == []


def test_file_name_that_is_not_utf8_is_a_finding_not_a_document(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("odd-names")
    name = os.fsdecode(b"fr\xe5n-word.md")  # a cp1252 name, as unzipped from an old archive
    (root / "routines" / name).write_bytes((FIXTURES / "faults/routines/ok.md").read_bytes().replace(
        b"F-OK", b"F-NAME"))
    documents, findings = load_documents(root)
    assert not any(d.id == "F-NAME" for d in documents) and len(documents) == 3
    assert [(f.code, f.path) for f in findings] == [("file-name", "routines/fr\\xe5n-word.md")]


def test_find_documents_on_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert find_documents(tmp_path) == []


def _split_line_by_line(text: str) -> tuple[str, str | None, int] | None:
    """split_front_matter as it was written first: every line tried in turn."""
    import re

    fence = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
    first, newline, _ = text.partition("\n")
    if first.rstrip() != "---" or not newline:
        return None
    start = pos = len(first) + 1
    while True:
        end = text.find("\n", pos)
        line = text[pos:] if end == -1 else text[pos:end]
        if fence.match(line):
            yaml_text = text[start:pos]
            return yaml_text, "" if end == -1 else text[end + 1:], yaml_text.count("\n") + 3
        if end == -1:
            return text[start:], None, 1
        pos = end + 1


def test_split_front_matter_finds_the_fence_on_any_line() -> None:
    import random

    rng = random.Random(12)
    pieces = ["---", "...", "--- ", "---\t", " ---", "----", "..", "a: b", "", "\t", "x---", "--- x",
              "\r", "\x0b", "\x1c", "\u2028", "…"]
    for _ in range(20000):
        lines = [rng.choice(pieces) for _ in range(rng.randrange(0, 8))]
        if rng.random() < 0.7:
            lines.insert(0, rng.choice(["---", "--- ", "---\t"]))
        text = "\n".join(lines) + rng.choice(["", "\n"])
        assert split_front_matter(text) == _split_line_by_line(text), repr(text)
