"""`handbok remind`: per owner role, what is overdue or due soon, as a short Swedish
message; listed, written as one .eml file per role, or sent by SMTP.

SMTP settings come from the environment only (never a password on the command line):
HANDBOK_SMTP_HOST, HANDBOK_SMTP_PORT (25), HANDBOK_SMTP_USER, HANDBOK_SMTP_PASSWORD,
HANDBOK_SMTP_FROM. STARTTLS is used whenever the server offers it, and a password is
never sent over a connection that is not encrypted.
"""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from .core import Result
from .links import document_url, page_url, site_url
from .messages import visible
from .model import Document, ReviewState
from .pages import text as t

__all__ = ["FORMATS", "Reminder", "SmtpSettings", "reminders", "run_remind", "smtp_settings"]

FORMATS = ("text", "json", "eml")
GUIDE_ADDRESS = ("guide/skriva-styrdokument/", "granskning-utan-andringar")

SUBJECT = "Styrdokument att granska: {count} för {role}"
GREETING = "Hej {name}!"
INTRO = ("Det här är en påminnelse från kvalitetshandboken om styrdokument där du som {role} "
         "är dokumentansvarig. Läget den {day}:")
OVERDUE = "Revisionsdatum passerat:"
DUE_SOON = "Ska revideras inom {days} dagar:"
OVERDUE_ITEM = "- {id} {title}: skulle ha reviderats senast {due} ({days} sedan)"
DUE_ITEM = "- {id} {title}: ska revideras senast {due} (om {days})"
HOW_TO = ("Har du gått igenom ett dokument och inget behöver ändras? Då registrerar du granskningen "
          "med kommandot  handbok review ID  eller ber handbokens redaktör om det. Så går det till:")
HOW_TO_NO_SITE = "Läs avsnittet Granskning utan ändringar i Så skriver du ett styrdokument."
CHANGES = "Behöver dokumentet ändras gör du en revidering med nytt beslut."
NOTHING = "Inget är försenat eller ska revideras inom {days} dagar."
NO_ADDRESS = "{role}: saknar e-postadress i data/organisation.yml, påminnelsen kan inte skickas."
LISTED = "{role} <{email}>: {count} dokument"
LISTED_NO_ADDRESS = "{role} (saknar e-postadress): {count} dokument"
WROTE = "{count} e-postfiler skrivna till {folder}."
SENT = "Skickat till {role} <{email}>."
SEND_FAILED = "Kunde inte skicka till {role} <{email}>: {reason}"
NO_HOST = "HANDBOK_SMTP_HOST är inte satt: ange e-postserverns namn i miljön (se README)."
NO_SENDER = "HANDBOK_SMTP_FROM är inte satt: ange avsändaradressen i miljön (se README)."
BAD_PORT = "HANDBOK_SMTP_PORT ska vara ett portnummer, t.ex. 587."
NO_TLS = "Servern {host} erbjuder inte STARTTLS: lösenordet skickas inte okrypterat."
NO_CONNECTION = "Kan inte ansluta till e-postservern {host}:{port}: {reason}"


@dataclass
class Reminder:
    role: str
    title: str
    holder: str | None
    email: str | None
    overdue: list[tuple[Document, ReviewState]] = field(default_factory=list)
    due_soon: list[tuple[Document, ReviewState]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_soon)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None
    password: str | None


def reminders(result: Result, within: int) -> list[Reminder]:
    """One reminder per owner role with documents in force overdue or due within `within` days."""
    roles = result.org.roles or {}
    out: dict[str, Reminder] = {}
    for doc in sorted(result.documents, key=lambda d: (result.state(d).due or dt.date.min, d.id or "")):
        state = result.state(doc)
        if doc.status != "active" or not doc.owner or state.days_left is None or state.days_left > within:
            continue
        role = roles.get(doc.owner)
        rem = out.get(doc.owner)
        if rem is None:
            rem = out[doc.owner] = Reminder(doc.owner, result.org.role_title(doc.owner),
                                            role.holder if role else None, role.email if role else None)
        (rem.overdue if state.days_left < 0 else rem.due_soon).append((doc, state))
    return [out[k] for k in sorted(out)]


def _one_line(text: str) -> str:
    """A header value: no line breaks (no header injection), control characters written out."""
    return visible(" ".join(text.split()))


def message_text(rem: Reminder, result: Result, within: int, site: str | None) -> str:
    lines = [GREETING.format(name=_one_line(rem.holder or rem.title)), "",
             INTRO.format(role=_one_line(rem.title.lower()), day=t.sv_date(result.today)), ""]

    def item(template: str, doc: Document, state: ReviewState) -> None:
        lines.append(template.format(id=_one_line(doc.id or doc.path), title=_one_line(doc.title or ""),
                                     due=t.sv_date(state.due),
                                     days=t.days_text(state.days_left or 0)))
        url = document_url(site, doc)
        lines.append(f"  {url}" if url else f"  {_one_line(doc.path)}")

    if rem.overdue:
        lines.append(OVERDUE)
        for doc, state in rem.overdue:
            item(OVERDUE_ITEM, doc, state)
        lines.append("")
    if rem.due_soon:
        lines.append(DUE_SOON.format(days=within))
        for doc, state in rem.due_soon:
            item(DUE_ITEM, doc, state)
        lines.append("")
    guide = page_url(site, *GUIDE_ADDRESS)
    lines += [HOW_TO, f"  {guide}" if guide else f"  {HOW_TO_NO_SITE}", "", CHANGES, ""]
    return "\n".join(lines)


