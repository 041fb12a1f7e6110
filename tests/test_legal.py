"""The legal register, the reading of legal_refs, and the findings about them."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from handbok.core import check_handbook
from handbok.legal import (
    PACKAGE_REGISTER,
    Location,
    Register,
    legal_findings,
    load_register,
    parse_ref,
)
from handbok.load import KNOWN_KEYS, load_document
from handbok.model import Document, Finding
from handbok.yamlread import parse_yaml

FIXTURE = Path(__file__).parent / "fixtures" / "legal"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def register() -> Register:
    reg, findings = load_register(Path("/nonexistent-handbook"))
    assert findings == []
    return reg


def check(register: Register, refs: list[str], today: dt.date, decided: str = "2025-08-25",
          **fields: object) -> list[Finding]:
    doc = Document(path="routines/r.md", id="R-1", decision_date=dt.date.fromisoformat(decided),
                   legal_refs=refs, lines={"legal_refs": 9}, front_matter=True)
    for key, value in fields.items():
        setattr(doc, key, value)
    return legal_findings([doc], register, today)


def codes(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in findings]


# Parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "number", "name", "locations"), [
    ("SoL 4 kap. 1 §", None, "sol", [("4", ("1",), None)]),
    ("Socialtjänstlagen (2025:400) 12 kap. 4 §", "2025:400", "socialtjänstlagen", [("12", ("4",), None)]),
    ("4 kap. 1 § SoL", None, "sol", [("4", ("1",), None)]),
    ("12:4 SoL", None, "sol", [("12", ("4",), None)]),
    ("OSL 26 kap. 1 §", None, "osl", [("26", ("1",), None)]),
    ("SOSFS 2011:9 4 kap. 4 §", "SOSFS 2011:9", None, [("4", ("4",), None)]),
    ("sosfs 2011:9", "SOSFS 2011:9", None, []),
    ("HSLF-FS 2023:27", "HSLF-FS 2023:27", None, []),
    ("SoL (2025:400) 10 kap. 8–9 §§", "2025:400", "sol", [("10", ("8", "9"), None)]),
    ("SoL (2025:400) 10 kap. 8-9 §§", "2025:400", "sol", [("10", ("8", "9"), None)]),
    ("SoL (2025:400) 10 kap. 8 - 9 §§", "2025:400", "sol", [("10", ("8", "9"), None)]),
    ("SoL 14 kap. 2–7 §§", None, "sol", [("14", ("2", "3", "4", "5", "6", "7"), None)]),
    ("SoL 5 kap. 1 och 2 §§", None, "sol", [("5", ("1", "2"), None)]),
    ("SoL 4 kap. 1 § första stycket", None, "sol", [("4", ("1",), 1)]),
    ("SoL 4 kap. 1 § andra stycket", None, "sol", [("4", ("1",), 2)]),
    ("4 kap. 1 § 2 st. SoL", None, "sol", [("4", ("1",), 2)]),
    ("12:4 första stycket SoL", None, "sol", [("12", ("4",), 1)]),
    ("SoL 4 kap. 1 b §", None, "sol", [("4", ("1 b",), None)]),
    ("SoL 4 kap. 1b §", None, "sol", [("4", ("1 b",), None)]),
    ("SoL 12 kap. 7 a §", None, "sol", [("12", ("7 a",), None)]),
    ("Förvaltningslagen (2017:900) 9 §", "2017:900", "förvaltningslagen", [(None, ("9",), None)]),
    ("FL 32 §", None, "fl", [(None, ("32",), None)]),
    ("Socialtjänstlagen (2025:400)", "2025:400", "socialtjänstlagen", []),
    ("SoL (2025:400) 33 kap.", "2025:400", "sol", [("33", (), None)]),
    ("SoL 4 kap. 1 och 4 §§, 11 kap. 1 §", None, "sol", [("4", ("1", "4"), None), ("11", ("1",), None)]),
    ("Kommunallagen (2017:725) 6 kap. 37 §", "2017:725", "kommunallagen", [("6", ("37",), None)]),
    ("SFS 2025:400 12 kap. 1 §", "2025:400", None, [("12", ("1",), None)]),
    ("Förordning (EU) 2016/679", "EU 2016/679", "förordning", []),
    ("4 kap. 1 §", None, None, [("4", ("1",), None)]),
])
def test_parse_every_form(text: str, number: str | None, name: str | None,
                          locations: list[tuple[str | None, tuple[str, ...], int | None]]) -> None:
    ref = parse_ref(text)
    assert ref.number == number
    assert ref.name == name
    assert ref.locations == tuple(Location(*loc) for loc in locations)


@pytest.mark.parametrize("text", [
    "SoL  4 kap.  1 §", " SoL 4 kap. 1 § ", "SoL\u00a04\u00a0kap.\u00a01\u00a0§", "SoL 4kap.1§",
    "SoL 4 kap 1 §", "SoL\t4 kap. 1 §", "4 kap. 1 §  SoL", "SoL, 4 kap. 1 §",
])
def test_parse_odd_spacing(text: str) -> None:
    ref = parse_ref(text)
    assert (ref.name, ref.locations) == ("sol", (Location("4", ("1",)),))


def test_parse_article_and_bills() -> None:
    gdpr = parse_ref("GDPR art. 5")
    assert (gdpr.name, gdpr.article, gdpr.locations) == ("gdpr", "5", ())
    bill = parse_ref("Prop. 2025/26:207")
    assert bill.number is None and bill.locations == ()  # no chapter 26, paragraph 207


def test_location_text() -> None:
    assert str(Location("12", ("4",))) == "12 kap. 4 §"
    assert str(Location("27", ("1", "2", "3"))) == "27 kap. 1–3 §§"
    assert str(Location("12", ("1", "4"))) == "12 kap. 1 och 4 §§"


# The register ----------------------------------------------------------------------------


def test_package_register_has_only_checked_facts(register: Register) -> None:
    new, old = register.acts["sol-2025"], register.acts["sol-2001"]
    assert (new.number, new.in_force, new.repealed) == ("2025:400", dt.date(2025, 7, 1), None)
    assert (old.repealed, old.successor, old.in_force) == (dt.date(2025, 7, 1), "sol-2025", dt.date(2002, 1, 1))
    assert [(a.number, a.in_force, a.chapters) for a in new.amendments] == [
        ("2025:762", dt.date(2025, 9, 8), ("12",)),
        ("2025:942", dt.date(2025, 12, 1), ("15",)),
        ("2025:1299", dt.date(2026, 1, 1), ("26", "27", "28", "34", "35")),
        ("2025:1501", dt.date(2026, 1, 15), ("16", "19")),
    ]
    assert old.paragraph_map["4:4"] == "12 kap. 4 §" and old.paragraph_map["4:1:2"] == "12 kap. 3 §"
    # What no source confirmed is empty and marked as such, never filled in.
    for key in ("sol-1980", "sof", "sosfs-2014-5"):
        assert register.acts[key].in_force is None and "in_force" in register.acts[key].unverified
    raw = parse_yaml(PACKAGE_REGISTER.read_text(encoding="utf-8")).value["acts"]
    assert all(item["unverified"] == "true" for item in raw["sol-2025"]["announced"])
    for act in register.acts.values():
        assert act.successor is None or act.successor in register.acts


def test_handbook_register_extends_and_overrides() -> None:
    reg, findings = load_register(FIXTURE)
    assert findings == []
    assert reg.acts["lokala-foreskrifter"].number == "2030:1"
    osl = reg.acts["osl"]
    assert osl.title.startswith("Offentlighets- och sekretesslag")  # kept from the package
    assert [a.number for a in osl.amendments] == ["2026:100"]  # the handbook's own


def test_bad_handbook_register_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "legal-register.yml").write_text(
        "acts:\n  x:\n    title: X\n    in_force: 2025-02-30\n    successor: nowhere\n", encoding="utf-8")
    reg, findings = load_register(tmp_path)
    assert {f.code for f in findings} == {"data-file"}
    assert all(f.path == "data/legal-register.yml" for f in findings)
    assert any("in_force" in f.message for f in findings) and any("nowhere" in f.message for f in findings)
    assert "sol-2025" in reg.acts  # the package's register still works
    (tmp_path / "data" / "legal-register.yml").write_text("acts: [", encoding="utf-8")
    _, findings = load_register(tmp_path)
    assert [f.code for f in findings] == ["yaml-syntax"]


# repealed-law ----------------------------------------------------------------------------


def test_repealed_law_around_the_repeal_day(register: Register) -> None:
    refs = ["SoL (2001:453) 4 kap. 4 §"]
    assert check(register, refs, dt.date(2025, 6, 30), "2024-01-01") == []
    found = check(register, refs, dt.date(2025, 7, 1), "2024-01-01")
    assert codes(found) == [("repealed-law", "error")]
    message = found[0].message
    assert "Socialtjänstlag (2025:400)" in message
    assert "troligen 12 kap. 4 § SoL (2025:400) — kontrollera" in message
    assert (found[0].line, found[0].field, found[0].document) == (9, "legal_refs", "R-1")


def test_repealed_law_suggests_by_stycke_and_range(register: Register) -> None:
    [one] = check(register, ["SoL (2001:453) 4 kap. 1 § andra stycket"], TODAY)
    assert "troligen 12 kap. 3 § SoL (2025:400)" in one.message
    [many] = check(register, ["Socialtjänstlag (2001:453) 14 kap. 2–7 §§"], TODAY)
    assert "troligen 27 kap. 1–6 §§ SoL (2025:400)" in many.message
    [bare] = check(register, ["SoL (2001:453)"], TODAY)
    assert "troligen" not in bare.message and "Socialtjänstlag (2025:400)" in bare.message


def test_transitional_rule_turns_the_error_into_info(register: Register) -> None:
    raw = {"transitional_law": [{"act": "SoL (2001:453)", "reason": "Återkrav av bistånd beviljat före 2025-07-01."}]}
    found = check(register, ["SoL (2001:453)", "SoL (2025:400) 33 kap."], TODAY, "2026-02-01", raw=raw)
    assert codes(found) == [("repealed-law", "info")]
    assert "Återkrav av bistånd beviljat före 2025-07-01." in found[0].message


@pytest.mark.parametrize("value", [
    "SoL (2001:453)", [{"act": "SoL (2001:453)"}], [{"reason": "x"}], ["SoL (2001:453)"], 5,
])
def test_transitional_rule_needs_act_and_reason(register: Register, value: object) -> None:
    found = check(register, ["SoL (2001:453)"], TODAY, raw={"transitional_law": value},
                  lines={"legal_refs": 9, "transitional_law": 10})
    assert ("invalid-value", "error") in codes(found)
    assert ("repealed-law", "error") in codes(found)  # a broken declaration excuses nothing
    assert any(f.line == 10 and f.field == "transitional_law" for f in found)


def test_transitional_rule_for_an_unknown_act(register: Register) -> None:
    found = check(register, [], TODAY, raw={"transitional_law": [{"act": "Lag (2099:1)", "reason": "x"}]},
                  lines={"transitional_law": 10})
    assert codes(found) == [("invalid-value", "error")] and "Lag (2099:1)" in found[0].message


def test_regulation_citing_repealed_law_is_no_fault_of_the_routine(register: Register) -> None:
    assert check(register, ["SOSFS 2011:9 4 kap. 4 §", "SOSFS 2011:5"], TODAY, "2024-01-01") == []


def test_repealed_document_is_not_checked(register: Register) -> None:
    assert check(register, ["SoL (2001:453) 4 kap. 4 §"], TODAY, status="repealed") == []


# ambiguous-law-ref -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["SoL 4 kap. 1 §", "4 kap. 1 § SoL", "12:4 SoL", "Socialtjänstlagen 4 kap. 1 §"])
def test_ambiguous_since_the_new_law(register: Register, text: str) -> None:
    assert check(register, [text], dt.date(2025, 6, 30), "2024-01-01") == []  # one SoL in force
    found = check(register, [text], dt.date(2025, 7, 1), "2024-01-01")
    assert codes(found) == [("ambiguous-law-ref", "warning")]
    assert "Socialtjänstlag (2001:453) och Socialtjänstlag (2025:400)" in found[0].message


def test_ambiguous_suggests_the_new_paragraph(register: Register) -> None:
    [found] = check(register, ["SoL 4 kap. 1 §"], TODAY)
    assert "'SoL (2025:400) 4 kap. 1 §' om den nya lagen avses" in found.message
    assert "troligen 12 kap. 1 § SoL (2025:400) — kontrollera" in found.message


def test_act_without_chapter_is_not_ambiguous(register: Register) -> None:
    assert check(register, ["SoL", "Socialtjänstlagen"], TODAY, "2026-02-01") == []


# law-changed -----------------------------------------------------------------------------


@pytest.mark.parametrize(("ref", "amended", "chapter"), [
    ("SoL (2025:400) 12 kap. 1 §", dt.date(2025, 9, 8), "12"),
    ("SoL (2025:400) 15 kap. 12 §", dt.date(2025, 12, 1), "15"),
    ("SoL (2025:400) 27 kap. 1 §", dt.date(2026, 1, 1), "27"),
    ("SoL (2025:400) 35 kap.", dt.date(2026, 1, 1), "35"),
    ("SoL (2025:400) 19 kap. 6 §", dt.date(2026, 1, 15), "19"),
])
def test_law_changed_around_each_amendment(register: Register, ref: str, amended: dt.date, chapter: str) -> None:
    day_before = amended - dt.timedelta(days=1)
    decided = day_before.isoformat()
    assert check(register, [ref], day_before, decided) == []  # not yet in force
    found = check(register, [ref], amended, decided)
    assert codes(found) == [("law-changed", "warning")]
    assert f"{chapter} kap." in found[0].message and amended.isoformat() in found[0].message
    assert check(register, [ref], TODAY, amended.isoformat()) == []  # decided on the day: known
    reviewed = check(register, [ref], TODAY, "2025-07-01", last_reviewed=amended)
    assert reviewed == []  # reviewed since


def test_law_changed_only_for_the_chapters_it_touches(register: Register) -> None:
    assert check(register, ["SoL (2025:400) 14 kap. 2 §", "SoL (2025:400) 33 kap."], TODAY, "2025-07-01") == []


def test_law_changed_without_chapter_is_info_once(register: Register) -> None:
    refs = ["Socialtjänstlagen (2025:400)", "SoL (2025:400)"]
    assert check(register, refs, dt.date(2026, 1, 14), "2026-01-14") == []
    found = check(register, refs, dt.date(2026, 1, 15), "2026-01-14")
    assert codes(found) == [("law-changed", "info")]
    assert "2025:1501" in found[0].message and "2025:1299" not in found[0].message


def test_law_changed_needs_a_decision_date(register: Register) -> None:
    doc = Document(path="r.md", id="R", legal_refs=["SoL (2025:400) 12 kap. 1 §"], front_matter=True)
    assert legal_findings([doc], register, TODAY) == []


# unknown-law -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "words"), [
    ("Lag (2099:1) om framtiden", "Numret 2099:1"),
    ("Lagen om påhittade saker 3 §", "Lagen finns inte"),
    ("4 kap. 1 §", "anger ingen lag"),
    ("Prop. 2025/26:207", "finns inte i lagregistret"),
])
def test_unknown_law(register: Register, text: str, words: str) -> None:
    found = check(register, [text], TODAY, "2026-02-01")
    assert codes(found) == [("unknown-law", "info")] and words in found[0].message


@pytest.mark.parametrize("text", [
    "OSL 26 kap. 1 §", "Offentlighets- och sekretesslagen (2009:400) 26 kap. 1 §", "FL 32 §",
    "Förvaltningslagen (2017:900) 9 §", "Kommunallagen (2017:725) 6 kap. 37 §", "GDPR art. 5",
    "Hälso- och sjukvårdslagen (2017:30)", "LVU", "LSS", "LVM", "DOS-lagen", "SOSFS 2014:5",
    "Lag (1990:52) med särskilda bestämmelser om vård av unga", "Förordning (EU) 2016/679",
])
def test_known_acts_in_force_give_no_finding(register: Register, text: str) -> None:
    assert check(register, [text], TODAY, "2026-02-01") == []


def test_replaced_acts_other_than_sol(register: Register) -> None:
    [found] = check(register, ["Förvaltningslag (1986:223) 20 §"], TODAY)
    assert found.code == "repealed-law" and "Förvaltningslag (2017:900)" in found.message


# The whole check on a fixture handbook ---------------------------------------------------


def test_fixture_handbook() -> None:
    result = check_handbook(FIXTURE, TODAY)
    by_file: dict[str, list[tuple[str, str]]] = {}
    for f in result.findings:
        if f.code in ("repealed-law", "ambiguous-law-ref", "law-changed", "unknown-law", "invalid-value"):
            by_file.setdefault(f.path.rsplit("/", 1)[-1], []).append((f.code, f.severity))
    assert by_file == {
        "old-law.md": [("repealed-law", "error")],
        "transitional.md": [("repealed-law", "info")],
        "ambiguous.md": [("ambiguous-law-ref", "warning")],
        "changed.md": [("law-changed", "warning"), ("law-changed", "warning")],  # SoL 12 kap., OSL (local)
        "unknown.md": [("unknown-law", "info"), ("unknown-law", "info")],
    }
    assert not any(f.code == "unknown-key" for f in result.findings)  # transitional_law is known


def test_transitional_law_is_a_known_key() -> None:
    assert "transitional_law" in KNOWN_KEYS
    doc, found = load_document("routines/x.md", (
        "---\nid: X\ntitle: X\ntype: rutin\ntransitional_law:\n"
        "  - {act: \"SoL (2001:453)\", reason: \"Återkrav\"}\n---\n").encode())
    assert found == [] and doc.raw["transitional_law"][0]["act"] == "SoL (2001:453)"


def test_example_handbook_cites_no_repealed_law_without_reason() -> None:
    root = Path(__file__).parent.parent
    result = check_handbook(root, TODAY)
    legal = [f for f in result.findings if f.code in ("repealed-law", "ambiguous-law-ref", "unknown-law")]
    assert [(f.path, f.severity) for f in legal if f.code == "repealed-law"] == [
        ("routines/ekonomiskt-bistand/aterkrav.md", "info")]
    assert not [f for f in legal if f.severity != "info"]


def test_every_new_code_is_explained_in_the_guide() -> None:
    guide = (Path(__file__).parent.parent / "docs" / "guide" / "skriva-styrdokument.md").read_text(encoding="utf-8")
    for code in ("repealed-law", "ambiguous-law-ref", "law-changed", "unknown-law", "personnummer"):
        assert f"\n### {code}\n" in guide
    assert "`transitional_law`" in guide


# The site ---------------------------------------------------------------------------------


def test_laws_page_without_mkdocs() -> None:
    from handbok.pages.laws import laws_page, to_revise

    result = check_handbook(FIXTURE, TODAY)
    html = laws_page(result, lambda doc: doc.path)
    assert sorted(to_revise(result)) == ["routines/ambiguous.md", "routines/changed.md", "routines/old-law.md"]
    assert '<section class="handbok-law handbok-law--repealed" id="sol-2001">' in html
    assert "Upphävd 1 juli 2025</strong>, ersatt av <a href=\"#sol-2025\">" in html
    assert "Ändrat kapitel som dokument hänvisar till: 12 kap." in html
    assert "SoL (2001:453) 4 kap. 4 §" in html  # searchable: the reference as written
    assert "Hänvisningar utan SFS-nummer" in html and "Hänvisningar som inte finns i lagregistret" in html
    assert "routines/repealed-doc.md" in html  # listed, though not to revise
    assert "Nej, tillämpas enligt en övergångsbestämmelse" in html  # transitional.md
    assert "<script" not in html


@pytest.mark.site
def test_site_has_the_law_page_and_banners(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    root = tmp_path / "legal"
    shutil.copytree(FIXTURE, root)
    site = tmp_path / "site"
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY")}
    env.update({"HANDBOK_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"})
    run = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-d", str(site)],
                         cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    page = (site / "oversikt" / "lagar-och-foreskrifter" / "index.html").read_text(encoding="utf-8")
    assert "Lagar och föreskrifter" in page and 'href="../../routines/old-law/"' in page
    old = (site / "routines" / "old-law" / "index.html").read_text(encoding="utf-8")
    assert "handbok-banner" in old and "troligen 12 kap. 4 § SoL (2025:400)" in old
    assert 'href="../../oversikt/lagar-och-foreskrifter/#sol-2001">SoL (2001:453) 4 kap. 4 §</a>' in old
    ambiguous = (site / "routines" / "ambiguous" / "index.html").read_text(encoding="utf-8")
    assert 'lagar-och-foreskrifter/#utan-sfs-nummer">SoL 4 kap. 1 §</a>' in ambiguous
    transitional = (site / "routines" / "transitional" / "index.html").read_text(encoding="utf-8")
    assert "enligt en övergångsbestämmelse" in transitional
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    law_entries = [d for d in index["docs"] if d["location"].startswith("oversikt/lagar-och-foreskrifter/")]
    assert any("12 kap. 1 §" in d["text"] for d in law_entries)
    numbers = (site / "routines" / "numbers" / "index.html").read_text(encoding="utf-8")
    assert "81XXXX-XXXX" in numbers  # the error banner shows it masked
    ci = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-d", str(tmp_path / "ci")],
                        cwd=root, env={**env, "CI": "true"}, capture_output=True, text=True, timeout=300)
    assert ci.returncode != 0 and "[personnummer]" in ci.stderr and "9876" not in ci.stderr


def test_review_plan_counts_documents_to_revise_for_the_law() -> None:
    from handbok.pages import overview

    result = check_handbook(FIXTURE, TODAY)
    html = overview.review_plan(result, lambda doc: doc.path)
    assert '<h2 id="lagandring">Ses över på grund av lag (3)</h2>' in html
    basic = check_handbook(FIXTURE.parent / "basic", TODAY)
    assert "lagandring" not in overview.review_plan(basic, lambda doc: doc.path)


@pytest.mark.site
def test_a_routine_citing_repealed_law_tells_the_reader_what_it_means(tmp_path: Path) -> None:
    """Not the general error banner: the routine refers to a law no longer in force, the rule
    may have moved, ask the owner; the reference links to its act on the laws page."""
    import os
    import shutil
    import subprocess
    import sys

    root = tmp_path / "legal"
    shutil.copytree(FIXTURE, root)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY", "HANDBOK_VISIBILITY")}
    env.update({"HANDBOK_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"})
    run = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-d", str(tmp_path / "site")],
                         cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr

    def banners(page: str) -> str:
        html = (tmp_path / "site" / "routines" / page / "index.html").read_text(encoding="utf-8")
        return "".join(re.findall(r'<div class="admonition [a-z]+ handbok-banner".*?</div>', html, re.DOTALL))

    old = banners("old-law")
    assert '<p class="admonition-title">Hänvisar till upphävd lag</p>' in old
    assert "Fel i dokumentet" not in old  # its only error is the repealed law
    link = '<a href="../../oversikt/lagar-och-foreskrifter/#sol-2001">'
    assert (f"Rutinen hänvisar till lag som har upphävts och inte gäller längre: {link}SoL (2001:453) 4 kap. 4 §</a>."
            in old)
    assert "kan ha flyttats till en ny lag eller fått ett nytt nummer" in old
    assert "Fråga dokumentansvarig, Enhetschef försörjningsstöd (Anna Exempel), hur du ska göra" in old
    assert f"Vad som har ersatt lagen står under {link}Lagar och föreskrifter</a>." in old
    numbers = banners("numbers")  # other errors keep the general banner
    assert "Fel i dokumentet" in numbers and "upphävd lag" not in numbers
    # Rightly applied under a transitional rule: no error and nothing for the owner to correct,
    # but the reader learns why the old law still applies here.
    transitional = banners("transitional")
    assert "upphävd lag" not in transitional and "Anmärkningar" not in transitional
    assert '<p class="admonition-title">Äldre lag enligt övergångsbestämmelse</p>' in transitional
    assert (f"Rutinen hänvisar till lag som har upphävts: {link}SoL (2001:453)</a>. Den gamla lagen gäller "
            "ändå här, enligt en övergångsbestämmelse: Återkrav av bistånd som beviljades före 2025-07-01."
            ) in transitional
