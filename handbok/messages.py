"""Every user-facing text of the checks, in Swedish, in one place.

Each message says what is wrong and what to write instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .model import STATUSES

STATUS_CHOICES = {"draft": "utkast", "active": "gällande", "repealed": "upphävd"}
VISIBILITY_CHOICES = {"internal": "intern", "public": "publik"}

STATUS_LABELS = {
    "current": "gällande",
    "due-soon": "revideras snart",
    "overdue": "försenad",
    "draft": "utkast",
    "repealed": "upphävd",
    "unknown": "okänd",
}
assert set(STATUS_LABELS) == set(STATUSES)

SEVERITY_LABELS = {"error": "fel", "warning": "varning", "info": "info"}

FIELD_HINTS = {
    "id": "ett unikt id, t.ex. EB-RUT-004",
    "title": "en titel, t.ex. title: Anvisning till arbetsmarknadsenheten (eller en rubrik '# ...' först i texten)",
    "type": "en dokumenttyp, t.ex. type: rutin",
    "owner": "den roll som äger dokumentet (dokumentansvarig), t.ex. owner: enhetschef-forsorjningsstod",
    "decided_by": "den roll eller det organ som fastställt dokumentet, t.ex. decided_by: socialnamnden",
    "decision_date": "datum för beslutet, t.ex. 2025-03-01",
}

ENCODING = (
    "Filen är inte sparad som UTF-8 (kanske Windows-1252 från Word). "
    "Spara den som UTF-8 i din textredigerare och försök igen."
)
MISSING_FRONT_MATTER = (
    "Filen saknar metadata (front matter). Börja filen med en rad '---', "
    "fälten (id, title, type, owner, decided_by, decision_date ...) och en rad '---'."
)
FRONT_MATTER_NOT_CLOSED = (
    "Metadatan (front matter) avslutas aldrig: lägg till en rad med bara '---' efter sista fältet."
)
FRONT_MATTER_NOT_MAPPING = (
    "Metadatan ska vara fält på formen 'nyckel: värde', t.ex. 'id: EB-RUT-004'."
)
HISTORY_NOT_LIST = (
    "history ska vara en lista av poster, t.ex. "
    "'- {date: 2025-03-01, version: \"2.0\", note: Ny arbetsgång}'."
)
HISTORY_NOTE_MISSING = "En post i history saknar note: skriv kort vad som ändrades."
RENDER_MACROS = (
    "Ett styrdokument får inte köras som mall (render_macros/macros). "
    "Ta bort fältet: rutiner visas alltid som ren text."
)
RAW_HTML = (
    "Texten innehåller HTML. Den visas som text, inte som formatering: "
    "använd Markdown i stället (t.ex. **fet**, listor, tabeller)."
)
UNSAFE_LINK = (
    "Länken eller attributet skulle köra skript i läsarens webbläsare och tas bort på "
    "webbplatsen. Länka till en webbadress (https://…) eller till ett annat dokument i stället."
)
NO_SUCCESSOR = (
    "Dokumentet är upphävt men anger inget superseded_by: ange vilket dokument som ersätter det, "
    "om något gör det."
)
WARN_DAYS_INVALID = "warn_days för handbok ska vara ett heltal från 0 och uppåt, t.ex. 60."
DATA_NOT_MAPPING = "Filen ska bestå av nycklar och värden (nyckel: värde)."


def _date(value: dt.date) -> str:
    return value.isoformat()


def unreadable(reason: str) -> str:
    return f"Filen kan inte läsas: {reason}."


def yaml_syntax(problem: str) -> str:
    return f"Metadatan kan inte läsas: {problem}."


def data_yaml_syntax(problem: str) -> str:
    return f"Filen kan inte läsas: {problem}."


def duplicate_key(key: str) -> str:
    return f"Fältet {key} finns två gånger: behåll ett av dem."


def not_text(key: str) -> str:
    return f"Fältet {key} ska vara en text på en rad, inte en lista eller flera fält."


def not_list(key: str) -> str:
    return f"Fältet {key} ska vara en lista, t.ex. {key}: [första, andra]."


def not_list_item(key: str) -> str:
    return f"En post i {key} är tom eller inte en text: skriv en text per post."


def invalid_date(key: str, value: Any) -> str:
    shown = "" if value is None else str(value)
    hint = "t.ex. 2025-03-01"
    parts = shown.strip().replace("/", "-").replace(".", "-").split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        year, month, day = (int(p) for p in parts)
        try:
            hint = f"menade du {dt.date(year, month, day).isoformat()}?"
        except ValueError:
            hint = "datumet finns inte i kalendern"
    return f"{key}: '{shown}' är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD ({hint})."


def invalid_interval(value: Any) -> str:
    return (
        f"review_interval: '{value}' kan inte läsas. Skriv t.ex. '6 months', '1 year' eller '2 years'."
    )


def invalid_choice(key: str, value: str, choices: dict[str, str]) -> str:
    listed = ", ".join(f"{k} ({v})" for k, v in choices.items())
    return f"{key}: '{value}' är inget giltigt värde. Välj ett av: {listed}."


def unknown_history_key(key: str) -> str:
    return f"Okänt fält '{key}' i history: en post har date, version och note."


def missing_field(key: str) -> str:
    hint = FIELD_HINTS.get(key, "")
    return f"Fältet {key} saknas: ange {hint}." if hint else f"Fältet {key} saknas."


def invalid_id(value: str) -> str:
    return (
        f"id: '{value}' får bara innehålla bokstäver a–z, siffror, punkt, understreck och "
        "bindestreck, t.ex. EB-RUT-004."
    )


def unknown_key(key: str, guess: str | None) -> str:
    if guess:
        return f"Okänt fält '{key}': menade du {guess}?"
    return f"Okänt fält '{key}': det läses inte. Ta bort det eller se listan över fält i skrivguiden."


def unknown_type(value: str, guess: str | None) -> str:
    known = "policy, riktlinje, delegationsordning, processbeskrivning, rutin, instruktion, checklista, mall"
    hint = f"menade du {guess}?" if guess else f"välj en av: {known}"
    return f"Okänd dokumenttyp '{value}': {hint}."


_ROLE_WORDS = {"owner": "Dokumentansvarig (owner)", "decided_by": "Fastställd av (decided_by)"}


def unknown_owner(key: str, value: str, guess: str | None) -> str:
    hint = f"menade du {guess}?" if guess else "ange en roll ur data/organisation.yml"
    what = _ROLE_WORDS.get(key, key)
    extra = " eller ett organ" if key == "decided_by" else ""
    return f"{what}: '{value}' är ingen känd roll{extra} i data/organisation.yml: {hint}."


_REFERENCE_TARGETS = {
    "related": "inget dokument har id",
    "supersedes": "inget dokument har id",
    "superseded_by": "inget dokument har id",
    "processes": "ingen process eller inget processteg i data/processes.yml heter",
    "requirements": "inget krav i data/requirements.yml heter",
    "unit": "ingen enhet i data/organisation.yml heter",
    "audience": "ingen roll i data/organisation.yml heter",
}


def unknown_reference(key: str, value: str, guess: str | None) -> str:
    target = _REFERENCE_TARGETS.get(key, "inget heter")
    hint = f" Menade du {guess}?" if guess else ""
    return f"{key}: {target} '{value}'.{hint}"


def refers_to_itself(key: str) -> str:
    return f"{key}: dokumentet hänvisar till sig självt. Ta bort hänvisningen."


def duplicate_id(doc_id: str, others: str) -> str:
    return f"Id {doc_id} används också i {others}. Varje dokument behöver ett eget id."


def review_before_decision(review: dt.date, decision: dt.date) -> str:
    return (
        f"review_date ({_date(review)}) ligger före decision_date ({_date(decision)}). "
        "Ange ett revisionsdatum efter beslutet, eller ta bort review_date så räknas det fram."
    )


def stale_review_date(reviewed: dt.date, review: dt.date) -> str:
    return (
        f"Dokumentet granskades {_date(reviewed)} men review_date ({_date(review)}) flyttades inte. "
        "Ange nästa revisionsdatum i review_date, eller ta bort review_date så räknas det fram."
    )


def reviewed_before_decision(reviewed: dt.date, decision: dt.date) -> str:
    return (
        f"last_reviewed ({_date(reviewed)}) ligger före decision_date ({_date(decision)}): "
        "en granskning före beslutet räknas inte. Ta bort last_reviewed eller rätta datumet."
    )


def overdue(due: dt.date, days: int, explicit: bool = False) -> str:
    fix = (
        "Granska det: om inget ändras, sätt last_reviewed till dagens datum och flytta review_date "
        "till nästa revision (eller ta bort review_date så räknas det fram)."
        if explicit
        else "Granska det: om inget ändras, sätt last_reviewed till dagens datum."
    )
    return f"Dokumentet skulle ha reviderats senast {_date(due)} ({days} dagar sedan). {fix}"


def due_soon(due: dt.date, days: int) -> str:
    when = "i dag" if days == 0 else f"om {days} dagar"
    return f"Dokumentet ska revideras senast {_date(due)} ({when})."


def unknown_due(reason: str) -> str:
    return f"Revisionsdatum kan inte räknas fram: {reason}."


def process_gap(process: str, step: str, key: str) -> str:
    return (
        f"Processteget '{step}' ({key}) i processen {process} saknar gällande rutin. "
        f"Skriv en rutin och ange processes: [{key}] i den."
    )


def data_file_missing(rel: str) -> str:
    return f"Filen {rel} saknas. Den behövs för att kontrollera roller, enheter och processer."


def data_expected_mapping(where: str) -> str:
    return f"{where} ska bestå av nycklar och värden (nyckel: värde)."


def data_field_missing(where: str, key: str) -> str:
    return f"{where} saknar fältet {key}."


def data_not_text(where: str, key: str) -> str:
    return f"{where}: fältet {key} ska vara en text."


def data_unknown_key(key: str, allowed: tuple[str, ...]) -> str:
    return f"Okänd nyckel '{key}': filen har bara {', '.join(allowed)}."


def unknown_unit(key: str) -> str:
    return f"Enheten '{key}' finns inte under units."


def duplicate_step(key: str) -> str:
    return f"Processteget {key} finns redan (som steg eller process): ge det ett eget namn."
