"""`handbok review`: the surgical edit byte for byte, refusals, --due, --dry-run, the command line."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, TODAY, RunCli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbok.core import check_handbook
from handbok.edit import EditError, read_front_matter
from handbok.recording import review_documents, review_due
from handbok.yamlread import parse_yaml

DAY = "2026-11-22"  # TODAY in conftest


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The review-gate handbook: three rutiner of enhetschef-forsorjningsstod (holder Anna
    Exempel), decided 2025-12-01, so due 2026-12-01 (due soon on TODAY)."""
    target = tmp_path / "hb"
    shutil.copytree(FIXTURES / "review-gate", target)
    return target


def review(root: Path, *ids: str, date: dt.date = TODAY, by: str | None = None, note: str | None = None,
           dry_run: bool = False):  # type: ignore[no-untyped-def]
    return review_documents(check_handbook(root, TODAY), list(ids), date, by, note, dry_run)


def write(root: Path, name: str, data: bytes) -> Path:
    path = root / "routines" / name
    path.write_bytes(data)
    return path


# --- Byte for byte --------------------------------------------------------------------------

COMMENTED = (
    "\ufeff---\r\n"
    "# Rutinen ägs av försörjningsstöd.\r\n"
    "id: T-1   # fast id\r\n"
    "title: 'Rutin: test'\r\n"
    "type: rutin\r\n"
    "owner: enhetschef-forsorjningsstod\r\n"
    "decided_by: forvaltningschef\r\n"
    "decision_date: \"2025-12-01\"\r\n"
    "review_date: '2026-12-01'  # enligt nämndens beslut\r\n"
    "last_reviewed: \"2026-01-15\" # senast\r\n"
    "processes: [ansokan]\r\n"
    "\r\n"
    "# Historiken, nyast först\r\n"
    "history: [{date: 2025-12-01, version: '1.0', note: 'Första versionen'}]  # slut\r\n"
    "tags:\r\n"
    "- a\r\n"
    "- b\r\n"
    "---\r\n"
    "\r\n"
    "# Rutin: test\r\n"
    "Text utan radslut i slutet."
)
COMMENTED_REVIEWED = (
    "\ufeff---\r\n"
    "# Rutinen ägs av försörjningsstöd.\r\n"
    "id: T-1   # fast id\r\n"
    "title: 'Rutin: test'\r\n"
    "type: rutin\r\n"
    "owner: enhetschef-forsorjningsstod\r\n"
    "decided_by: forvaltningschef\r\n"
    "decision_date: \"2025-12-01\"\r\n"
    "review_date: '2027-11-22'  # enligt nämndens beslut\r\n"
    "last_reviewed: \"2026-11-22\" # senast\r\n"
    "reviewed_by: Anna Exempel\r\n"
    "processes: [ansokan]\r\n"
    "\r\n"
    "# Historiken, nyast först\r\n"
    "history: [{date: 2026-11-22, note: 'Granskad utan ändringar'}, "
    "{date: 2025-12-01, version: '1.0', note: 'Första versionen'}]  # slut\r\n"
    "tags:\r\n"
    "- a\r\n"
    "- b\r\n"
    "---\r\n"
    "\r\n"
    "# Rutin: test\r\n"
    "Text utan radslut i slutet."
)


def test_comments_crlf_bom_quotes_flow_list_and_review_date(root: Path) -> None:
    path = write(root, "t1.md", COMMENTED.encode())
    outcome = review(root, "T-1")
    assert outcome.code == 0, outcome.err
    assert path.read_bytes() == COMMENTED_REVIEWED.encode()
    assert "2027-11-22" in outcome.out[0]


BLOCK_OLDEST_FIRST = """---
id: T-2
title: Block
type: rutin
owner: enhetschef-forsorjningsstod
decided_by: forvaltningschef
decision_date: 2025-12-01
reviewed_by: "Gammal Granskare"
history:
  - date: 2024-01-01
    note: Första
  - date: 2025-12-01
    version: "2.0"
    note: "Andra"
visibility: internal
---
Text
"""
BLOCK_OLDEST_FIRST_REVIEWED = """---
id: T-2
title: Block
type: rutin
owner: enhetschef-forsorjningsstod
decided_by: forvaltningschef
decision_date: 2025-12-01
last_reviewed: 2026-11-20
reviewed_by: "Bo Bengtsson"
history:
  - date: 2024-01-01
    note: Första
  - date: 2025-12-01
    version: "2.0"
    note: "Andra"
  - date: 2026-11-20
    note: "Läst igenom med gruppen"
visibility: internal
---
Text
"""


