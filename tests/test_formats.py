"""Each output format of `handbok check`, run as a subprocess and parsed as its consumer would."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import FIXTURES, CopyFixture, RunCli

TODAY = "2026-11-22"

SUMMARY_KEYS = {"documents", "current", "due-soon", "overdue", "draft", "repealed", "unknown", "errors",
                "warnings"}
DOCUMENT_KEYS = {"id", "path", "title", "type", "owner", "unit", "decided_by", "decision_date",
                 "last_reviewed", "review_date", "status", "days_left"}
FINDING_KEYS = {"severity", "code", "path", "line", "document", "field", "message"}

# faults: the files with an error or an overdue document (what fails the default gate)
FAILING_AT_OVERDUE = {
    "routines/yaml-syntax.md", "routines/no-front-matter.md", "routines/unclosed.md",
    "routines/missing-fields.md", "routines/empty-fields.md", "routines/dates.md", "routines/values.md",
    "routines/misspelt.md", "routines/unknown-type.md", "routines/unknown-owner.md",
    "routines/unknown-decider.md", "routines/dup-a.md", "routines/sub/dup-b.md",
    "routines/sub/deeper/dup-c.md", "routines/references.md", "routines/review-before-decision.md",
    "routines/duplicate-key.md", "routines/render-macros.md", "routines/history.md",
    "routines/stale.md", "routines/overdue.md",  # overdue, no error
}
OVERDUE_ONLY = {"routines/stale.md", "routines/overdue.md"}


def run_json(cli: RunCli, root: Path, *args: str) -> dict:
    run = cli("check", root, "--today", TODAY, "--format", "json", *args)
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def faults_json() -> dict:
    from conftest import run_handbok

    return json.loads(run_handbok("check", FIXTURES / "faults", "--today", TODAY, "--format", "json").stdout)


# --- json -------------------------------------------------------------------------------------


def test_json_top_level_and_exact_key_sets(faults_json: dict) -> None:
    assert set(faults_json) == {"today", "summary", "documents", "findings"}
    assert faults_json["today"] == TODAY
    assert set(faults_json["summary"]) == SUMMARY_KEYS
    assert faults_json["documents"] and faults_json["findings"]
    for document in faults_json["documents"]:
        assert set(document) == DOCUMENT_KEYS
    for finding in faults_json["findings"]:
        assert set(finding) == FINDING_KEYS
        assert finding["severity"] in {"error", "warning", "info"}
        assert finding["line"] is None or (isinstance(finding["line"], int) and finding["line"] >= 1)


def test_json_summary_counts(faults_json: dict) -> None:
    assert faults_json["summary"] == {
        "documents": 27, "current": 13, "due-soon": 1, "overdue": 3, "draft": 1, "repealed": 1, "unknown": 8,
        "errors": 36, "warnings": 8,
    }
    statuses = [d["status"] for d in faults_json["documents"]]
    for status in ("current", "due-soon", "overdue", "draft", "repealed", "unknown"):
        assert statuses.count(status) == faults_json["summary"][status]
    severities = [f["severity"] for f in faults_json["findings"]]
    assert severities.count("error") == faults_json["summary"]["errors"]
    assert severities.count("warning") == faults_json["summary"]["warnings"]


def test_json_document_values(faults_json: dict) -> None:
    docs = {d["id"]: d for d in faults_json["documents"] if d["id"]}
    assert docs["F-OVERDUE"] == {
        "id": "F-OVERDUE", "path": "routines/overdue.md", "title": "Försenad", "type": "rutin",
        "owner": "enhetschef-forsorjningsstod", "unit": "forsorjningsstod", "decided_by": "socialnamnden",
        "decision_date": "2015-04-20", "last_reviewed": None, "review_date": "2016-04-20",
        "status": "overdue", "days_left": -3868,
    }
    # review_date is the computed due date; an explicit one is used as is
    assert (docs["F-STALE"]["review_date"], docs["F-STALE"]["last_reviewed"], docs["F-STALE"]["days_left"]) == (
        "2025-06-01", "2025-09-01", -539)
    assert (docs["F-SOON"]["review_date"], docs["F-SOON"]["days_left"], docs["F-SOON"]["status"]) == (
        "2026-12-15", 23, "due-soon")
    assert (docs["F-OK"]["unit"], docs["F-OK"]["review_date"], docs["F-OK"]["days_left"]) == ("ame", "2027-06-01", 191)
    assert (docs["F-TYPE"]["review_date"], docs["F-TYPE"]["days_left"], docs["F-TYPE"]["status"]) == (
        None, None, "unknown")
    assert docs["F-DRAFT"]["status"] == "draft" and docs["F-DRAFT"]["owner"] is None
    for doc in faults_json["documents"]:
        if doc["status"] == "overdue":
            assert doc["days_left"] < 0
        if doc["status"] in ("current", "due-soon"):
            assert doc["days_left"] >= 0


def test_json_unreadable_documents_are_listed_with_nulls(faults_json: dict) -> None:
    docs = {d["path"]: d for d in faults_json["documents"]}
    assert docs["routines/yaml-syntax.md"]["id"] is None
    assert docs["routines/yaml-syntax.md"]["title"] == "Rubrik efter trasig metadata"
    assert docs["routines/no-front-matter.md"]["status"] == "unknown"


def test_json_finding_values(faults_json: dict) -> None:
    missing = next(f for f in faults_json["findings"]
                   if f["path"] == "routines/empty-fields.md" and f["field"] == "decision_date")
    assert missing == {
        "severity": "error", "code": "missing-field", "path": "routines/empty-fields.md", "line": 7,
        "document": "F-EMPTY", "field": "decision_date",
        "message": "Fältet decision_date saknas: ange datum för beslutet, t.ex. 2025-03-01.",
    }
    dates = [f for f in faults_json["findings"] if f["path"] == "routines/dates.md"]
    assert {f["document"] for f in dates} == {"F-DATES"}  # findings of loading name the document too


def test_json_paths_relative_with_slashes(cli: RunCli) -> None:
    data = run_json(cli, FIXTURES / "odd-names")
    assert sorted(d["path"] for d in data["documents"]) == [
        "routines/Anvisning – AME (ny) 2026.md",
        "routines/Ekonomiskt bistånd/Nybesök och ansökan/Ansökan om bistånd.md",
        "routines/ä/ö/å/1/2/3/4/5/6/7/8/Djup utredning.md",
    ]


def test_json_paths_are_the_same_from_any_working_folder(cli: RunCli) -> None:
    here = run_json(cli, FIXTURES / "faults")
    relative = json.loads(cli("check", "faults", "--today", TODAY, "--format", "json", cwd=FIXTURES).stdout)
    dot = json.loads(cli("check", ".", "--today", TODAY, "--format", "json", cwd=FIXTURES / "faults").stdout)
    assert here == relative == dot


def test_json_is_utf8_not_ascii_escaped(cli: RunCli) -> None:
    run = cli("check", FIXTURES / "odd-names", "--today", TODAY, "--format", "json")
    assert "Ansökan om bistånd" in run.stdout


# --- junit ------------------------------------------------------------------------------------


def junit(cli: RunCli, root: Path, *args: str) -> ET.Element:
    run = cli("check", root, "--today", TODAY, "--format", "junit", *args)
    assert run.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(run.stdout.encode("utf-8"))


@pytest.mark.parametrize(("fail_on", "failing"), [
    ("overdue", FAILING_AT_OVERDUE),
    ("due-soon", FAILING_AT_OVERDUE | {"routines/due-soon.md"}),
    ("error", FAILING_AT_OVERDUE - OVERDUE_ONLY),
    ("never", set()),
])
def test_junit_counts(cli: RunCli, fail_on: str, failing: set[str]) -> None:
    root = junit(cli, FIXTURES / "faults", "--fail-on", fail_on)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    cases = suite.findall("testcase")
    assert len(cases) == 28  # 27 documents and data/processes.yml (a process gap)
    assert suite.get("tests") == root.get("tests") == "28"
    failed = {c.get("file") for c in cases if c.find("failure") is not None}
    assert failed == failing
    assert suite.get("failures") == root.get("failures") == str(len(failing))
    assert suite.get("errors") == "0"
    for case in cases:
        assert len(case.findall("failure")) <= 1


def test_junit_case_content(cli: RunCli) -> None:
    cases = {c.get("file"): c for c in junit(cli, FIXTURES / "faults").iter("testcase")}
    dates = cases["routines/dates.md"]
    failure = dates.find("failure")
    assert failure is not None and failure.get("type") == "invalid-date"
    assert "2023-02-30" in (failure.get("message") or "")
    assert (failure.text or "").count("[invalid-date]") == 3
    assert "routines/dates.md:7" in (failure.text or "")
    assert dates.get("name") == "F-DATES (routines/dates.md)"
    soon = cases["routines/due-soon.md"]
    assert soon.find("failure") is None and "[due-soon]" in (soon.findtext("system-out") or "")
    assert cases["routines/ok.md"].find("failure") is None and cases["routines/ok.md"].find("system-out") is None


def test_junit_with_control_characters_and_odd_names_is_still_xml(cli: RunCli, copy_fixture: CopyFixture) -> None:
    root = copy_fixture("odd-names")
    (root / "routines" / "<&\"'>.md").write_text(
        '---\nid: X-1\ntitle: "a\\x01b"\ndecision_date: "2025\\x0b01-01"\nreview_date: "]]>"\n---\n',
        encoding="utf-8")
    tree = junit(cli, root)
    case = next(c for c in tree.iter("testcase") if c.get("file") == "routines/<&\"'>.md")
    failure = case.find("failure")
    assert failure is not None and "2025" in (failure.text or "") and "]]>" in (failure.text or "")


# --- github -----------------------------------------------------------------------------------

ANNOTATION = re.compile(r"::(error|warning|notice) file=([^,:\n]+)(?:,line=(\d+))?,title=([a-z-]+)::([^\n]*)")


def annotations(text: str) -> list[re.Match[str]]:
    lines = text.rstrip("\n").split("\n")  # the runner splits on newlines only
    assert lines[-1].startswith("handbok: ")  # a closing summary line, not an annotation
    matches = [ANNOTATION.fullmatch(line) for line in lines[:-1]]
    assert all(matches), [line for line, m in zip(lines, matches, strict=False) if not m]
    return [m for m in matches if m]


def test_github_one_annotation_per_finding_with_level_file_line_title(cli: RunCli, faults_json: dict) -> None:
    run = cli("check", FIXTURES / "faults", "--today", TODAY, "--format", "github")
    found = annotations(run.stdout)
    assert len(found) == len(faults_json["findings"])
    got = sorted((m.group(2), int(m.group(3)) if m.group(3) else None, m.group(4)) for m in found)
    assert got == sorted((f["path"], f["line"], f["code"]) for f in faults_json["findings"])
    level = {(m.group(2), m.group(4)): m.group(1) for m in found}
    assert level[("routines/dates.md", "invalid-date")] == "error"
    assert level[("routines/misspelt.md", "unknown-key")] == "warning"
    assert level[("routines/due-soon.md", "due-soon")] == "notice"
    assert level[("routines/overdue.md", "overdue")] == "error"  # fails the default gate: shown as an error
    assert level[("data/processes.yml", "process-gap")] == "warning"
    summary = run.stdout.splitlines()[-1]
    warnings = faults_json["summary"]["warnings"]
    assert summary == ("handbok: 27 dokument: 13 aktuella, 1 revideras snart, 3 försenade, 1 utkast, "
                       f"1 upphävt, 8 med okänt revisionsdatum. 36 fel, {warnings} varningar.")


def test_github_levels_follow_fail_on(cli: RunCli) -> None:
    run = cli("check", FIXTURES / "faults", "--today", TODAY, "--format", "github", "--fail-on", "due-soon")
    level = {(m.group(2), m.group(4)): m.group(1) for m in annotations(run.stdout)}
    assert level[("routines/due-soon.md", "due-soon")] == "error"
    run = cli("check", FIXTURES / "faults", "--today", TODAY, "--format", "github", "--fail-on", "never")
    level = {(m.group(2), m.group(4)): m.group(1) for m in annotations(run.stdout)}
    assert level[("routines/overdue.md", "overdue")] == "warning"
    assert level[("routines/dates.md", "invalid-date")] == "error"  # an error stays an error


def test_github_escapes_newlines_percent_and_property_separators(cli: RunCli, copy_fixture: CopyFixture) -> None:
    root = copy_fixture("odd-names")
    (root / "routines" / "a, b: c%.md").write_text(
        '---\nid: X-1\ntitle: T\ntype: rutin\nowner: enhetschef-ame\ndecided_by: forvaltningschef\n'
        'decision_date: "100%\\nny rad\\r"\n---\n', encoding="utf-8")
    run = cli("check", root, "--today", TODAY, "--format", "github")
    found = annotations(run.stdout)
    assert len(found) == 1
    match = found[0]
    assert match.group(2) == "routines/a%2C b%3A c%25.md"
    assert match.group(3) == "7"
    # A line break in a value is written out: it can neither end the command nor fake a line.
    assert "'100%25\\nny rad\\r'" in match.group(5)
    assert "\n" not in match.group(5) and "\r" not in match.group(5)


# --- text -------------------------------------------------------------------------------------


def test_text_is_swedish_grouped_by_file_and_ends_with_the_summary(cli: RunCli, faults_json: dict) -> None:
    run = cli("check", FIXTURES / "faults", "--today", TODAY)
    assert run.returncode == 1
    blocks = run.stdout.rstrip("\n").split("\n\n")
    *groups, tail = blocks
    heads = [g.splitlines()[0] for g in groups]
    paths = [h.split(" (")[0] for h in heads]
    assert paths == sorted({f["path"] for f in faults_json["findings"]})  # each file once, in order
    assert "routines/dates.md (F-DATES)" in heads
    dates = groups[paths.index("routines/dates.md")].splitlines()[1:]
    assert dates == [
        "  ✗ rad 7: fel: decision_date: '2023-02-30' är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD "
        "(datumet finns inte i kalendern). [invalid-date]",
        "  ✗ rad 8: fel: review_date: '2025-3-1' är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD. "
        "Menade du 2025-03-01? [invalid-date]",
        "  ✗ rad 9: fel: last_reviewed: 'förra våren' är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD "
        "(t.ex. 2025-03-01). [invalid-date]",
    ]
    overdue = groups[paths.index("routines/overdue.md")]
    assert "  ✗ rad 7: försenad: Dokumentet skulle ha reviderats senast 2016-04-20 (3868 dagar sedan)." in overdue
    soon = groups[paths.index("routines/due-soon.md")]
    assert "  · rad 7: revideras snart: Dokumentet ska revideras senast 2026-12-15 (om 23 dagar)." in soon
    assert "  · rad 7: varning: Okänt fält 'decison_date': menade du decision_date? [unknown-key]" in \
        groups[paths.index("routines/misspelt.md")]
    # Review status words (aktuella) differ from document status words (gällande), plurals agree,
    # and the verdict breaks down what fails, so that it adds up with the figures above.
    errors, warnings = faults_json["summary"]["errors"], faults_json["summary"]["warnings"]
    assert tail.splitlines() == [
        "27 dokument: 13 aktuella, 1 revideras snart, 3 försenade, 1 utkast, 1 upphävt, "
        f"8 med okänt revisionsdatum. {errors} fel, {warnings} varningar (varav 3 försenade dokument). "
        "(Datum: 2026-11-22)",
        f"Kontrollen underkänd (--fail-on overdue): {errors} fel och 3 försenade dokument, markerade med ✗.",
    ]


@pytest.mark.parametrize(("fail_on", "verdict"), [
    ("never", "Kontrollen stoppar aldrig bygget (--fail-on never)."),
    ("due-soon", "Kontrollen underkänd (--fail-on due-soon): 3 dokument som revideras snart, markerade med ✗."),
    ("overdue", "Kontrollen godkänd (--fail-on overdue)."),
])
def test_text_verdict_line(cli: RunCli, fail_on: str, verdict: str) -> None:
    run = cli("check", FIXTURES / "review-gate", "--today", TODAY, "--fail-on", fail_on)
    assert run.stdout.splitlines()[-1] == verdict
    assert run.stdout.splitlines()[-2].startswith("3 dokument: 0 aktuella, 3 revideras snart, 0 försenade.")


def test_text_of_a_clean_handbook_is_only_the_summary(cli: RunCli) -> None:
    run = cli("check", FIXTURES / "odd-names", "--today", TODAY)
    assert run.returncode == 0
    assert run.stdout.splitlines() == [
        "3 dokument: 3 aktuella, 0 försenade. 0 fel, 0 varningar. (Datum: 2026-11-22)",
        "Kontrollen godkänd (--fail-on overdue).",
    ]


def test_text_finding_without_a_line_has_no_line_prefix(cli: RunCli) -> None:
    run = cli("check", FIXTURES / "no-organisation", "--today", TODAY)
    block = run.stdout.split("\n\n")[0].splitlines()
    assert block[0] == "data/organisation.yml"
    assert block[1].startswith("  ✗ fel: Filen data/organisation.yml saknas.")


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit"])
def test_every_format_gives_the_same_exit_code(cli: RunCli, fmt: str) -> None:
    assert cli("check", FIXTURES / "faults", "--today", TODAY, "--format", fmt).returncode == 1
    assert cli("check", FIXTURES / "faults", "--today", TODAY, "--format", fmt, "--fail-on", "never").returncode == 0
    assert cli("check", FIXTURES / "odd-names", "--today", TODAY, "--format", fmt).returncode == 0


def test_formats_agree_with_each_other(cli: RunCli, faults_json: dict) -> None:
    text = cli("check", FIXTURES / "faults", "--today", TODAY).stdout
    for f in faults_json["findings"]:
        assert f"{f['message']} [{f['code']}]" in text


@pytest.mark.parametrize("fixture", ["faults", "basic", "clean", "no-organisation"])
def test_the_report_in_pieces_adds_up_to_the_report(fixture: str) -> None:
    """The command line writes the report as it is made (`render_chunks`): the same bytes,
    and the JSON exactly `json.dumps(..., indent=2)` of the contract."""
    from conftest import TODAY

    from handbok.config import read_config
    from handbok.core import check_handbook, to_json
    from handbok.formats import FORMATS, render, render_chunks

    config, _ = read_config(FIXTURES / fixture)
    result = check_handbook(FIXTURES / fixture, TODAY, config)
    for fmt in FORMATS:
        assert "".join(render_chunks(result, fmt, "overdue")) == render(result, fmt, "overdue")
    assert render(result, "json", "overdue") == json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n"


# Text that json must escape, or may get wrong: quotes, backslashes, control characters,
# line and paragraph separators, lone surrogates (a file name that is not UTF-8), characters
# beyond the BMP, and what looks like JSON or a format string.
HOSTILE = ['"', "\\", 'a"b\\c', "\x00", "\x1f", "\x7f", "\n", "\r\n", "\t", "\b\f", "\u2028\u2029",
           "\x85", "\ud800", "x\udcff", "𝄞 😀", "", " ", "null", "{}", "[1]", "%s %(x)s {0}", "åäö §—",
           "\ufeff\ufffe\uffff"]


def _hostile_result(count: int):
    """A Result made by hand: `count` documents and as many findings, mostly plain, with a
    hostile string, a None or an odd number in every field now and then."""
    import datetime as dt
    from pathlib import Path

    from handbok.core import Config, Result
    from handbok.model import Document, Finding, Organisation, ReviewState, Role

    org = Organisation(roles={"chef": Role("chef", "Chef", unit="enhet\\\"1\"")})
    documents, states, findings = [], {}, []
    for i in range(count):
        odd = HOSTILE[i % len(HOSTILE)] if i % 7 == 3 else None
        path = f"routines/{odd if odd is not None else 'dok'}-{i}.md"
        doc = Document(
            path=path, id=None if i % 11 == 5 else f"D-{i}{odd or ''}", title=odd if i % 3 else f"Titel {i}",
            type="rutin", owner="chef" if i % 2 else odd, unit=None if i % 2 else odd, decided_by=odd,
            decision_date=dt.date(2020, 1, 1) + dt.timedelta(days=i) if i % 5 else None,
            last_reviewed=dt.date(2024, 2, 29) if i % 4 == 1 else None)
        documents.append(doc)
        states[path] = ReviewState(dt.date(2026, 12, 31) if i % 6 else None, "current" if i % 3 else "overdue",
                                   None if i % 6 == 0 else (-(2**40) if i % 13 == 0 else i - 500))
        findings.append(Finding("warning" if i % 2 else "error", odd or "code", path,
                                None if i % 9 == 0 else i + 1, odd or f"Meddelande {i} om {path}: 'citat' §",
                                document=doc.id, field=odd))
    return Result(Path("."), dt.date(2026, 11, 22), Config(), org, documents, states, findings)


@pytest.mark.parametrize("batch", [1, 3, 1000])
def test_the_json_of_hostile_values_is_exactly_json_dumps(monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    """Byte for byte `json.dumps(to_json(result), ensure_ascii=False, indent=2)`, whichever
    way a chunk is made: text that needs no escape, text that does, None, numbers."""
    from handbok import formats
    from handbok.core import document_json, finding_json, json_parts, to_json

    monkeypatch.setattr(formats, "_BATCH", batch)
    for count in (0, 1, 2, 60, 2500):
        result = _hostile_result(count)
        expected = json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n"
        chunks = list(formats.render_chunks(result, "json", "overdue"))
        assert "".join(chunks) == expected
        assert formats.render(result, "json", "overdue") == expected
        assert json.loads(expected)["findings"] == [finding_json(f) for f in result.findings]
        if count == 2500 and batch == 1000:
            assert len(chunks) > 6 and max(map(len, chunks)) < 1_000_000  # written as made
        # The tables of json_parts are the objects of to_json, key for key.
        parts = json_parts(result)
        for name, made in (("documents", [document_json(d, result.state(d), result.org) for d in result.documents]),
                           ("findings", [finding_json(f) for f in result.findings])):
            keys, rows = parts[name]
            assert [dict(zip(keys, row, strict=True)) for row in rows] == made == to_json(result)[name]


@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_json_chunks_of_any_value_are_json_dumps(monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    """What the quick path does not take (nested values, keys in another order, numbers json
    writes its own way, tables with a row too short) still comes out as json writes it."""
    import enum

    from handbok import formats

    class Level(enum.IntEnum):
        HIGH = 3

    monkeypatch.setattr(formats, "_BATCH", batch)
    flat = [{"a": s, "b": i, "c": None} for i, s in enumerate(HOSTILE)]
    members = [*flat, {"b": 1, "a": "x", "c": None}, {"a": [1, {"b": [], "c": {}}], "b": {}, "c": ()},
               {"a": "x"}, {}, [], 1.5, float("nan"), True, None, "text", {1: "x", "y": 2},
               {"a": Level.HIGH, "b": 1e300, "c": -0.0}, {"a": False, "b": 2**70, "c": float("inf")}, *flat]
    value = {"x": members, "e": [], "s": {"n": 1}, "t": "\x00", "l": [flat[0]]}
    expected = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    assert "".join(formats._json_chunks(value)) == expected
    assert "".join(formats._json_chunks({**value, "x": iter(members)})) == expected
    assert "".join(formats._json_chunks({})) == "{}\n"
    # A table: rows of values, the keys once.
    rows = [(s, i, None) for i, s in enumerate(HOSTILE)] + [(["a", 1], {"k": "v"}, 2.5), ("x", Level.HIGH, True)]
    table = {"t": (("a", "b", "c"), iter(rows))}
    objects = {"t": [dict(zip("abc", row, strict=True)) for row in rows]}
    assert "".join(formats._json_chunks(table)) == json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
    for bad in ([("x", 1), ("too short",)], [("x", 1, "too long"), ("too short",)]):
        with pytest.raises(ValueError):
            "".join(formats._json_chunks({"t": (("a", "b"), iter(bad))}))


def test_text_of_hostile_values_writes_every_invisible_character_out() -> None:
    """The text report skips `visible` for a printable text: no character it writes out
    is printable, so nothing is skipped that it would have changed."""
    from dataclasses import replace

    from handbok.formats import render
    from handbok.messages import _INVISIBLE_RE, visible

    everything = "".join(map(chr, range(0x110000)))
    assert not any(c.isprintable() for c in _INVISIBLE_RE.findall(everything))
    result = _hostile_result(200)
    # (the code is the tool's own, written as it is: only what comes from files is hostile)
    result.findings = [replace(f, code="overdue" if i % 5 else "due-soon") for i, f in enumerate(result.findings)]
    text = render(result, "text", "overdue")
    assert _INVISIBLE_RE.findall(text) == ["\n"] * text.count("\n")
    for f in result.findings:
        assert f"{visible(f.message)} [{f.code}]\n" in text
