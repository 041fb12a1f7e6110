"""Every finding code, from the `faults` handbook (one known fault per file) and small variants.

Each file's findings are compared whole: code, severity, line and field. A rule that breaks
shows up as a missing finding, an extra one, or one on the wrong line.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import FIXTURES, TODAY, CopyFixture

from handbok.core import Result, check_handbook
from handbok.model import Finding

E, W, I = "error", "warning", "info"  # noqa: E741

# path -> every finding on it: (code, severity, line, field)
EXPECTED: dict[str, list[tuple[str, str, int | None, str | None]]] = {
    "routines/ok.md": [],
    "routines/draft.md": [],  # a draft needs no owner, decided_by or decision_date
    "routines/repealed.md": [],
    "routines/yaml-syntax.md": [("yaml-syntax", E, 5, None)],
    "routines/no-front-matter.md": [("missing-front-matter", E, 1, None)],
    "routines/unclosed.md": [("missing-front-matter", E, 1, None)],
    "routines/missing-fields.md": [
        ("missing-field", E, 1, "id"), ("missing-field", E, 1, "type"), ("missing-field", E, 1, "owner"),
        ("missing-field", E, 1, "decided_by"), ("missing-field", E, 1, "decision_date")],
    "routines/empty-fields.md": [("missing-field", E, 5, "owner"), ("missing-field", E, 7, "decision_date")],
    "routines/dates.md": [
        ("invalid-date", E, 7, "decision_date"), ("invalid-date", E, 8, "review_date"),
        ("invalid-date", E, 9, "last_reviewed")],
    "routines/values.md": [
        ("invalid-value", E, 2, "id"), ("invalid-value", E, 5, "status"),
        ("invalid-value", E, 9, "review_interval"), ("invalid-value", E, 10, "visibility")],
    "routines/misspelt.md": [("missing-field", E, 1, "decision_date"), ("unknown-key", W, 7, "decison_date")],
    "routines/unknown-type.md": [("unknown-type", E, 4, "type")],
    "routines/unknown-owner.md": [("unknown-owner", E, 5, "owner")],  # decided_by: the same body is fine
    "routines/unknown-decider.md": [("unknown-owner", E, 6, "decided_by")],
    "routines/dup-a.md": [("duplicate-id", E, 2, "id")],
    "routines/sub/dup-b.md": [("duplicate-id", E, 2, "id")],
    "routines/sub/deeper/dup-c.md": [("duplicate-id", E, 3, "id")],
    "routines/references.md": [
        ("unknown-reference", E, 8, "related"), ("unknown-reference", E, 9, "supersedes"),
        ("unknown-reference", E, 10, "superseded_by"), ("unknown-reference", E, 11, "processes"),
        ("unknown-reference", E, 12, "requirements"), ("unknown-reference", E, 13, "unit"),
        ("unknown-reference", E, 14, "audience")],
    "routines/review-before-decision.md": [
        ("review-before-decision", E, 8, "review_date"), ("overdue", W, 8, "review_date")],
    "routines/stale.md": [("overdue", W, 9, "review_date"), ("stale-review-date", W, 9, "review_date")],
    "routines/overdue.md": [("overdue", W, 7, "review_date")],
    "routines/due-soon.md": [("due-soon", I, 7, "review_date")],
    "routines/duplicate-key.md": [("duplicate-key", E, 8, "owner")],
    "routines/render-macros.md": [("render-macros", E, 8, "render_macros")],
    "routines/raw-html.md": [("raw-html", W, 20, None)],
    "routines/unsafe-link.md": [("unsafe-link", W, 16, None)],
    "routines/history.md": [("invalid-date", E, 10, "history"), ("missing-field", E, 11, "history")],
    "data/processes.yml": [("process-gap", W, 9, None)],  # anvisning-ame: only a draft covers it
}


def shape(findings: list[Finding]) -> list[tuple[str, str, int | None, str | None]]:
    return sorted((f.code, f.severity, f.line, f.field) for f in findings)


@pytest.fixture(scope="module")
def faults(checked: Callable[[str], Result]) -> Result:
    return checked("faults")


def test_the_table_covers_every_file(faults: Result) -> None:
    assert {d.path for d in faults.documents} | {"data/processes.yml"} == set(EXPECTED)
    assert {f.path for f in faults.findings} <= set(EXPECTED)


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_findings_of_each_file(faults: Result, path: str) -> None:
    assert shape(faults.findings_for(path)) == sorted(EXPECTED[path])


def test_every_finding_names_its_document(faults: Result) -> None:
    ids = {d.path: d.id for d in faults.documents}
    for f in faults.findings:
        if f.path.startswith("routines/"):
            assert f.document == ids[f.path]
        assert f.message.strip()


def message(result: Result, path: str, code: str, field: str | None = None) -> str:
    found = [f for f in result.findings_for(path) if f.code == code and (field is None or f.field == field)]
    assert len(found) == 1, found
    return found[0].message


@pytest.mark.parametrize(("path", "code", "field", "words"), [
    ("routines/yaml-syntax.md", "yaml-syntax", None, ["kolon", "citattecken"]),
    ("routines/no-front-matter.md", "missing-front-matter", None, ["---", "id, title"]),
    ("routines/unclosed.md", "missing-front-matter", None, ["avslutas aldrig", "---"]),
    ("routines/missing-fields.md", "missing-field", "decision_date", ["decision_date saknas", "2025-03-01"]),
    ("routines/missing-fields.md", "missing-field", "owner", ["owner saknas", "roll"]),
    ("routines/dates.md", "invalid-date", "decision_date", ["2023-02-30", "finns inte i kalendern"]),
    ("routines/dates.md", "invalid-date", "review_date", ["2025-3-1", "Menade du 2025-03-01?"]),
    ("routines/dates.md", "invalid-date", "last_reviewed", ["förra våren", "ÅÅÅÅ-MM-DD"]),
    ("routines/values.md", "invalid-value", "status", ["gällande", "draft", "active", "repealed"]),
    ("routines/values.md", "invalid-value", "visibility", ["hemlig", "internal", "public"]),
    ("routines/values.md", "invalid-value", "review_interval", ["ibland", "6 months"]),
    ("routines/values.md", "invalid-value", "id", ["F VÄRDEN/1", "bindestreck"]),
    ("routines/misspelt.md", "unknown-key", None, ["decison_date", "menade du decision_date"]),
    ("routines/unknown-type.md", "unknown-type", None, ["rutine", "menade du rutin"]),
    ("routines/unknown-owner.md", "unknown-owner", None, ["socialnamnden", "data/organisation.yml"]),
    ("routines/unknown-decider.md", "unknown-owner", None, ["kommunfullmaktige", "organ"]),
    ("routines/dup-a.md", "duplicate-id", None, ["F-DUP", "routines/sub/dup-b.md", "routines/sub/deeper/dup-c.md"]),
    ("routines/sub/deeper/dup-c.md", "duplicate-id", None, ["routines/dup-a.md", "routines/sub/dup-b.md"]),
    ("routines/references.md", "unknown-reference", "related", ["F-FINNS-EJ"]),
    ("routines/references.md", "unknown-reference", "requirements", ["sosfs-2011-9/9-9", "Menade du sosfs-2011-9/"]),  # the shipped requirements count too
    ("routines/references.md", "unknown-reference", "processes", ["okant-steg", "data/processes.yml"]),
    ("routines/review-before-decision.md", "review-before-decision", None, ["2026-01-01", "2026-06-01"]),
    ("routines/stale.md", "stale-review-date", None, ["2025-09-01", "2025-06-01", "flyttades inte"]),
    ("routines/overdue.md", "overdue", None, ["2016-04-20", "3868 dagar", "last_reviewed"]),
    ("routines/due-soon.md", "due-soon", None, ["2026-12-15", "om 23 dagar"]),
    ("routines/duplicate-key.md", "duplicate-key", None, ["owner", "två gånger"]),
    ("routines/render-macros.md", "render-macros", None, ["render_macros"]),
    ("routines/raw-html.md", "raw-html", None, ["HTML", "Markdown"]),
    ("routines/unsafe-link.md", "unsafe-link", None, ["skript", "https://"]),
    ("data/processes.yml", "process-gap", None, ["anvisning-ame", "Arbetsmarknad", "processes: [anvisning-ame]"]),
])
def test_messages_say_what_to_write(faults: Result, path: str, code: str, field: str | None,
                                    words: list[str]) -> None:
    text = message(faults, path, code, field)
    for word in words:
        assert word in text


def test_unknown_key_is_a_warning_even_without_a_guess() -> None:
    result = check_handbook(FIXTURES / "faults", TODAY)
    assert all(f.severity == "warning" for f in result.findings if f.code == "unknown-key")


def test_a_body_is_a_valid_decider_but_not_an_owner(faults: Result) -> None:
    findings = faults.findings_for("routines/unknown-owner.md")
    assert [(f.code, f.field) for f in findings] == [("unknown-owner", "owner")]
    assert not [f for f in faults.findings_for("routines/overdue.md") if f.code == "unknown-owner"]  # decided_by: body


def test_duplicate_id_is_an_error_on_every_file_with_the_id(faults: Result) -> None:
    dups = [f for f in faults.findings if f.code == "duplicate-id"]
    assert sorted(f.path for f in dups) == ["routines/dup-a.md", "routines/sub/deeper/dup-c.md", "routines/sub/dup-b.md"]
    assert {f.severity for f in dups} == {"error"} and {f.document for f in dups} == {"F-DUP"}


def test_references_to_existing_ids_steps_and_requirements_pass(faults: Result) -> None:
    assert faults.findings_for("routines/ok.md") == []  # related: F-DRAFT, step and process/step forms


def test_self_reference_is_invalid(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("faults")
    path = root / "routines/ok.md"
    path.write_text(path.read_text(encoding="utf-8").replace("related: [F-DRAFT]", "related: [F-OK]"),
                    encoding="utf-8")
    findings = check_handbook(root, TODAY).findings_for("routines/ok.md")
    assert [(f.code, f.line, f.field) for f in findings] == [("invalid-value", 11, "related")]


def test_repealed_without_successor_is_only_info(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("faults")
    path = root / "routines/repealed.md"
    path.write_text(path.read_text(encoding="utf-8").replace("superseded_by: [F-OK]\n", ""), encoding="utf-8")
    findings = check_handbook(root, TODAY).findings_for("routines/repealed.md")
    assert [(f.code, f.severity) for f in findings] == [("no-successor", "info")]


def test_draft_still_needs_id_title_and_type(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("faults")
    (root / "routines/bare-draft.md").write_text("---\nstatus: draft\n---\nText.\n", encoding="utf-8")
    findings = check_handbook(root, TODAY).findings_for("routines/bare-draft.md")
    assert shape(findings) == [("missing-field", E, 1, "id"), ("missing-field", E, 1, "title"),
                               ("missing-field", E, 1, "type")]


@pytest.mark.parametrize("status", ["draft", "repealed"])
def test_draft_and_repealed_are_never_reported_overdue(copy_fixture: CopyFixture, status: str) -> None:
    root = copy_fixture("faults")
    path = root / "routines/overdue.md"
    path.write_text(path.read_text(encoding="utf-8").replace("type: rutin\n", f"type: rutin\nstatus: {status}\n"
                    + ("superseded_by: [F-OK]\n" if status == "repealed" else "")), encoding="utf-8")
    result = check_handbook(root, TODAY)
    assert result.findings_for("routines/overdue.md") == []
    assert result.summary()["overdue"] == 2  # review-before-decision.md and stale.md


def test_cp1252_file_is_an_encoding_error_and_the_others_are_still_checked(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("faults")
    text = (root / "routines/ok.md").read_text(encoding="utf-8").replace("F-OK", "F-WORD")
    (root / "routines/från word.md").write_bytes(text.encode("cp1252"))
    result = check_handbook(root, TODAY)
    assert shape(result.findings_for("routines/från word.md")) == [("encoding", E, 8, None)]  # the § line
    # everything else exactly as before
    for path, expected in EXPECTED.items():
        assert shape(result.findings_for(path)) == sorted(expected), path
    assert result.summary()["documents"] == len(EXPECTED)  # the table's documents + the new one - data file


@pytest.mark.parametrize("path", sorted(p for p in EXPECTED if p.startswith("routines/")))
def test_bom_and_crlf_give_the_same_findings_on_the_same_lines(copy_fixture: CopyFixture, path: str) -> None:
    root = copy_fixture("faults")
    file = root / path
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes().replace(b"\n", b"\r\n"))
    result = check_handbook(root, TODAY)
    assert shape(result.findings_for(path)) == sorted(EXPECTED[path])


def test_one_broken_file_never_stops_the_others(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("faults")
    for name, data in {
        "a-binary.md": bytes(range(256)),
        "b-empty.md": b"",
        "c-nul.md": b"---\nid: \x00\n---\n",
        "d-huge-line.md": b"---\nid: " + b"x" * 200_000 + b"\n---\n",
        "e-deep.md": b"---\nid: " + b"[" * 3000 + b"\n---\n",
        "f-list.md": b"---\n- a\n---\n",
        "g-tag.md": b"---\nid: !!python/object/apply:os.system [echo hej]\n---\n",
    }.items():
        (root / "routines" / name).write_bytes(data)
    result = check_handbook(root, TODAY)
    for path, expected in EXPECTED.items():
        assert shape(result.findings_for(path)) == sorted(expected), path
    for name in ("a-binary.md", "c-nul.md", "e-deep.md", "f-list.md", "g-tag.md"):
        assert [f.severity for f in result.findings_for(f"routines/{name}")][:1] == ["error"], name


def test_missing_organisation_is_a_data_file_error_and_owners_are_not_checked(
        checked: Callable[[str], Result]) -> None:
    result = checked("no-organisation")
    assert shape(result.findings_for("data/organisation.yml")) == [("data-file", E, None, None)]
    assert "data/organisation.yml" in message(result, "data/organisation.yml", "data-file")
    assert not [f for f in result.findings if f.code == "unknown-owner"]
    assert shape(result.findings_for("routines/saknar-fält.md")) == [("missing-field", E, 1, "decision_date")]
    assert result.summary()["current"] == 1


def test_broken_organisation_is_a_finding_on_its_line_and_documents_are_still_checked(
        checked: Callable[[str], Result]) -> None:
    result = checked("broken-organisation")
    assert shape(result.findings_for("data/organisation.yml")) == [("yaml-syntax", E, 5, None)]
    assert not [f for f in result.findings if f.code == "unknown-owner"]
    assert shape(result.findings_for("routines/saknar-fält.md")) == [("missing-field", E, 1, "decision_date")]


def test_organisation_that_is_not_a_mapping_is_a_data_file_error(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("no-organisation")
    (root / "data/organisation.yml").write_text("- forvaltningschef\n- enhetschef\n", encoding="utf-8")
    result = check_handbook(root, TODAY)
    assert shape(result.findings_for("data/organisation.yml")) == [("data-file", E, 1, None)]


def test_organisation_in_cp1252_is_an_encoding_error(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("no-organisation")
    (root / "data/organisation.yml").write_bytes("units:\n  ifo: {name: Försörjning}\n".encode("cp1252"))
    result = check_handbook(root, TODAY)
    assert [(f.code, f.severity) for f in result.findings_for("data/organisation.yml")] == [("encoding", E)]


def test_data_file_lines_are_the_lines_of_the_file(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("no-organisation")
    (root / "data/organisation.yml").write_text(
        "units:\n"
        "  ifo: {name: IFO}\n"
        "  ame: {}\n"
        "roles:\n"
        "  chef: {title: Chef, unit: okand}\n"
        "  assistent: {title: Assistent}\n"
        "  assistent: {title: Assistent igen}\n"
        "hemligt: 1\n", encoding="utf-8")
    result = check_handbook(root, TODAY)
    assert shape(result.findings_for("data/organisation.yml")) == [
        ("data-file", E, 3, None),  # ame has no name
        ("data-file", E, 5, None),  # unknown unit of a role
        ("duplicate-key", E, 7, None),
        ("unknown-key", W, 8, None),
    ]


def test_missing_processes_yml_is_a_data_file_error_and_gaps_are_not_reported(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("review-gate")
    (root / "data/processes.yml").unlink()
    result = check_handbook(root, TODAY)
    assert shape(result.findings_for("data/processes.yml")) == [("data-file", E, None, None)]
    assert not [f for f in result.findings if f.code in ("process-gap", "unknown-reference")]


def test_process_gap_for_each_step_without_an_active_document(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("review-gate")
    (root / "routines/utredning.md").unlink()
    path = root / "routines/ansokan.md"
    path.write_text(path.read_text(encoding="utf-8").replace("type: rutin", "type: rutin\nstatus: draft"),
                    encoding="utf-8")
    gaps = [f for f in check_handbook(root, TODAY).findings if f.code == "process-gap"]
    assert [(f.path, f.line, f.severity) for f in gaps] == [
        ("data/processes.yml", 4, W), ("data/processes.yml", 5, W)]
    assert "ansokan" in gaps[0].message and "utredning" in gaps[1].message


def test_a_whole_process_reference_does_not_cover_its_steps(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("review-gate")
    for name in ("ansokan", "utredning"):
        (root / f"routines/{name}.md").unlink()
    path = root / "routines/anvisning-ame.md"
    path.write_text(path.read_text(encoding="utf-8").replace("[anvisning-ame]", "[ekonomiskt-bistand, anvisning-ame]"),
                    encoding="utf-8")
    result = check_handbook(root, TODAY)
    assert not [f for f in result.findings if f.code == "unknown-reference"]
    assert len([f for f in result.findings if f.code == "process-gap"]) == 2


def test_clean_handbook_has_no_findings(checked: Callable[[str], Result]) -> None:
    result = checked("odd-names")
    assert result.findings == []
    assert result.summary()["current"] == 3