def email_message(rem: Reminder, result: Result, within: int, site: str | None, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = _one_line(SUBJECT.format(count=rem.count, role=rem.title))
    msg["From"] = _one_line(sender)
    if rem.email:
        msg["To"] = _one_line(rem.email)
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg["Message-ID"] = make_msgid(domain="handbok")
    msg.set_content(message_text(rem, result, within, site))
    return msg


def smtp_settings(environ: dict[str, str]) -> SmtpSettings | str:
    """The settings, or the Swedish reason they are incomplete."""
    host = environ.get("HANDBOK_SMTP_HOST", "").strip()
    if not host:
        return NO_HOST
    sender = environ.get("HANDBOK_SMTP_FROM", "").strip()
    if not sender:
        return NO_SENDER
    try:
        port = int(environ.get("HANDBOK_SMTP_PORT") or 25)
    except ValueError:
        return BAD_PORT
    return SmtpSettings(host, port, sender, environ.get("HANDBOK_SMTP_USER") or None,
                        environ.get("HANDBOK_SMTP_PASSWORD") or None)


def _send(messages: list[tuple[Reminder, EmailMessage]], s: SmtpSettings) -> tuple[int, list[str], list[str]]:
    out: list[str] = []
    err: list[str] = []
    try:
        with smtplib.SMTP(s.host, s.port, timeout=60) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            elif s.user:
                return 2, out, [NO_TLS.format(host=s.host)]
            if s.user:
                smtp.login(s.user, s.password or "")
            for rem, msg in messages:
                try:
                    smtp.send_message(msg)
                    out.append(visible(SENT.format(role=rem.title, email=rem.email)))
                except smtplib.SMTPException as exc:
                    err.append(visible(SEND_FAILED.format(role=rem.title, email=rem.email, reason=exc)))
    except (OSError, smtplib.SMTPException) as exc:
        return 2, out, [NO_CONNECTION.format(host=s.host, port=s.port, reason=exc)]
    return (1 if err else 0), out, err


def run_remind(result: Result, within: int, fmt: str, send: bool, folder: Path,
               environ: dict[str, str]) -> tuple[int, list[str], list[str]]:
    """(exit code, lines for stdout, lines for stderr). 1 when a reminder could not be sent
    (a role without address, a refused message); 2 when SMTP is not set up or unreachable."""
    site = site_url(result.root, environ)
    rems = reminders(result, within)
    missing = [visible(NO_ADDRESS.format(role=r.title)) for r in rems if not r.email]
    if send:
        settings = smtp_settings(environ)
        if isinstance(settings, str):
            return 2, [], [settings]
        messages = [(r, email_message(r, result, within, site, settings.sender)) for r in rems if r.email]
        code, out, err = _send(messages, settings) if messages else (0, [], [])
        return (max(code, 1) if missing and code != 2 else code), out, missing + err
    if fmt == "json":
        data: list[dict[str, Any]] = [{
            "role": r.role, "title": r.title, "holder": r.holder, "email": r.email,
            "overdue": [_doc_json(d, s, site) for d, s in r.overdue],
            "due_soon": [_doc_json(d, s, site) for d, s in r.due_soon],
        } for r in rems]
        return 0, [json.dumps({"today": result.today.isoformat(), "within": within, "reminders": data},
                              ensure_ascii=False, indent=2)], []
    if fmt == "eml":
        folder.mkdir(parents=True, exist_ok=True)
        sender = environ.get("HANDBOK_SMTP_FROM") or "handbok@localhost"
        for r in rems:
            (folder / f"{r.role}.eml").write_bytes(bytes(email_message(r, result, within, site, sender)))
        return 0, [visible(WROTE.format(count=len(rems), folder=folder))], missing
    if not rems:
        return 0, [NOTHING.format(days=within)], []
    out: list[str] = []
    for r in rems:
        head = (LISTED.format(role=r.title, email=r.email, count=r.count) if r.email
                else LISTED_NO_ADDRESS.format(role=r.title, count=r.count))
        out += [visible(head), *("  " + line for line in message_text(r, result, within, site).splitlines()), ""]
    return 0, out, missing


def _doc_json(doc: Document, state: ReviewState, site: str | None) -> dict[str, Any]:
    return {"id": doc.id, "title": doc.title, "path": doc.path, "review_date": state.due.isoformat() if state.due else None,
            "days_left": state.days_left, "url": document_url(site, doc)}
