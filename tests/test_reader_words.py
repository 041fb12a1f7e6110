"""Issue 9, items 6 and 12: distinct words for document and review status, a summary that
adds up with agreeing plurals, and a command line that speaks Swedish throughout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, RunCli

from handbok import messages as msg
from handbok.pages import text as t

ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "Show the version", "Try '",
           "Error:", "No such", "Invalid value", "is not one of", "[OPTIONS]", "COMMAND [ARGS]")


def test_document_status_and_review_status_never_share_a_word() -> None:
    document = set(msg.STATUS_CHOICES.values()) | {v.lower() for v in t.DOC_STATUS_LABELS.values()}
    review = {msg.STATUS_LABELS[s] for s in ("current", "due-soon", "overdue", "unknown")}
    site_review = {t.STATUS_LABELS[s].lower() for s in ("current", "due-soon", "overdue", "unknown")}
    assert "gällande" in document
    assert not document & review and not document & site_review
    assert msg.STATUS_LABELS["current"] == "aktuell" and t.STATUS_LABELS["current"] == "Aktuell"


@pytest.mark.parametrize(("count", "words", "expected"), [
    (1, msg.SEVERITY_COUNT_WORDS["warning"], "1 varning"),
    (3, msg.SEVERITY_COUNT_WORDS["warning"], "3 varningar"),
    (0, msg.SEVERITY_COUNT_WORDS["warning"], "0 varningar"),
    (1, msg.STATUS_COUNT_WORDS["overdue"], "1 försenat"),
    (3, msg.STATUS_COUNT_WORDS["overdue"], "3 försenade"),
    (2, msg.STATUS_COUNT_WORDS["repealed"], "2 upphävda"),
])
def test_counts_agree_in_number(count: int, words: tuple[str, str], expected: str) -> None:
    assert msg.counted(count, words) == expected


def test_the_summary_adds_up_with_the_verdict(cli: RunCli) -> None:
    """The overdue documents are warnings and fail the gate: the summary says both."""
    run = cli("check", FIXTURES / "reader", "--today", "2026-11-22")
    summary, verdict = run.stdout.splitlines()[-2:]
    assert summary == ("5 dokument: 1 aktuellt, 1 revideras snart, 1 försenat, 1 utkast, 1 upphävt. "
                       "0 fel, 3 varningar (varav 1 försenat dokument). (Datum: 2026-11-22)")
    assert verdict == "Kontrollen underkänd (--fail-on overdue): 1 försenat dokument, markerat med ✗."
    assert run.stdout.count("✗") == 1 + 1


def test_a_missing_routines_folder_is_named_by_its_absolute_path(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "tom").mkdir()
    run = cli("check", ".", cwd=tmp_path / "tom")
    assert run.returncode == 2
    assert f"finns inte i {(tmp_path / 'tom').resolve()}." in run.stderr
    assert "Är . " not in run.stderr and " i .." not in run.stderr
    missing = cli("check", "saknas", cwd=tmp_path)
    assert f"Mappen {tmp_path / 'saknas'} finns inte." in missing.stderr


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["review", "-h"], ["--version"]])
def test_help_is_swedish(cli: RunCli, args: list[str]) -> None:
    run = cli(*args)
    assert run.returncode == 0
    assert not [word for word in ENGLISH if word in run.stdout], run.stdout
    if args != ["--version"]:
        assert "Användning: handbok" in run.stdout and "Flaggor:" in run.stdout
        assert "Visa den här hjälpen och avsluta." in run.stdout


@pytest.mark.parametrize(("args", "expected"), [
    (["finnsinte"], "Fel: Kommandot 'finnsinte' finns inte."),
    (["chek"], "Menade du 'check'?"),
    (["check", "--format", "xml"], "Fel: Ogiltigt värde för '--format': 'xml' är inte ett av"),
    (["check", "--inte-en-flagga"], "Fel: Flaggan '--inte-en-flagga' finns inte."),
    (["check", "--warn-days", "tre"], "Fel: Ogiltigt värde för '--warn-days'"),
    (["init"], "Fel: Argument saknas 'MAPP'."),
])
def test_usage_errors_are_swedish(cli: RunCli, args: list[str], expected: str) -> None:
    run = cli(*args)
    assert run.returncode == 2
    assert expected in run.stderr, run.stderr
    assert "Skriv 'handbok" in run.stderr and "för hjälp." in run.stderr
    assert not [word for word in ENGLISH if word in run.stderr], run.stderr


def test_messages_end_once_and_suggest_the_english_key_for_a_swedish_one(cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "h"
    shutil.copytree(FIXTURES / "reader", root)
    (root / "routines" / "svensk.md").write_text(
        "---\nid: T-009\ntitle: Svenska fält\ntype: rutine\nägare: enhetschef-ame\nowner: enhetschef-ame\n"
        "decided_by: forvaltningschf\ndecision_date: 2025-3-1\nreview_interval: vartannat år\n---\n\nText.\n",
        encoding="utf-8")
    out = cli("check", root, "--today", "2026-11-22").stdout
    assert "Okänt fält 'ägare': menade du owner?" in out
    assert "Skriv datumet som ÅÅÅÅ-MM-DD. Menade du 2025-03-01? [invalid-date]" in out
    assert "Okänd dokumenttyp 'rutine': menade du rutin? [unknown-type]" in out
    assert "'2 år'" in out  # a Swedish example for review_interval
    assert "?)." not in out and "?." not in out
