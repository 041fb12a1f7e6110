"""Review calendars: `revisionsplan.ics` and one calendar per owner role.

An all-day event on each document's review date, with a reminder some days before.
The UID is built from the document's id alone, so a moved date moves the event in a
subscribed calendar instead of adding one. Drafts and repealed documents have none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable

from icalendar import Alarm, Calendar, Event

from .core import Result
from .messages import visible
from .model import Document

__all__ = ["ALARM_DAYS", "CALENDAR_NAME", "OWNER_CALENDAR_NAME", "SUBSCRIBE", "SUBSCRIBE_HELP", "review_calendar", "uid"]

ALARM_DAYS = 14
CALENDAR_NAME = "Revisionsplan"
OWNER_CALENDAR_NAME = "Revisionsplan: {role}"
SUMMARY = "Revidera {id} {title}"
DESCRIPTION = "{title} ({id}) ska vara granskat eller reviderat senast i dag.\nDokumentansvarig: {owner}.\n{url}"
ALARM_TEXT = "Om {days} dagar ska {id} {title} vara granskat eller reviderat."
SUBSCRIBE = "Prenumerera på rollens revisionskalender"
SUBSCRIBE_HELP = ("(.ics): kopiera länkens adress och lägg till den i Outlook under Lägg till kalender, "
                  "Från Internet, så visas varje revisionsdatum med en påminnelse i förväg.")


def uid(doc: Document, domain: str = "handbok") -> str:
    """Stable for the document: its id (the path when the id is missing)."""
    key = doc.id or doc.path
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"revision-{digest}@{domain}"


def review_calendar(result: Result, documents: Iterable[Document], name: str,
                    url: Callable[[Document], str | None], alarm_days: int = ALARM_DAYS,
                    events: dict[str, bytes] | None = None) -> bytes:
    """An iCalendar file with one all-day event per document in force with a due date.
    `events` (document path -> its event as iCalendar text) may be shared by the calendars
    of one build, with the same `url` and `alarm_days`: each event is then made once,
    for the whole handbook's calendar and its owner's."""
    cal = Calendar()
    cal.add("prodid", "-//handbok//Revisionsplan//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = dt.datetime.combine(result.today, dt.time(), tzinfo=dt.UTC)
    made = events if events is not None else {}
    body: list[bytes] = []
    for doc in sorted(documents, key=lambda d: (d.id or "", d.path)):
        state = result.state(doc)
        if doc.status != "active" or state.due is None:
            continue
        if doc.path not in made:
            made[doc.path] = _event(result, doc, state.due, stamp, url(doc), alarm_days).to_ical()
        body.append(made[doc.path])
    head, end = cal.to_ical(), b"END:VCALENDAR\r\n"  # the events go before the end line
    return head[: len(head) - len(end)] + b"".join(body) + end


def _event(result: Result, doc: Document, due: dt.date, stamp: dt.datetime, address: str | None,
           alarm_days: int) -> Event:
    title, ident = visible(doc.title or doc.path), visible(doc.id or doc.path)
    event = Event()
    event.add("uid", uid(doc))
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    if due < dt.date.max:  # an all-day event without DTEND lasts the day (RFC 5545)
        event.add("dtend", due + dt.timedelta(days=1))
    event.add("summary", SUMMARY.format(id=ident, title=title))
    event.add("description", DESCRIPTION.format(title=title, id=ident, owner=visible(result.org.role_title(doc.owner)),
                                                url=address or visible(doc.path)))
    if address:
        event.add("url", address)
    event.add("transp", "TRANSPARENT")
    if alarm_days > 0:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", ALARM_TEXT.format(days=alarm_days, id=ident, title=title))
        alarm.add("trigger", dt.timedelta(days=-alarm_days))
        event.add_component(alarm)
    return event
