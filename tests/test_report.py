"""`handbok report`: the figures, the period's events, the trend from a real git history,
and every format read back with its own library (pypdf, openpyxl)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pypdf
import pytest
from conftest import FIXTURES, RunCli

from handbok import githistory
from handbok.core import check_handbook
from handbok.figures import key_figures
from handbok.report import build_report, render_report
from handbok.report.markdown import report_markdown

TODAY = dt.date(2026, 6, 15)
START = dt.date(2026, 1, 1)


def _doc(doc_id: str, title: str, *, review: str, status: str = "active", decision: str = "2025-01-10",
         extra: str = "", history: str = "") -> str:
    hist = f"history:\n{history}" if history else ""
    return (f"---\nid: {doc_id}\ntitle: '{title}'\ntype: rutin\nstatus: {status}\n"
            f"owner: enhetschef-forsorjningsstod\ndecided_by: forvaltningschef\ndecision_date: {decision}\n"
            f"decision_ref: SN 1\nreview_date: {review}\nprocesses: [ansokan]\n{extra}{hist}---\n\n# {title}\n\nText.\n")


def _commit(root: Path, day: str, message: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00",
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True, env=env)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A handbook with three commits: December, March (revision, new document), May
    (repeal, review without changes)."""
    root = tmp_path_factory.mktemp("history") / "handbok"
    shutil.copytree(FIXTURES / "basic" / "data", root / "data")
    shutil.copy(FIXTURES / "basic" / "mkdocs.yml", root / "mkdocs.yml")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    r = root / "routines"
    r.mkdir()
    (r / "a.md").write_text(_doc("T-A", "Ansökan", review="2026-02-01"), encoding="utf-8")
    (r / "b.md").write_text(_doc("T-B", "Utredning", review="2027-01-01"), encoding="utf-8")
    (r / "r.md").write_text(_doc("T-R", "Gammal rutin", review="2027-01-01"), encoding="utf-8")
    _commit(root, "2025-12-10", "Första versionen")
    (r / "a.md").write_text(_doc("T-A", "Ansökan", review="2027-03-01", decision="2026-03-10",
                                 history='  - {date: 2026-03-10, note: "Ny arbetsgång"}\n'), encoding="utf-8")
    (r / "c.md").write_text(_doc("T-C", "=HYPERLINK(\"http://evil\")", review="2028-01-01", decision="2026-03-10"),
                            encoding="utf-8")
    _commit(root, "2026-03-10", "Revision av T-A, ny rutin T-C")
    (r / "r.md").write_text(_doc("T-R", "Gammal rutin", review="2027-01-01", status="repealed"), encoding="utf-8")
    (r / "b.md").write_text(_doc("T-B", "Utredning", review="2028-05-05", extra="last_reviewed: 2026-05-05\n",
                                 history='  - {date: 2026-05-05, note: "Granskad utan ändringar"}\n'),
                            encoding="utf-8")
    _commit(root, "2026-05-05", "T-R upphävd, T-B granskad")
    return root


def test_key_figures_come_from_one_place(history: Path) -> None:
    result = check_handbook(history, TODAY)
    f = key_figures(result.documents, result.states, result.org, TODAY)
    s = result.summary()
    assert f.in_force == s["documents"] - s["draft"] - s["repealed"] == 3
    assert f.statuses["overdue"] == s["overdue"] == len(f.overdue) == 0
    assert (f.decision_record.count, f.decision_record.total, f.decision_record.percent) == (3, 3, 100)
    assert [st.name for st in f.step_gaps] == ["Utredning", "Anvisning till arbetsmarknadsenheten"]


def test_trend_from_month_ends_read_from_git(history: Path) -> None:
    report = build_report(check_handbook(history, TODAY), START)
    points = [(p.day.isoformat(), p.in_force, p.overdue.count) for p in report.trend]
    assert points == [
        ("2026-01-31", 3, 0),
        ("2026-02-28", 3, 1),  # T-A passed 2026-02-01 and was revised only in March
        ("2026-03-31", 4, 0),
        ("2026-04-30", 4, 0),
        ("2026-05-31", 3, 0),  # T-R repealed
        ("2026-06-15", 3, 0),
    ]
    assert report.trend[1].overdue.percent == 33
    assert all(p.gaps == report.figures.gaps == 2 + len(report.figures.requirement_gaps) for p in report.trend)


