"""Hostile and odd input: encodings, line endings, names, random bytes and random YAML."""

from __future__ import annotations

import datetime as dt
import shutil
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbok.core import check_handbook
from handbok.load import KNOWN_KEYS, load_document
from handbok.yamlread import YamlError, parse_yaml

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 22)

SOURCE = (
    "---\nid: B-001\ntitle: Rutin\ntype: rutin\nowner: o\ndecided_by: d\n"
    "decision_date: 2026-02-30\n---\n\n# Rutin\n"
)


def test_bom_and_crlf_keep_line_numbers() -> None:
    plain = load_document("routines/a.md", SOURCE.encode())[1]
    bom_crlf = load_document("routines/a.md", b"\xef\xbb\xbf" + SOURCE.replace("\n", "\r\n").encode())[1]
    assert [(f.code, f.line) for f in plain] == [("invalid-date", 7)]
    assert [(f.code, f.line) for f in bom_crlf] == [("invalid-date", 7)]


def test_bom_crlf_document_reads_fully() -> None:
    text = SOURCE.replace("2026-02-30", "2026-02-28")
    doc, found = load_document("routines/a.md", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert found == []
    assert (doc.id, doc.title, doc.decision_date) == ("B-001", "Rutin", dt.date(2026, 2, 28))
    assert "\r" not in doc.body


def test_cp1252_file_names_the_file() -> None:
    doc, found = load_document("routines/word.md", "---\nid: W\ntitle: Råd\n---\n".encode("cp1252"))
    assert [(f.code, f.path, f.line) for f in found] == [("encoding", "routines/word.md", 3)]
    assert not doc.readable


def test_names_with_spaces_and_swedish_letters_at_any_depth(tmp_path: Path) -> None:
    root = tmp_path / "h"
    shutil.copytree(FIXTURES / "clean", root)
    deep = root / "routines" / "å" / "b c" / "d" / "e"
    deep.mkdir(parents=True)
    (root / "routines/ansokan.md").rename(deep / "bemötande och ärenden.md")
    result = check_handbook(root, TODAY)
    assert [d.path for d in result.documents if d.id == "C-ansokan"] == [
        "routines/å/b c/d/e/bemötande och ärenden.md"]
    assert not [f for f in result.findings if f.severity == "error"]


def test_title_from_first_heading() -> None:
    doc, _ = load_document("routines/a.md", b"---\nid: A\n---\n\nIntro\n\n# Rubriken\n\n## Syfte\n")
    assert doc.title == "Rubriken"


def test_scalars_keep_their_text() -> None:
    doc, _ = load_document("routines/a.md", b"---\nid: 007\nversion: 3.10\ntitle: Ja\n---\n")
    assert (doc.id, doc.version, doc.title) == ("007", "3.10", "Ja")


def test_yaml_tags_and_self_reference_are_findings() -> None:
    for text in ("---\nid: !!python/object/apply:os.system [echo]\n---\n", "---\na: &a [*a]\n---\n"):
        _, found = load_document("routines/a.md", text.encode())
        assert [(f.code, f.line) for f in found] == [("yaml-syntax", 2)], found


def test_alias_bomb_is_not_expanded() -> None:
    levels = "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 12))
    text = "---\nid: B\na0: &a0 [x, x, x, x, x, x, x, x, x]\n" + levels + "---\n"
    doc, found = load_document("routines/a.md", text.encode())  # 9**12 items if expanded
    assert found == [] and doc.id == "B"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    load_document("routines/x.md", data)
    load_document("routines/x.md", b"---\n" + data)
    load_document("routines/x.md", b"---\n" + data + b"\n---\n")


YAML_ATOMS = st.sampled_from([
    *KNOWN_KEYS, "history", "date", "note", "render_macros", "x", "-", ":", " ", "  ", "\t", "[", "]", "{", "}",
    ",", "&a", "*a", "!!str", "!!python/name:os.system", "'", '"', "#", "|", ">", "?", "2023-02-30",
    "2025-03-01", "12 months", "null", "~", "yes", "\n", "\n  ", "\n- ", "%YAML 1.1", "---", "...", "@", "`",
    "\\", "\x00", "\u2028", "åäö",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(YAML_ATOMS, max_size=40))
def test_random_front_matter_never_raises(atoms: list[str]) -> None:
    text = "".join(atoms)
    load_document("routines/x.md", f"---\n{text}\n---\n\n# T\n".encode())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable + "åäö\u00a0", max_size=200))
def test_parse_yaml_raises_only_yaml_error(text: str) -> None:
    try:
        parse_yaml(text)
    except YamlError:
        pass


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(YAML_ATOMS, max_size=25), min_size=1, max_size=4))
def test_whole_check_on_random_files_never_raises(tmp_path: Path, files: list[list[str]]) -> None:
    root = tmp_path / "random"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(FIXTURES / "clean", root)
    for i, atoms in enumerate(files):
        (root / "routines" / f"r{i}.md").write_text("---\n" + "".join(atoms) + "\n---\n", encoding="utf-8")
    (root / "data/processes.yml").write_text("".join(files[0]), encoding="utf-8")
    result = check_handbook(root, TODAY)
    assert len(result.documents) >= len(files)
