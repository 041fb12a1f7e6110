"""Site labels and Swedish dates: every word the site shows, in one place."""

from __future__ import annotations

import datetime as dt
from html import escape

__all__ = ["MONTHS", "STATUS_LABELS", "e", "month_label", "sv_date"]

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)

STATUS_LABELS = {
    "current": "Gällande",
    "due-soon": "Revideras snart",
    "overdue": "Revisionsdatum passerat",
    "draft": "Utkast",
    "repealed": "Upphävd",
    "unknown": "Okänt revisionsdatum",
}

DOC_STATUS_LABELS = {"active": "Gällande", "draft": "Utkast", "repealed": "Upphävd"}

PANEL_TITLE = "Dokumentinformation"
PANEL_FIELDS = {
    "id": "Dokument-id",
    "type": "Dokumenttyp",
    "status": "Status",
    "decided_by": "Fastställd av",
    "decision_date": "Fastställd",
    "decision_ref": "Diarienummer",
    "owner": "Dokumentansvarig",
    "unit": "Enhet",
    "valid_from": "Gäller från",
    "last_reviewed": "Senast granskad",
    "review_date": "Revideras senast",
    "version": "Version",
    "legal_refs": "Lagstöd",
    "processes": "Processteg",
    "requirements": "Uppfyller krav",
}
NOT_GIVEN = "Saknas"
RENDER_FAILED_TITLE = "Dokumentet kunde inte visas"
RENDER_FAILED_TEXT = (
    "Texten i det här dokumentet kunde inte göras om till en webbsida. Kontakta "
    "dokumentansvarig. För den som redigerar dokumentet:"
)
EDIT_SOURCE = "Källfil"

HISTORY_TITLE = "Revisionshistorik"
HISTORY_COLUMNS = ("Datum", "Version", "Ändring")
RELATED_TITLE = "Relaterade dokument"
REFERRED_BY_TITLE = "Dokument som hänvisar hit"
SUPERSEDES_LABEL = "Ersätter"
SUPERSEDED_BY_LABEL = "Ersatt av"

REGISTER_COLUMNS = ("Id", "Titel", "Typ", "Enhet", "Dokumentansvarig", "Status", "Revideras senast")
FILTER_LABELS = {
    "text": "Sök i förteckningen",
    "unit": "Enhet",
    "type": "Dokumenttyp",
    "status": "Status",
    "owner": "Dokumentansvarig",
    "all": "Alla",
    "count": "Visar {shown} av {total} dokument",
}

NAV_SECTION = "Översikter"
PAGE_TITLES = {
    "register": "Dokumentförteckning",
    "plan": "Revisionsplan",
    "owners": "Dokumentansvariga",
    "processes": "Processkarta",
    "requirements": "SOSFS 2011:9",
    "recent": "Senast ändrade",
    "laws": "Lagar och föreskrifter",
}


def e(value: object) -> str:
    """Escape any value for HTML text and attributes."""
    return escape("" if value is None else str(value), quote=True)


def sv_date(value: dt.date | None) -> str:
    """2026-03-01 -> '1 mars 2026'."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1].capitalize()} {year}"


def days_text(days: int) -> str:
    return "1 dag" if abs(days) == 1 else f"{abs(days)} dagar"

# "Rutinen skulle ha reviderats ...": the type in definite form.
DEFINITE = {
    "policy": "Policyn",
    "riktlinje": "Riktlinjen",
    "delegationsordning": "Delegationsordningen",
    "processbeskrivning": "Processbeskrivningen",
    "rutin": "Rutinen",
    "instruktion": "Instruktionen",
    "checklista": "Checklistan",
    "mall": "Mallen",
}


def definite(doc_type: str | None) -> str:
    return DEFINITE.get(doc_type or "", "Dokumentet")


BANNERS = {
    "overdue": "{the} skulle ha reviderats senast {due}.",
    "overdue_owner": "Dokumentansvarig: {owner}.",
    "due-soon": "{the} ska revideras senast {due} (om {days}).",
    "draft": "Detta är ett utkast. Det är inte fastställt och gäller inte ännu.",
    "repealed": "{the} är upphävd och gäller inte längre.",
    "repealed_successor": "Den ersätts av",
    "unknown": "Revisionsdatum kan inte räknas fram: beslutsdatum eller dokumenttyp saknas.",
    "errors": "Dokumentets metadata innehåller fel. Uppgifterna nedan kan vara ofullständiga:",
}
BANNER_TITLES = {
    "overdue": "Revisionsdatum passerat",
    "due-soon": "Revideras snart",
    "draft": "Utkast",
    "repealed": "Upphävd",
    "unknown": "Okänt revisionsdatum",
    "errors": "Fel i dokumentet",
    "notes": "Anmärkningar",
}