def test_block_history_oldest_first_and_existing_reviewed_by(root: Path) -> None:
    path = write(root, "t2.md", BLOCK_OLDEST_FIRST.encode())
    outcome = review(root, "T-2", date=dt.date(2026, 11, 20), by="Bo Bengtsson", note="Läst igenom med gruppen")
    assert outcome.code == 0, outcome.err
    assert path.read_text(encoding="utf-8") == BLOCK_OLDEST_FIRST_REVIEWED


def test_no_history_no_last_reviewed_no_final_newline_in_front_matter_neighbourhood(root: Path) -> None:
    before = ("---\nid: T-3\ntitle: Ny\ntype: rutin\nowner: enhetschef-forsorjningsstod\n"
              "decided_by: forvaltningschef\ndecision_date: 2025-12-01\ndecision_ref: SN 2025/1\n"
              "audience: [socialsekreterare]\n---\n# Ny")
    after = ("---\nid: T-3\ntitle: Ny\ntype: rutin\nowner: enhetschef-forsorjningsstod\n"
             "decided_by: forvaltningschef\ndecision_date: 2025-12-01\ndecision_ref: SN 2025/1\n"
             "last_reviewed: 2026-11-22\nreviewed_by: Anna Exempel\n"
             "audience: [socialsekreterare]\nhistory:\n  - {date: 2026-11-22, note: \"Granskad utan ändringar\"}\n"
             "---\n# Ny")
    path = write(root, "t3.md", before.encode())
    assert review(root, "T-3").code == 0
    assert path.read_text(encoding="utf-8") == after


def test_block_flow_items_newest_first_and_empty_history(root: Path) -> None:
    path = write(root, "t4.md", (
        b"---\nid: T-4\ntitle: A\ntype: rutin\nowner: enhetschef-forsorjningsstod\n"
        b"decided_by: forvaltningschef\ndecision_date: 2025-12-01\nhistory:\n"
        b"    -   {date: 2025-12-01, note: Ny}\n    -   {date: 2024-12-01, note: Gammal}\n---\n"))
    empty = write(root, "t5.md", (
        b"---\nid: T-5\ntitle: B\ntype: rutin\nowner: enhetschef-forsorjningsstod\n"
        b"decided_by: forvaltningschef\ndecision_date: 2025-12-01\nhistory: []\n---\n"))
    null = write(root, "t6.md", (
        "---\nid: T-6\ntitle: C\ntype: rutin\nowner: enhetschef-forsorjningsstod\n"
        "decided_by: forvaltningschef\ndecision_date: 2025-12-01\nhistory:   # ingen än\n---\n").encode())
    assert review(root, "T-4", "T-5", "T-6", by="Anna").code == 0
    assert "history:\n    -   {date: 2026-11-22, note: \"Granskad utan ändringar\"}\n    -   {date: 2025-12-01" \
        in path.read_text(encoding="utf-8")
    assert "history: [{date: 2026-11-22, note: \"Granskad utan ändringar\"}]\n" in empty.read_text(encoding="utf-8")
    assert "history: # ingen än\n  - {date: 2026-11-22, note: \"Granskad utan ändringar\"}\n---\n" \
        in null.read_text(encoding="utf-8")


def test_a_name_that_needs_quotes_is_quoted(root: Path) -> None:
    path = write(root, "t7.md", (
        b"---\nid: T-7\ntitle: A\ntype: rutin\nowner: enhetschef-forsorjningsstod\n"
        b"decided_by: forvaltningschef\ndecision_date: 2025-12-01\n---\n"))
    assert review(root, "T-7", by="yes: #1", note="Kontrollerad: inga ändringar").code == 0
    value = parse_yaml(path.read_text(encoding="utf-8").split("---\n")[1]).value
    assert value["reviewed_by"] == "yes: #1"
    assert value["history"] == [{"date": DAY, "note": "Kontrollerad: inga ändringar"}]


# --- Refusals: no change at all ----------------------------------------------------------


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((root / "routines").rglob("*.md"))}


@pytest.mark.parametrize(("extra", "ids", "kwargs", "needle"), [
    ("status: draft\n", ["T-9"], {}, "utkast"),
    ("status: repealed\n", ["T-9"], {}, "upphävt"),
    ("last_reviewed: 2026-13-01\n", ["T-9"], {}, "fel i metadatan"),
    ("", ["T-8"], {}, "Inget dokument har id T-8"),
    ("", ["T-9"], {"date": dt.date(2026, 12, 1)}, "efter dagens datum"),
    ("", ["T-9"], {"date": dt.date(2025, 1, 1)}, "före beslutsdatumet"),
    ("last_reviewed: 2026-06-01\n", ["T-9"], {"date": dt.date(2026, 5, 1)}, "före den senaste"),
    ("last_reviewed: 2026-11-22\n", ["T-9"], {}, "redan registrerad"),
    ("", ["T-9", "G-ansokan", "NOPE"], {}, "Inget dokument har id NOPE"),
    ("", ["T-9", "T-9"], {}, "flera gånger"),
])
def test_refused_and_nothing_written(root: Path, extra: str, ids: list[str], kwargs: dict[str, dt.date],
                                     needle: str) -> None:
    write(root, "t9.md", ("---\nid: T-9\ntitle: A\ntype: rutin\nowner: enhetschef-forsorjningsstod\n"
                          f"decided_by: forvaltningschef\ndecision_date: 2025-12-01\n{extra}---\n").encode())
    before = _snapshot(root)
    outcome = review(root, *ids, **kwargs)  # type: ignore[arg-type]
    assert outcome.code == 1
    assert needle in "\n".join(outcome.err)
    assert "Inget ändrades" in outcome.err[-1]
    assert _snapshot(root) == before


