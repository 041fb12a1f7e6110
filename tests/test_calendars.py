"""Review calendars parsed back with icalendar: events, reminders, stable UIDs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from conftest import TODAY, CopyFixture
from icalendar import Calendar

from handbok.calendars import review_calendar, uid
from handbok.core import check_handbook


def _events(data: bytes) -> dict[str, dict[str, object]]:
    cal = Calendar.from_ical(data)
    return {str(ev["UID"]): {"start": ev.decoded("DTSTART"), "summary": str(ev["SUMMARY"]),
                             "url": str(ev.get("URL", "")), "alarms": [a.decoded("TRIGGER") for a in ev.walk("VALARM")]}
            for ev in cal.walk("VEVENT")}


def test_one_all_day_event_per_document_in_force(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("basic")
    result = check_handbook(root, TODAY)
    data = review_calendar(result, result.documents, "Revisionsplan", lambda d: f"https://intra.example/{d.path}", 10)
    events = _events(data)
    active = [d for d in result.documents if d.status == "active" and result.state(d).due]
    assert len(events) == len(active) and not any(d.status != "active" for d in result.documents
                                                     if uid(d) in events)
    doc = next(d for d in active if d.id == "T-002")
    event = events[uid(doc)]
    assert event["start"] == result.state(doc).due and isinstance(event["start"], dt.date)
    assert not isinstance(event["start"], dt.datetime)  # all-day
    assert "T-002" in str(event["summary"]) and str(event["url"]).endswith("overdue.md")
    assert event["alarms"] == [dt.timedelta(days=-10)]
    assert Calendar.from_ical(data)["X-WR-CALNAME"] == "Revisionsplan"


def test_a_moved_date_keeps_its_uid(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("basic")
    before = check_handbook(root, TODAY)
    first = _events(review_calendar(before, before.documents, "R", lambda d: None))
    path = root / "routines" / "overdue.md"
    path.write_text(path.read_text(encoding="utf-8").replace("decision_date: 2015-04-20",
                                                             "decision_date: 2026-04-20"), encoding="utf-8")
    after = check_handbook(root, TODAY)
    second = _events(review_calendar(after, after.documents, "R", lambda d: None))
    assert first.keys() == second.keys()
    moved = [k for k in first if first[k]["start"] != second[k]["start"]]
    assert len(moved) == 1


def test_metadata_cannot_break_the_file(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("basic")
    path = root / "routines" / "current.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Ansökan om ekonomiskt bistånd", 'title: "Ansökan\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT"'), encoding="utf-8")
    result = check_handbook(root, TODAY)
    events = _events(review_calendar(result, result.documents, "R", lambda d: None))
    active = [d for d in result.documents if d.status == "active" and result.state(d).due]
    assert len(events) == len(active)


def test_site_publishes_calendars_and_links_them(tmp_path: Path) -> None:
    from test_site import build

    run, site = build("basic", tmp_path)
    assert run.returncode == 0, run.stderr
    events = _events((site / "revisionsplan.ics").read_bytes())
    owner = _events((site / "oversikt" / "ansvariga" / "enhetschef-forsorjningsstod.ics").read_bytes())
    assert owner and set(owner) <= set(events)
    page = (site / "oversikt" / "ansvariga" / "enhetschef-forsorjningsstod" / "index.html").read_text(encoding="utf-8")
    assert 'href="../enhetschef-forsorjningsstod.ics"' in page
    report = (site / "oversikt" / "internkontroll" / "index.html").read_text(encoding="utf-8")
    assert "Intern kontroll" in report and '<h2 id="nyckeltal">' in report and "Så har vi räknat" in report
    assert 'href="../../routines/overdue/"' in report  # the overdue document, linked
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "oversikt/internkontroll/" in home  # in the navigation
    wb = openpyxl.load_workbook(site / "dokumentforteckning.xlsx")
    register = wb["Dokumentförteckning"]
    ids = {row[0].value for row in register.iter_rows(min_row=2)}
    assert {"T-001", "T-002"} <= ids and register.freeze_panes == "A2"