def test_unchanged_blobs_are_parsed_once(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []
    real = githistory.load_document

    def counting(rel: str, data: bytes):  # type: ignore[no-untyped-def]
        calls.append(data)
        return real(rel, data)

    monkeypatch.setattr(githistory, "load_document", counting)
    days = githistory.month_ends(START, TODAY)
    snaps = githistory.snapshots(history, "routines", days)
    assert len(snaps) == 6
    assert len(calls) == len(set(calls)) == 3 + 2 + 2  # every version of a file exactly once


def test_no_checkout_and_nothing_written(history: Path) -> None:
    before = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=history, capture_output=True,
                            text=True, check=True).stdout
    build_report(check_handbook(history, TODAY), START)
    after = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=history, capture_output=True,
                           text=True, check=True).stdout
    assert before == after == ""


def test_events_of_the_period(history: Path) -> None:
    report = build_report(check_handbook(history, TODAY), START)
    events = {(e.date.isoformat(), e.kind, e.document.id) for e in report.events}
    assert events == {
        ("2026-03-10", "decided", "T-A"),
        ("2026-03-10", "decided", "T-C"),
        ("2026-03-10", "added", "T-C"),
        ("2026-05-05", "reviewed", "T-B"),
        ("2026-05-05", "repealed", "T-R"),
    }
    assert report.history_before_start


def test_outside_git_there_is_no_trend(copy_fixture) -> None:  # type: ignore[no-untyped-def]
    root = copy_fixture("basic")
    report = build_report(check_handbook(root, TODAY), START)
    assert report.trend == [] and not report.history_before_start
    assert "Ingen git-historik" in report_markdown(report)


def test_pdf_text_and_tags(history: Path) -> None:
    report = build_report(check_handbook(history, TODAY), START)
    pdf = pypdf.PdfReader(io.BytesIO(render_report(report, "pdf", lambda d: None)))
    pages = [p.extract_text() for p in pdf.pages]
    text = "\n".join(pages)
    assert "Intern kontroll av styrdokument" in text
    assert "100 % (3 av 3)" in text  # decision record
    assert "Utredning" in text and "Februari" not in text
    for number, page in enumerate(pages, start=1):
        assert "Per den 15 juni 2026" in page  # the as-of date on every page
        assert f"Sida {number} av {len(pages)}" in page
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)  # A4
    root = pdf.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "sv"
    tree = root["/StructTreeRoot"].get_object()
    kinds: set[str] = set()

    def walk(node: object, depth: int = 0) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            if depth < 40 and "/K" in node:
                walk(node["/K"], depth + 1)
        elif isinstance(node, list):
            for child in node:
                walk(child, depth + 1)

    walk(tree)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/P"} <= kinds
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp or b"<pdfuaid:part>1</pdfuaid:part>" in xmp  # PDF/UA-1
    assert pdf.metadata and "Intern kontroll" in pdf.metadata.title


def test_xlsx_sheets_dates_filters_and_no_formula(history: Path) -> None:
    report = build_report(check_handbook(history, TODAY), START)
    wb = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx", lambda d: None)))
    assert wb.sheetnames[:2] == ["Nyckeltal", "Dokumentförteckning"]
    assert {"Passerat revisionsdatum", "Processteg utan rutin", "Krav utan styrdokument", "Trend"} <= set(wb.sheetnames)
    reg = wb["Dokumentförteckning"]
    assert reg["A1"].value == "Id" and reg.freeze_panes == "A2" and reg.auto_filter.ref.startswith("A1:")
    rows = {row[0].value: row for row in reg.iter_rows(min_row=2)}
    assert isinstance(rows["T-A"][7].value, dt.datetime) and rows["T-A"][7].value.date() == dt.date(2026, 3, 10)
    title = rows["T-C"][1]
    assert title.data_type == "s" and title.value.startswith("'=HYPERLINK")  # not a formula
    assert reg.column_dimensions["B"].width >= len("=HYPERLINK(\"http://evil\")")
    trend = wb["Trend"]
    assert [c.value for c in trend[1]] == ["Månadsslut", "Gällande", "Passerat", "Andel passerat", "Luckor"]
    assert trend.cell(3, 3).value == 1 and isinstance(trend.cell(3, 1).value, dt.datetime)


def test_html_escapes_metadata_and_draws_svg(history: Path) -> None:
    report = build_report(check_handbook(history, TODAY), START)
    html = render_report(report, "html", lambda d: f"https://intra.example/{d.path}").decode()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert html.count("<svg") == 2 and "<title" in html and "<table" in html
    assert "<script" not in html
    assert "=HYPERLINK(&#34;http://evil&#34;)" in html or "=HYPERLINK(&quot;http://evil&quot;)" in html


