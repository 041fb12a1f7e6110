"""Site labels and Swedish dates: every word the site shows, in one place."""

from __future__ import annotations

import datetime as dt
from html import escape

__all__ = ["MONTHS", "STATUS_LABELS", "e", "month_label", "sv_date"]

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)

# Review status (aktuell, revideras snart ...) and a document's own status (gällande,
# utkast, upphävd) never share a word: "gällande" is only ever the document's status.
STATUS_LABELS = {
    "current": "Aktuell",
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
    "review_status": "Revisionsstatus",
    "decided_by": "Fastställd av",
    "decision_date": "Fastställd",
    "decision_ref": "Diarienummer",
    "owner": "Dokumentansvarig",
    "unit": "Enhet",
    "valid_from": "Gäller från",
    "last_reviewed": "Senast granskad",
    "review_date": "Revideras senast",
    "repealed_date": "Upphävd",
    "superseded_by": "Ersatt av",
    "version": "Version",
    "legal_refs": "Lagstöd",
    "processes": "Processteg",
    "requirements": "Uppfyller krav",
}
NOT_GIVEN = "Saknas"
RECENT = {
    "decisions": "Beslut och granskningar",
    "decisions_none": "Inga beslut eller granskningar registrerade.",
    "decisions_columns": ("Datum", "Dokument", "Vad som hände"),
    "files": "Ändringar i filerna",
    "files_note": ("Ändringar som versionshanteringen (git) har registrerat och som inte redan står "
                   "ovan. De visar att en fil har ändrats, inte att dokumentet har beslutats på nytt; "
                   "en ändring i många filer på en gång står på en rad."),
    "files_columns": ("Datum", "Ändring", "Dokument"),
    "version": "version {version}",
    "many": "{count} dokument",
}
HOME = "Startsida"
NOT_FOUND = {
    "title": "Sidan finns inte",
    "text": ("Adressen kan vara felskriven, eller så har dokumentet fått en ny plats. Sök på "
             "dokumentets titel eller id i sökrutan högst upp, eller leta i dokumentförteckningen."),
    "register": "Dokumentförteckningen",
    "home": "Startsidan",
}
RECORD_REVIEW = ("Har du granskat ett dokument utan att ändra det? Registrera granskningen med {command}, "
                 "eller sätt {field} till dagens datum och lägg till en rad i {history}. Det ändrar "
                 "revisionsdatumet; skrivguiden visar hur.")
REPEAL_WORDS = ("upphäv", "ersatt", "ersätts")  # a history line that tells when a document was repealed
PRINT_BUTTON = "Skriv ut"
PRINTED = "Utskriven {datum}. Kontrollera att du har gällande version: {adress}"
FEEDBACK_LINK = "Lämna synpunkt på dokumentet"
FEEDBACK_SUBJECT = "Synpunkt på {id} {title}"
FEEDBACK_BODY = ("Dokument: {id} {title}\nVersion: {version}\nAdress: {address}\n\n"
                 "Min synpunkt (skriv inga personuppgifter om enskilda):\n")
REDIRECT_TITLE = "{name}"
REDIRECT_TEXT = "Dokumentet finns här:"
EDITOR_BOX = "För redaktören"
EDITOR_LINE = "Rad {line}: {message}"
EDITOR_HELP = "Vad varje anmärkning betyder och hur den rättas står i skrivguiden."
COMPUTED = "Status beräknad {date}."
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

# The register's files at the site's root (handbok.pages.exports and the plugin write them):
# what each is for, so that a reader can pick one. They hold what the register shows.
EXPORTS = {
    "intro": "Förteckningen som fil, med samma dokument som tabellen nedan:",
    "files": (
        ("dokumentforteckning.xlsx", "Excel (dokumentforteckning.xlsx)",
         "förteckningen och tabellerna från rapporten om intern kontroll, att filtrera och skriva ut"),
        ("dokumentforteckning.csv", "CSV (dokumentforteckning.csv)",
         "förteckningen som text med semikolon, för Excel eller andra program"),
        ("handbok.json", "JSON (handbok.json)",
         "dokumenten, deras status och anmärkningarna, för andra system att läsa"),
    ),
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
    "internal": "Intern kontroll",
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
    "overdue_in_force": "Den gäller ändå och ska följas tills den har reviderats, ersatts eller upphävts.",
    "overdue_owner": "Dokumentansvarig: {owner}.",
    "due-soon": "{the} ska revideras senast {due} (om {days}).",
    "draft": "Detta är ett utkast. Det är inte fastställt och gäller inte ännu.",
    "repealed": "{the} är upphävd och gäller inte längre.",
    "repealed_on": "{the} upphävdes {date} och gäller inte längre.",
    "repealed_note": "({note}.)",
    "repealed_successor": "Den ersätts av",
    "unknown": "Revisionsdatum kan inte räknas fram: beslutsdatum eller dokumenttyp saknas.",
    "errors": ("Uppgifterna om dokumentet är ofullständiga eller felaktiga, till exempel vem som "
               "fastställt det eller när. Fråga dokumentansvarig om du är osäker på om det gäller."),
    "repealed_law": ("{the} hänvisar till lag som har upphävts och inte gäller längre: {refs}. "
                     "Bestämmelsen kan ha flyttats till en ny lag eller fått ett nytt nummer, och "
                     "innehållet kan ha ändrats. Fråga dokumentansvarig, {owner}, hur du ska göra "
                     "innan du går efter det som bygger på den hänvisningen."),
    "repealed_law_page": "Vad som har ersatt lagen står under {laws}.",
    "transitional_law": ("{the} hänvisar till lag som har upphävts: {refs}. Den gamla lagen gäller ändå "
                         "här, enligt en övergångsbestämmelse:"),
    "notes": ("Dokumentansvarig behöver se över uppgifterna om dokumentet. Följ det som det står "
              "tills det har ändrats."),
}
BANNER_TITLES = {
    "overdue": "Revisionsdatum passerat",
    "due-soon": "Revideras snart",
    "draft": "Utkast",
    "repealed": "Upphävd",
    "unknown": "Okänt revisionsdatum",
    "errors": "Fel i dokumentet",
    "repealed_law": "Hänvisar till upphävd lag",
    "transitional_law": "Äldre lag enligt övergångsbestämmelse",
    "notes": "Anmärkningar",
}

# The drawn process map (handbok.pages.processmap): a row of boxes per process, each box
# coloured and labelled by the step's state (handbok.figures.STEP_STATES).
PROCESS_MAP = {
    "states": {
        "gap": "Saknar gällande rutin",
        "overdue": STATUS_LABELS["overdue"],
        "due-soon": STATUS_LABELS["due-soon"],
        "unknown": STATUS_LABELS["unknown"],
        "current": STATUS_LABELS["current"],
    },
    "legend": "Färgernas betydelse",
    "title": "Processkarta: {process}",
    "desc": ("Processens steg i ordning, från vänster till höger och uppifrån och ned. Varje ruta "
             "länkar till stegets dokument i listan nedan."),
    "step": "Steg {number}",
    "step_link": "Steg {number} av {total}: {name}. {state}.",
    "caption": "{process}: {total} steg, varav {gaps} saknar gällande rutin",
    "caption_state": "{state}: {steps}.",
    "caption_current": "Aktuell: {count} steg.",
}