def test_a_layout_that_cannot_be_edited_safely_is_refused(root: Path) -> None:
    path = write(root, "t10.md", (
        b"---\n{id: T-10, title: A, type: rutin, owner: enhetschef-forsorjningsstod,\n"
        b" decided_by: forvaltningschef, decision_date: 2025-12-01}\n---\n"))
    before = path.read_bytes()
    outcome = review(root, "T-10")
    assert outcome.code == 1 and "kan inte ändras säkert" in outcome.err[0]
    assert path.read_bytes() == before


def test_lone_cr_is_refused() -> None:
    with pytest.raises(EditError):
        read_front_matter(b"---\rid: x\r---\r")


# --- --due, --dry-run ------------------------------------------------------------------------


def test_due_reviews_all_of_one_owners_due_documents(root: Path) -> None:
    result = check_handbook(root, TODAY)
    outcome = review_due(result, "enhetschef-forsorjningsstod", TODAY, None, None, False)
    assert outcome.code == 0, outcome.err
    assert len(outcome.out) == 3
    after = check_handbook(root, TODAY)
    assert {after.state(d).status for d in after.documents} == {"current"}
    assert all(d.reviewed_by == "Anna Exempel" and d.last_reviewed == TODAY for d in after.documents)


def test_due_with_nothing_due_and_an_unknown_role(root: Path) -> None:
    result = check_handbook(root, TODAY)
    assert "inga försenade" in review_due(result, "enhetschef-ame", TODAY, None, None, False).out[0]
    unknown = review_due(result, "enhetschef-forsorjningstod", TODAY, None, None, False)
    assert unknown.code == 2 and "Menade du enhetschef-forsorjningsstod" in unknown.err[0]


def test_dry_run_prints_the_diff_and_writes_nothing(root: Path) -> None:
    before = _snapshot(root)
    outcome = review(root, "G-ansokan", dry_run=True)
    assert outcome.code == 0
    assert "+last_reviewed: 2026-11-22" in outcome.out[0]
    assert "--- a/routines/ansokan.md" in outcome.out[0]
    assert "inget har ändrats" in outcome.out[-1]
    assert _snapshot(root) == before


def test_the_command_line(cli: RunCli, root: Path) -> None:
    run = cli("review", "G-ansokan", "G-utredning", "-C", root, "--by", "Kim", "--today", DAY)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("Granskning registrerad") == 2
    again = cli("review", "G-ansokan", "-C", root, "--today", DAY)
    assert again.returncode == 1 and "redan registrerad" in again.stderr
    due = cli("review", "--due", "--owner", "enhetschef-forsorjningsstod", "-C", root, "--today", DAY,
              "--dry-run")
    assert due.returncode == 0 and "anvisning-ame.md" in due.stdout and "ansokan.md\n" not in due.stdout
    assert cli("review", "-C", root).returncode == 2
    assert cli("review", "X", "--due", "--owner", "a", "-C", root).returncode == 2
    assert cli("review", "G-ansokan", "--date", "igår", "-C", root).returncode == 2
    assert cli("review", "G-ansokan", "-C", root / "saknas").returncode == 2
    check = cli("check", root, "--today", DAY, "--format", "json")
    assert '"unknown-key"' not in check.stdout  # reviewed_by is a known field


# --- Property: nothing but its lines ---------------------------------------------------------

_TOUCHED = re.compile(r"\s*(last_reviewed|reviewed_by|review_date|history)\s*:|\s*-\s|\s+(date|note|version):")