def test_json_and_markdown(history: Path) -> None:
    report = build_report(check_handbook(history, TODAY), START)
    data = json.loads(render_report(report, "json", lambda d: None))
    assert data["figures"]["in_force"] == 3 and data["trend"][1]["overdue"]["count"] == 1
    assert [e["kind"] for e in data["events"] if e["document"] == "T-R"] == ["repealed"]
    assert data["event_counts"] == {"decided": 2, "revised": 0, "reviewed": 1, "added": 1, "repealed": 1}
    md = report_markdown(report)
    assert "## Nyckeltal" in md and "| Gällande dokument | 3 |" in md


def test_unit_scope(history: Path) -> None:
    result = check_handbook(history, TODAY)
    assert build_report(result, START, "ifo").figures.in_force == 3  # forsorjningsstod is under ifo
    assert build_report(result, START, "ame").figures.in_force == 0


def test_cli(history: Path, cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "rapport.pdf"
    run = cli("report", history, "--today", "2026-06-15", "--from", "2026-01-01", "--format", "pdf", "-o", out)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    run = cli("report", history, "--today", "2026-06-15", "--format", "json")
    assert run.returncode == 0 and json.loads(run.stdout)["from"] == "2025-06-15"
    run = cli("report", history, "--unit", "okand")
    assert run.returncode == 2 and "Okänd enhet" in run.stderr
    run = cli("report", history, "--from", "2026-13-01")
    assert run.returncode == 2 and "--from" in run.stderr


def test_long_event_list_is_cut_in_html_but_whole_in_excel(history: Path) -> None:
    from handbok.figures import Event
    from handbok.report.view import EVENT_ROWS

    report = build_report(check_handbook(history, TODAY), START)
    doc = report.result.documents[0]
    report.events = [Event(TODAY, "reviewed", doc)] * (EVENT_ROWS + 7)
    html = render_report(report, "html", lambda d: None).decode()
    assert f"Visar de {EVENT_ROWS} senaste av {EVENT_ROWS + 7}." in html
    wb = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx", lambda d: None)))
    assert wb["Händelser"].max_row == EVENT_ROWS + 7 + 1


def test_history_reads_neither_links_nor_oversized_files(tmp_path: Path) -> None:
    root = tmp_path / "h"
    (root / "routines").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    (root / "routines" / "a.md").write_text(_doc("T-A", "A", review="2027-01-01"), encoding="utf-8")
    (root / "routines" / "big.md").write_text(_doc("T-BIG", "Stor", review="2027-01-01") + "x" * 3000,
                                              encoding="utf-8")
    os.symlink("/etc/passwd", root / "routines" / "link.md")
    _commit(root, "2026-02-01", "Länk och stor fil")
    snaps = githistory.snapshots(root, "routines", [TODAY], max_file_kb=2)
    assert [d.id for d in snaps[0].documents] == ["T-A"]


def test_control_characters_are_written_out_in_every_format(copy_fixture) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    from handbok.calendars import review_calendar

    root = copy_fixture("basic")
    path = root / "routines" / "overdue.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Utredning", 'title: "Utr\\e[2K\\u202eedning"'),
                    encoding="utf-8")
    result = check_handbook(root, TODAY)
    report = build_report(result, START)
    for fmt in ("html", "md"):  # json is data for programs: its strings are JSON-escaped as in check
        text = render_report(report, fmt, lambda d: None).decode()
        assert "\x1b" not in text and "\u202e" not in text, fmt
    sheet = openpyxl.load_workbook(io.BytesIO(render_report(report, "xlsx", lambda d: None)))["Dokumentförteckning"]
    assert "Utr\\x1b[2K\\u202eedning" in {c.value for row in sheet.iter_rows() for c in row}
    ics = review_calendar(result, result.documents, "R", lambda d: None)
    assert b"\x1b" not in ics
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(ics).walk("VEVENT")]
    assert any("Utr\\x1b[2K" in s for s in summaries)


def test_public_result_counts_only_public_documents_in_the_trend(history: Path) -> None:
    from dataclasses import replace

    result = check_handbook(history, TODAY)
    assert hasattr(result, "public")
    public = replace(result, public=True, documents=[d for d in result.documents if d.visibility == "public"])
    report = build_report(public, START)
    assert report.trend and all(p.in_force == 0 for p in report.trend)  # no document of the fixture is public
