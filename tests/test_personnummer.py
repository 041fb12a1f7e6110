"""The personnummer guard: checksum, real dates, samordningsnummer, masking, allow-list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import CopyFixture

from handbok.core import check_handbook
from handbok.load import load_document
from handbok.personnummer import find, load_allow_list, may_hold, personnummer_findings

FIXTURE = Path(__file__).parent / "fixtures" / "legal"
TODAY = dt.date(2026, 11, 22)


def found(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    return [m.masked for m in find(text, allowed)]


@pytest.mark.parametrize("text", [
    "811218-9876", "8112189876", "19811218-9876", "198112189876", "811218+9876",
    "Sökande 811218-9876, se akten.", "(811218-9876)", "pnr:811218-9876",
    "000229-1235",  # 2000-02-29 exists (2000 was a leap year)
    "800229-1238",  # 1980-02-29
])
def test_valid_numbers_are_found(text: str) -> None:
    assert len(found(text)) == 1


@pytest.mark.parametrize("text", [
    "811218-9875", "8112189877", "19811218-9870",  # wrong check digit
    "010229-1234",  # 2001-02-29 and 1901-02-29 do not exist
    "19000229-1231",  # 1900 was no leap year (check digit right)
    "811318-9876", "811200-9878", "811232-9879",  # month 13, day 0, day 32
    "800192-1231",  # samordningsnummer with day 92 - 60 = 32
])
def test_invalid_numbers_are_not_found(text: str) -> None:
    assert found(text) == []


def test_checks_really_fail_for_the_invalid_dates() -> None:
    # The numbers above fail on their date, not on their check digit.
    from handbok.personnummer import _luhn

    for number in ("0102291234", "0002291235", "8001921231", "0002291235"):
        assert _luhn(number)


def test_samordningsnummer() -> None:
    [match] = find("Samordningsnummer 800161-1238.")
    assert match.coordination and match.masked == "80XXXX-XXXX"
    [person] = find("811218-9876")
    assert not person.coordination


@pytest.mark.parametrize("text", [
    "4811218987612",  # inside a longer run of digits
    "98112189876", "811218-98761", "1234198112189876", "0198112189876",
    "SN 2021/92 § 45", "Dnr 2021-000123", "SN 2025/14 § 22",
    "070-123 45 67", "070-1234567", "+46701234567", "08-123 456 78", "0771-567 567",
    "tel. 0701234569", "Telefon: 0701234569", "mobilnummer 0701234569",
    "2026-11-22", "kl. 08.00-16.30", "belopp 8112189876.50 kr", "version 1.8112189876",
])
def test_no_false_alarm(text: str) -> None:
    assert found(text) == []


def test_masking_never_shows_the_number() -> None:
    assert found("19811218-9876") == ["1981XXXX-XXXX"]
    assert found("8112189876") == ["81XXXXXXXX"]
    assert found("811218+9876") == ["81XXXX+XXXX"]


def test_allow_list() -> None:
    assert found("19121212-1212") == ["1912XXXX-XXXX"]
    allowed, findings = load_allow_list(FIXTURE)
    assert findings == [] and allowed == frozenset({"1212121212"})
    assert found("19121212-1212 och 121212-1212", allowed) == []


def test_bad_allow_list(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "personnummer-allow.yml").write_text("allow: 5\n", encoding="utf-8")
    allowed, findings = load_allow_list(tmp_path)
    assert allowed == frozenset() and [f.code for f in findings] == ["data-file"]


def test_may_hold_is_only_a_cheap_first_test() -> None:
    assert may_hold("abc 123456 def") and not may_hold("abc 12345 def 2026-11-22 åäö")


def test_front_matter_and_body_lines() -> None:
    text = (
        "---\nid: P-1\ntitle: Exempel\ntype: rutin\n"
        "history:\n  - {date: 2026-01-01, note: \"Rättat för 811218-9876\"}\n"
        "---\n\n# Exempel\n\nRad ett.\nRad två 800161-1238 och 19811218-9876.\n"
    )
    doc, _ = load_document("routines/p.md", text.encode())
    result = personnummer_findings([doc])
    assert [(f.code, f.severity, f.line, f.field) for f in result] == [
        ("personnummer", "error", 5, "history"),
        ("personnummer", "error", 12, None),
        ("personnummer", "error", 12, None),
    ]
    assert all("9876" not in f.message and "1238" not in f.message for f in result)
    assert "samordningsnummer" in result[1].message


def test_yaml_aliases_are_read_once() -> None:
    levels = ["a0: &a0 [\"811218-9876\", \"x\"]"]
    for i in range(1, 25):
        levels.append(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]")
    text = "---\nid: P\ntitle: T\ntype: rutin\n" + "\n".join(levels) + "\n---\n"
    doc, _ = load_document("routines/p.md", text.encode())
    assert len(personnummer_findings([doc])) == 25  # one per key, not one per path to it


def test_fixture_handbook() -> None:
    result = check_handbook(FIXTURE, TODAY)
    pnr = [f for f in result.findings if f.code == "personnummer"]
    assert [(f.path, f.line, f.severity) for f in pnr] == [
        ("routines/numbers.md", 9, "error"),  # tags
        ("routines/numbers.md", 16, "error"),
        ("routines/numbers.md", 16, "error"),
    ]
    assert not any("9876" in f.message for f in pnr)


def test_example_handbook_has_none() -> None:
    result = check_handbook(Path(__file__).parent.parent, TODAY)
    assert [f for f in result.findings if f.code == "personnummer"] == []


# Phone numbers and diarienummer that look like a personnummer (issue 11) ------------------


@pytest.mark.parametrize("text", [
    "Ring 070-123 45 67.", "08-123 456 78", "SN 2021/92 § 45", "Dnr 2021-123456", "+46 70 123 45 67",
    # twelve digits that pass the checksum and hold a real date (2021-12-18), announced as what they are
    "Dnr 202112180019", "Diarienummer: 202112180019", "diarienr 202112180019", "Ärendenummer 202112180019",
    # ten digits from 0 pass the checksum too (2007-01-23): the word before says it is a phone
    "Ring 0701234569", "Växeln: 0701234569", "mobiltelefon 0701234569", "+46 0701234569",
])
def test_phone_numbers_and_diarienummer_are_no_personnummer(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(("text", "masked"), [
    ("personnummer: 121212-1212", "12XXXX-XXXX"),
    ("Personnummer 1212121212", "12XXXXXXXX"),
    ("| Sökande | 19121212-1212 | Ansökan |", "1912XXXX-XXXX"),
    ("|121212-1212|", "12XXXX-XXXX"),
    # a word that merely contains "tel" or "fax" announces no phone number
    ("Hotel 1212121212", "12XXXXXXXX"), ("Halifax 121212-1212", "12XXXX-XXXX"),
    ("Stadshotellet, 19121212-1212", "1912XXXX-XXXX"),
])
def test_a_personnummer_after_a_label_or_in_a_table_is_found(text: str, masked: str) -> None:
    assert found(text) == [masked]


def test_ten_digits_from_0_without_a_word_before_ask_whether_it_is_a_phone() -> None:
    text = "---\nid: P-1\ntitle: T\ntype: rutin\n---\n\n| Jouren | 0701234569 |\n"
    doc, _ = load_document("routines/p.md", text.encode())
    [finding] = personnummer_findings([doc])
    assert "07XXXXXXXX" in finding.message and "070-123 45 67" in finding.message
    doc, _ = load_document("routines/p.md", text.replace("0701234569", "811218-9876").encode())
    assert "070-123 45 67" not in personnummer_findings([doc])[0].message


# The handbook's own pages in docs/ are published too --------------------------------------


def _with_pages(copy_fixture: CopyFixture) -> Path:
    root = copy_fixture("legal")
    (root / "docs" / "guide").mkdir()
    (root / "docs" / "guide" / "exempel.md").write_text(
        "---\ntitle: Exempel\n---\n\n# Exempel\n\nTestnumret 19121212-1212 får stå här.\n\n"
        "| Namn | Personnummer |\n|---|---|\n| Sökande | 811218-9876 |\n\nRing 070-123 45 67.\n",
        encoding="utf-8")
    return root


def test_pages_in_docs_are_looked_through(copy_fixture: CopyFixture) -> None:
    root = _with_pages(copy_fixture)
    (root / "docs" / "start.md").write_text("Samordningsnummer 800161-1238.\n", encoding="utf-8")
    result = check_handbook(root, TODAY)
    pages = [f for f in result.findings if f.code == "personnummer" and f.path.startswith("docs/")]
    assert [(f.path, f.line, f.severity, f.document) for f in pages] == [
        ("docs/guide/exempel.md", 11, "error", None),  # the allow-listed test number is not reported
        ("docs/start.md", 1, "error", None),
    ]
    assert "81XXXX-XXXX" in pages[0].message and "9876" not in pages[0].message
    assert "samordningsnummer" in pages[1].message


def test_text_files_published_from_docs_are_looked_through(copy_fixture: CopyFixture) -> None:
    """MkDocs publishes every file of docs/ as it is: a list exported from a spreadsheet
    (Windows-1252 or UTF-16), an HTML page, a drawing. Other files are left alone."""
    root = _with_pages(copy_fixture)
    files = root / "docs" / "filer"
    files.mkdir()
    (files / "lista.csv").write_bytes("Namn;Personnummer\nSökande;811218-9876\n".encode("cp1252"))
    (files / "unicode.TXT").write_bytes("Namn\tNummer\r\nA\t811218-9876\r\n".encode("utf-16"))
    (files / "sida.html").write_text("<p>\n<b>811218-9876</b></p>\n", encoding="utf-8")
    (files / "ritning.svg").write_text("<svg><text>19811218-9876</text></svg>\n", encoding="utf-8")
    (files / "bild.png").write_bytes(b"\x89PNG 811218-9876")  # not text: not looked through
    (files / ".dold.csv").write_text("811218-9876\n", encoding="utf-8")  # hidden: not published
    result = check_handbook(root, TODAY)
    found = [(f.path, f.line) for f in result.findings if f.code == "personnummer" and f.path.startswith("docs/filer")]
    assert found == [("docs/filer/lista.csv", 2), ("docs/filer/ritning.svg", 1), ("docs/filer/sida.html", 2),
                     ("docs/filer/unicode.TXT", 2)]


def test_the_pages_folder_is_mkdocs_docs_dir(copy_fixture: CopyFixture) -> None:
    root = _with_pages(copy_fixture)
    (root / "docs").rename(root / "sidor")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "docs_dir: sidor\n", encoding="utf-8")
    from handbok.config import read_config

    result = check_handbook(root, TODAY, read_config(root)[0])
    assert [f.path for f in result.findings if f.code == "personnummer" and not f.path.startswith("routines/")] \
        == ["sidor/guide/exempel.md"]


def test_a_page_linked_from_outside_the_handbook_is_not_read(copy_fixture: CopyFixture, tmp_path: Path) -> None:
    root = copy_fixture("legal")
    outside = tmp_path / "utanfor.md"
    outside.write_text("811218-9876\n", encoding="utf-8")
    (root / "docs" / "lank.md").symlink_to(outside)
    result = check_handbook(root, TODAY)
    assert not [f for f in result.findings if f.path.startswith("docs/")]


def test_the_example_pages_have_none() -> None:
    """The editor's guide (copied into every new handbook by `handbok init`) shows the
    allow-list without a number that passes the checks."""
    result = check_handbook(Path(__file__).parent.parent, TODAY)
    assert [f for f in result.findings if f.path.startswith("docs/")] == []


@pytest.mark.site
def test_the_build_refuses_to_publish_a_page_with_a_personnummer(copy_fixture: CopyFixture, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = copy_fixture("clean")
    page = root / "docs" / "kontakt.md"
    page.write_text("# Kontakt\n\nSökande 811218-9876 ringer ofta.\n", encoding="utf-8")
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY", "HANDBOK_VISIBILITY")}
    env.update({"HANDBOK_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1", "CI": "true"})

    def build(name: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([mkdocs, "build", "-d", str(tmp_path / name)], cwd=root, env={**env, **extra},
                              capture_output=True, text=True, timeout=300)

    run = build("site")
    assert run.returncode == 1 and "(docs/kontakt.md:3) [personnummer]" in run.stderr
    assert "81XXXX-XXXX" in run.stderr and "9876" not in run.stderr
    # A page the public site leaves out (visibility: internal) stops the internal build only,
    # as an internal routine does.
    page.write_text("---\nvisibility: internal\n---\n\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    assert build("internal").returncode == 1
    public = build("public", HANDBOK_VISIBILITY="public")
    assert public.returncode == 0, public.stderr
    assert not (tmp_path / "public" / "kontakt").exists()