@st.composite
def documents(draw: st.DrawFn) -> tuple[bytes, bool]:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    quote = draw(st.sampled_from(["", "'", '"']))
    comment = st.sampled_from(["", "  # kommentar", " #x: [y]"])
    keys = [
        f"id: {quote}T-P{quote}{draw(comment)}",
        "title: Egenskap",
        "type: rutin",
        "owner: enhetschef-forsorjningsstod",
        "decided_by: forvaltningschef",
        f"decision_date: {quote}2025-12-01{quote}{draw(comment)}",
    ]
    optional = {
        "review_date": f"review_date: {quote}2026-12-01{quote}{draw(comment)}",
        "last_reviewed": f"last_reviewed: {quote}2026-01-0{draw(st.integers(1, 9))}{quote}{draw(comment)}",
        "reviewed_by": "reviewed_by: " + draw(st.sampled_from(["Per", "'Per Ö'", '"P: Q"'])),
        "tags": draw(st.sampled_from(["tags: [a, b]", "tags:\n- a\n- b", "tags:\n  - a   # c"])),
        "history": draw(st.sampled_from([
            "history: [{date: 2025-12-01, note: Ny}]",
            "history:\n  - {date: 2025-12-01, note: 'Ny'}\n  - {date: 2024-12-01, note: Gammal}",
            "history:\n- date: 2024-12-01\n  note: Gammal\n- date: 2025-12-01\n  note: \"Ny\"",
            "history: [\n  {date: 2024-01-01, note: a},\n  {date: 2025-01-01, note: b},\n]",
            "history:",
        ])),
        "audience": "audience: [socialsekreterare]",
    }
    chosen = draw(st.lists(st.sampled_from(sorted(optional)), unique=True))
    lines = keys + [optional[k] for k in chosen]
    lines = draw(st.permutations(lines))
    out: list[str] = []
    for line in lines:
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(["# en kommentar", "", "   "])))
        out.append(line)
    bom = draw(st.booleans())
    body = draw(st.sampled_from(["# Rubrik\n\nText", "Text\n", ""]))
    text = newline.join(["---", *"\n".join(out).split("\n"), "---", body])
    text = text.replace("\n", newline) if newline == "\r\n" else text
    text = text.replace("\r\r\n", "\r\n")
    has_review_date = "review_date" in chosen
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"), has_review_date


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=documents())
def test_review_never_changes_anything_but_its_lines(root: Path, case: tuple[bytes, bool]) -> None:
    data, _ = case
    path = write(root, "p.md", data)
    outcome = review(root, "T-P")
    if outcome.code != 0:  # only a layout the editor cannot handle may be refused, never garbled
        assert "kan inte ändras säkert" in "\n".join(outcome.err), outcome.err
        assert path.read_bytes() == data
        return
    new = path.read_bytes()
    assert new.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
    old_lines = data.decode("utf-8-sig").splitlines(keepends=True)
    new_lines = new.decode("utf-8-sig").splitlines(keepends=True)
    assert new.endswith(data[-1:])
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        assert tag != "delete", (old_lines[i1:i2], new_lines)
        for line in old_lines[i1:i2] + new_lines[j1:j2]:
            assert _TOUCHED.match(line) or line.strip() in ("", "]") or line.lstrip().startswith("{"), \
                (tag, line, old_lines, new_lines)
    crlf = "\r\n" in data.decode("utf-8-sig").split("\n", 1)[0] + "\n"
    for line in new_lines:
        if line.endswith("\n"):
            assert line.endswith("\r\n") == crlf
    after = check_handbook(root, TODAY)
    doc = after.by_id()["T-P"]
    assert doc.last_reviewed == TODAY
    assert not [f for f in after.findings_for("routines/p.md") if f.severity == "error"]
    path.unlink()


def test_every_active_document_of_the_example_handbook(tmp_path: Path) -> None:
    """The real documents: each reviewed, only its lines changed, no new error."""
    repo = Path(__file__).parent.parent
    root = tmp_path / "exempel"
    root.mkdir()
    for name in ("routines", "data", "mkdocs.yml"):
        (shutil.copytree if name != "mkdocs.yml" else shutil.copy)(repo / name, root / name)
    before = check_handbook(root, TODAY)
    errors_before = {(f.path, f.code) for f in before.findings if f.severity == "error"}
    ids = [d.id for d in before.documents
           if d.id and d.status == "active"
           and not any(f.severity == "error" and (f.line or 0) < d.body_line for f in before.findings_for(d.path))]
    assert len(ids) > 20
    old = _snapshot(root)
    outcome = review_documents(before, ids, TODAY, None, None, False)
    assert outcome.code == 0, outcome.err
    after = check_handbook(root, TODAY)
    assert {(f.path, f.code) for f in after.findings if f.severity == "error"} <= errors_before
    assert all(after.state(d).status in ("current", "draft", "repealed") for d in after.documents if d.id in ids)
    for path, data in _snapshot(root).items():
        old_lines = old[path].decode("utf-8").splitlines()
        new_lines = data.decode("utf-8").splitlines()
        for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes():
            assert tag in ("equal", "insert") or all(_TOUCHED.match(line) for line in old_lines[i1:i2]), path
