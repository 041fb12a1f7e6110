"""The personnummer guard: checksum, real dates, samordningsnummer, masking, allow-list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

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
