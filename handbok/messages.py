"""Every user-facing text of the checks, in Swedish, in one place.

Each message says what is wrong and what to write instead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .model import STATUSES

# What must not reach a terminal or a CI log as it is: C0 and C1 control characters
# (escape sequences can hide lines, move the cursor or fake a "✓"; a line break can fake
# a line), DEL, the Unicode line and paragraph separators, bidirectional overrides
# (which reorder what is shown), and lone surrogates from file names that are not UTF-8.
_INVISIBLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def visible(text: str) -> str:
    """Text for people: every control character written out (`\\x1b`, `\\n`, `\\u202e`)."""
    if not _INVISIBLE_RE.search(text):
        return text
    return _INVISIBLE_RE.sub(_written_out, text)


def _written_out(match: re.Match[str]) -> str:
    code = ord(match[0])
    named = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}.get(code)
    if named:
        return named
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


STATUS_CHOICES = {"draft": "utkast", "active": "gällande", "repealed": "upphävd"}
VISIBILITY_CHOICES = {"internal": "intern", "public": "publik"}

STATUS_LABELS = {  # review status; a document's own status is STATUS_CHOICES
    "current": "aktuell",
    "due-soon": "revideras snart",
    "overdue": "försenad",
    "draft": "utkast",
    "repealed": "upphävd",
    "unknown": "okänt revisionsdatum",
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
def raw_html(removed: list[str]) -> str:
    shown = ", ".join(removed[:6]) + (" …" if len(removed) > 6 else "")
    return (
        f"Texten innehåller HTML som webbplatsen inte visar ({shown}): det tas bort från sidan. "
        "Använd Markdown i stället (t.ex. **fet**, listor, tabeller, !!! note)."
    )


def unsafe_link(removed: list[str]) -> str:
    shown = ", ".join(removed[:6]) + (" …" if len(removed) > 6 else "")
    return (
        f"Länken eller attributet skulle köra skript i läsarens webbläsare och tas bort på "
        f"webbplatsen ({shown}). Länka till en webbadress (https://…) eller till ett annat "
        "dokument i stället."
    )


_RENDER_REASONS = {
    "depth": "listor, citat eller betoningar är nästlade i för många nivåer",
    "timeout": "det tog mer än {detail} att göra om texten till en webbsida "
               "(t.ex. tusentals [ eller * i följd)",
    "error": "Markdown-tolken stötte på ett fel ({detail})",
}


def render_failed(reason: str, detail: str) -> str:
    if reason == "timeout":
        detail = "1 sekund" if detail == "1" else f"{detail} sekunder"
    why = _RENDER_REASONS.get(reason, _RENDER_REASONS["error"]).format(detail=detail)
    return (
        f"Texten kan inte visas på webbplatsen: {why}. Sidan visar ett meddelande i stället för "
        "texten. Förenkla texten (färre nivåer, färre tecken i följd) och kontrollera igen."
    )


def control_character(char: str) -> str:
    return (
        f"Texten innehåller ett osynligt styrtecken ({char.encode('unicode_escape').decode('ascii')}), "
        "t.ex. från en kopierad text. Det tas bort på webbplatsen: ta bort det i filen."
    )


NO_SUCCESSOR = (
    "Dokumentet är upphävt men anger inget superseded_by: ange vilket dokument som ersätter det, "
    "om något gör det."
)
RENDER_TIMEOUT_INVALID = "render_timeout för handbok ska vara ett antal sekunder större än 0, t.ex. 5."
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


def _key(key: str) -> str:
    """A key as shown in a message: a hostile one is cut, not repeated whole."""
    return key if len(key) <= 64 else key[:63] + "…"


def duplicate_key(key: str) -> str:
    return f"Fältet {_key(key)} finns två gånger: behåll ett av dem."


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
            return (f"{key}: '{shown}' är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD. "
                    f"Menade du {dt.date(year, month, day).isoformat()}?")
        except ValueError:
            hint = "datumet finns inte i kalendern"
    return f"{key}: '{shown}' är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD ({hint})."


def invalid_interval(value: Any) -> str:
    return (
        f"review_interval: '{value}' kan inte läsas. Skriv t.ex. '6 månader', '1 år' eller '2 år' "
        "(eller '6 months', '1 year', '2 years')."
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
        return f"Okänt fält '{_key(key)}': menade du {guess}?"
    return f"Okänt fält '{_key(key)}': det läses inte. Ta bort det eller se listan över fält i skrivguiden."


def unknown_type(value: str, guess: str | None) -> str:
    known = "policy, riktlinje, delegationsordning, processbeskrivning, rutin, instruktion, checklista, mall"
    hint = f"menade du {guess}?" if guess else f"välj en av: {known}."
    return f"Okänd dokumenttyp '{value}': {hint}"


_ROLE_WORDS = {"owner": "Dokumentansvarig (owner)", "decided_by": "Fastställd av (decided_by)"}


def unknown_owner(key: str, value: str, guess: str | None) -> str:
    hint = f"menade du {guess}?" if guess else "ange en roll ur data/organisation.yml."
    what = _ROLE_WORDS.get(key, key)
    extra = " eller ett organ" if key == "decided_by" else ""
    return f"{what}: '{value}' är ingen känd roll{extra} i data/organisation.yml: {hint}"


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


# Dates, limits and references (safety)

_DATE_WORDS = {"decision_date": "beslutsdatum", "last_reviewed": "granskningsdatum"}


def due_out_of_range(key: str, value: dt.date) -> str:
    what = _DATE_WORDS.get(key, "datum")
    return (
        f"{key}: {_date(value)} ligger så långt fram att revisionsdatumet hamnar efter år 9999 "
        f"och inte kan räknas fram. Skriv det verkliga {what}et, t.ex. 2025-03-01."
    )


def value_too_long(key: str, length: int, limit: int, cut: bool) -> str:
    kept = (f"Bara de första {limit} tecknen visas." if cut
            else "Värdet används inte förrän det är rättat.")
    return f"Fältet {key} är {length} tecken långt, men får vara högst {limit} tecken. Korta texten. {kept}"


def list_too_long(key: str, count: int, limit: int) -> str:
    return (
        f"Fältet {key} har {count} poster, men får ha högst {limit}. Ta bort poster. "
        f"Bara de första {limit} används."
    )


def item_too_long(key: str, length: int, limit: int) -> str:
    return (
        f"En post i {key} är {length} tecken lång, men får vara högst {limit} tecken. "
        "Korta den. Posten används inte förrän den är rättad."
    )


def id_case_collision(doc_id: str, others: str) -> str:
    return (
        f"Id {doc_id} skiljer sig bara i stora och små bokstäver från {others}. I webbadresser och i "
        "läsarnas ögon är det samma id: ge ett av dokumenten ett eget id."
    )


def supersede_cycle(ring: list[str]) -> str:
    shown = " → ".join(ring)
    return (
        f"supersedes/superseded_by bildar en ring ({shown}, där → betyder 'ersätts av'): dokumenten "
        "ersätter varandra, så det går inte att se vilket som gäller. Ta bort den hänvisning "
        "(supersedes eller superseded_by) som pekar åt fel håll."
    )


def successor_draft(successor: str, named_here: bool) -> str:
    fix = (
        f"Ta bort {successor} ur superseded_by tills det är fastställt, eller fastställ {successor} "
        "(status: active och decision_date)."
        if named_here
        else f"Fastställ {successor} (status: active och decision_date), eller låt detta dokument "
        f"gälla (status: active) tills {successor} är fastställt."
    )
    return f"Dokumentet som ska ersätta detta, {successor}, är ett utkast. {fix}"


def superseded_but_active(successors: list[str]) -> str:
    listed = ", ".join(successors)
    return (
        f"Dokumentet ersätts av {listed} men har fortfarande status active (gällande). "
        "Sätt status: repealed, eller ta bort hänvisningen om dokumentet "
        "fortfarande gäller."
    )


def unit_cycle(chain: list[str]) -> str:
    ring = " → ".join(chain)
    return (
        f"Enheten {chain[0]} ligger under sig själv ({ring}): en enhet kan inte vara sin egen "
        f"överordnade. Ändra parent för {chain[0]} till rätt överordnad enhet, eller ta bort parent."
    )


# Files and paths (safety)

def outside_root(target: str, link: bool = True) -> str:
    if not link:
        return f"Filen ligger utanför handboken ({target}) och läses inte. Lägg den i handboken."
    return (
        f"Länken pekar på {target} utanför handboken och läses inte. Lägg filen i handboken i "
        "stället för att länka till den."
    )


def folder_outside_root(option: str, folder: str, link_target: str | None = None) -> str:
    link = f" (en länk till {link_target})" if link_target else ""
    return (
        f"{option}: {folder}{link} ligger utanför handboken och läses inte. Lägg mappen i handbokens "
        f"mapp (den med mkdocs.yml) och ange den relativt den, t.ex. {option}: "
        f"{'routines' if option == 'routines_dir' else 'data'}."
    )


def symlink_loop(target: str, ancestor: bool) -> str:
    if ancestor:
        return (
            f"Länken pekar tillbaka på mappen {target} som den själv ligger i (en slinga) och "
            "följs inte. Ta bort länken."
        )
    return (
        f"Länken pekar på mappen {target} som redan läses in och följs inte: dokumenten skulle "
        "annars finnas två gånger. Ta bort länken."
    )


SYMLINK_CHAIN_LOOP = (
    "Länken pekar till slut på sig själv (en slinga av länkar) och kan inte följas. Rätta "
    "länkens mål eller ta bort den."
)


def dangling_link(target: str) -> str:
    return f"Länken pekar på {target}, som inte finns. Rätta länkens mål eller ta bort länken."


_FILE_KINDS = {
    "fifo": "en namngiven pipe (FIFO)",
    "char": "en enhetsfil",
    "block": "en enhetsfil",
    "socket": "en socket",
    "dir": "en mapp",
}


def not_a_file(kind: str) -> str:
    what = _FILE_KINDS.get(kind, "ingen vanlig fil")
    return (
        f"Det här är {what}, inte en vanlig fil, och läses inte. Ta bort den och lägg en vanlig "
        "Markdown-fil på dess plats."
    )


def file_too_large(limit_kb: int) -> str:
    return (
        f"Filen är större än {limit_kb} kB och läses inte. Dela upp den eller ta bort inklistrade "
        f"bilder; behövs större filer, höj gränsen med max_file_kb i mkdocs.yml (nu {limit_kb})."
    )


def skipped_file(suffix: str) -> str:
    return (
        f"Filen slutar på {suffix} och läses inte: bara filer som slutar på .md (små bokstäver) "
        "är styrdokument. Byt ändelsen till .md."
    )


FILE_NAME_NOT_UTF8 = (
    "Filnamnet är inte skrivet i UTF-8 (kanske från ett gammalt zip-arkiv eller en Windows-"
    "disk; tecken som inte kan läsas visas som \\x..), så filen läses inte. Byt namn på filen "
    "och skriv om å, ä och ö."
)


def path_collision(other: str, address: str, same_case: bool) -> str:
    case = "" if same_case else " (stora och små bokstäver räknas som samma på många webbservrar)"
    return (
        f"Dokumentet får samma adress på webbplatsen ({address}) som {other}{case}. Byt namn på "
        "en av filerna."
    )


_EMPTY_HINTS = {
    "organisation.yml": "enheterna (units), organen (bodies) och rollerna (roles), t.ex. "
                        "roles: {forvaltningschef: {title: Förvaltningschef}}",
    "processes.yml": "processerna och deras steg, t.ex. ekonomiskt-bistand: {name: Ekonomiskt "
                     "bistånd, steps: {ansokan: {name: Ansökan}}}",
}


def data_file_empty(rel: str) -> str:
    hint = _EMPTY_HINTS.get(rel.rsplit("/", 1)[-1], "nycklar och värden")
    return f"Filen {rel} är tom, så inget i den kan kontrolleras. Skriv in {hint}."


MAX_FILE_KB_INVALID = (
    "max_file_kb ska vara ett heltal större än 0 (största fil som läses, i kilobyte), "
    "t.ex. max_file_kb: 2048."
)


def docs_outside_root(name: str) -> str:
    return (
        f"handbok: {name} pekar på en fil utanför handboken och publiceras inte. Lägg filen i "
        "handboken i stället för att länka till den."
    )


def docs_not_a_file(name: str) -> str:
    return f"handbok: {name} är ingen vanlig fil och publiceras inte. Ersätt den med en vanlig fil."


def docs_file_name(name: str) -> str:
    return (
        f"handbok: filnamnet {name} är inte skrivet i UTF-8 och filen publiceras inte. Byt namn "
        "på filen."
    )


def collision_skipped(path: str, other: str, url: str) -> str:
    return (
        f"handbok: {path} publiceras inte: den ger samma sida ({url}) som {other}. Byt namn på "
        "en av filerna."
    )


# Legal references and personnummer

LEGAL_EXAMPLE = "SoL (2025:400) 12 kap. 1 §"
TRANSITIONAL_EXAMPLE = (
    'transitional_law: [{act: "SoL (2001:453)", reason: "Återkrav av bistånd som beviljats '
    'före 2025-07-01"}]'
)


def _likely(suggestions: list[str]) -> str:
    return " eller ".join(suggestions)


def repealed_law(ref: str, act: str, repealed: dt.date, successor: str | None,
                 suggestions: list[str]) -> str:
    text = f"Lagrummet '{ref}' hänvisar till {act}, som upphävdes {repealed.isoformat()}"
    text += f" och ersattes av {successor}." if successor else "."
    if suggestions:
        text += f" Skriv i stället troligen {_likely(suggestions)} — kontrollera."
    elif successor:
        text += f" Skriv i stället motsvarande bestämmelse i {successor}."
    return text + (
        " Tillämpar dokumentet med rätta den gamla lagen enligt en övergångsbestämmelse, "
        f"ange det: {TRANSITIONAL_EXAMPLE}."
    )


def repealed_law_transitional(ref: str, act: str, repealed: dt.date, reason: str) -> str:
    return (
        f"Lagrummet '{ref}' hänvisar till {act}, som upphävdes {repealed.isoformat()}. "
        f"Dokumentet tillämpar den enligt en övergångsbestämmelse: {reason}"
    )


def ambiguous_law_ref(ref: str, acts: list[str], example: str, suggestions: list[str]) -> str:
    text = (
        f"Lagrummet '{ref}' anger inte vilken lag som avses: {' och '.join(acts)} har samma "
        f"namn, och samma kapitel och paragraf har olika innehåll i dem. Skriv ut SFS-numret: "
        f"'{example}' om den nya lagen avses."
    )
    if suggestions:
        text += f" Avsågs den gamla lagen, skriv troligen {_likely(suggestions)} — kontrollera."
    return text


def law_changed(ref: str, act: str, since: dt.date, changes: list[str], chapters: list[str]) -> str:
    where = f" i {', '.join(c + ' kap.' for c in chapters)}, som dokumentet hänvisar till," if chapters else ""
    return (
        f"Lagrummet '{ref}': {act} har ändrats{where} efter dokumentets beslut eller senaste "
        f"granskning ({since.isoformat()}), genom {'; '.join(changes)}. Kontrollera om ändringen "
        "påverkar dokumentet; revidera det, eller sätt last_reviewed till dagens datum om inget "
        "behöver ändras."
    )


def unknown_law(ref: str, number: str | None, has_act: bool) -> str:
    if not has_act:
        return (
            f"Lagrummet '{ref}' anger ingen lag. Skriv lagens förkortning eller namn och "
            f"SFS-nummer, t.ex. '{LEGAL_EXAMPLE}'."
        )
    what = f"Numret {number}" if number else "Lagen"
    return (
        f"Lagrummet '{ref}' kan inte kontrolleras: {what} finns inte i lagregistret. Kontrollera "
        f"stavningen (t.ex. '{LEGAL_EXAMPLE}'), eller lägg till lagen i data/legal-register.yml."
    )


TRANSITIONAL_NOT_LIST = (
    "transitional_law ska vara en lista med den upphävda lagen och skälet, t.ex. "
    f"{TRANSITIONAL_EXAMPLE}."
)


def transitional_unknown_act(act: str) -> str:
    return (
        f"transitional_law nämner '{act}', som inte finns i lagregistret. Skriv lagen som i "
        "legal_refs, t.ex. act: \"SoL (2001:453)\"."
    )


def legal_register_invalid(where: str, problem: str) -> str:
    return f"Lagregistret: {where}: {problem}. Rätta värdet i data/legal-register.yml."


def personnummer(masked: str, coordination: bool, phone_like: bool = False) -> str:
    kind = "ett samordningsnummer" if coordination else "ett personnummer"
    phone = (" Är det ett telefonnummer, skriv det med bindestreck och mellanrum, som "
             "070-123 45 67." if phone_like else "")
    return (
        f"Raden innehåller {kind} ({masked}). Ett verkligt nummer får inte stå i handboken: "
        "ta bort det eller skriv ett påhittat exempel som ÅÅMMDD-XXXX. Är det "
        f"ett känt testnummer, lägg det i data/personnummer-allow.yml.{phone}"
    )


PERSONNUMMER_ALLOW_LIST = (
    "data/personnummer-allow.yml ska vara en lista med tillåtna testnummer, t.ex. "
    'allow: ["19121212-1212"].'
)


# Commands: init, new, review (and the formats gitlab and markdown they set up in CI)

MARKDOWN_TITLE = "Kvalitetshandboken: kontroll {today}"
MARKDOWN_PASSED = "**Godkänd** (--fail-on {fail_on})."
MARKDOWN_FAILED = "**Underkänd**: {count} problem stoppar ändringen (--fail-on {fail_on})."
MARKDOWN_NEVER = "Kontrollen stoppar aldrig (--fail-on never)."
MARKDOWN_HEADER = "| Dokument | Status | Revideras senast | Att göra |"
MARKDOWN_NOTHING = "Inga dokument behöver åtgärdas."
MARKDOWN_NO_OWNER = "Utan dokumentansvarig"
MARKDOWN_OTHER_FILES = "Data och övriga filer"
MARKDOWN_MORE = "… och {count} rader till. Kör `handbok check` för hela listan."



# Status words and the check summary (issue 9). A document's own status (utkast,
# gällande, upphävd: STATUS_CHOICES) and its review status (aktuell, revideras snart,
# försenad, okänt revisionsdatum) never share a word.

STATUS_COUNT_WORDS: dict[str, tuple[str, str]] = {  # status -> (one document, several)
    "current": ("aktuellt", "aktuella"),
    "due-soon": ("revideras snart", "revideras snart"),
    "overdue": ("försenat", "försenade"),
    "draft": ("utkast", "utkast"),
    "repealed": ("upphävt", "upphävda"),
    "unknown": ("med okänt revisionsdatum", "med okänt revisionsdatum"),
}
SEVERITY_COUNT_WORDS: dict[str, tuple[str, str]] = {
    "error": ("fel", "fel"), "warning": ("varning", "varningar"), "info": ("info", "info"),
}
FAILING_COUNT_WORDS: dict[str, tuple[str, str]] = {  # what fails the gate
    "error": ("fel", "fel"),
    "overdue": ("försenat dokument", "försenade dokument"),
    "due-soon": ("dokument som revideras snart", "dokument som revideras snart"),
    "changed-without-decision": ("ändring utan beslut", "ändringar utan beslut"),
}


def counted(count: int, words: tuple[str, str]) -> str:
    """'1 varning', '3 varningar'."""
    return f"{count} {words[0] if count == 1 else words[1]}"


def listed(parts: list[str]) -> str:
    """'a', 'a och b', 'a, b och c'."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} och {parts[-1]}"


def summary_documents(summary: dict[str, int]) -> str:
    """'41 dokument: 34 aktuella, 2 revideras snart, 3 försenade, 1 utkast, 1 upphävt.'"""
    parts = [counted(summary[s], STATUS_COUNT_WORDS[s]) for s in STATUS_COUNT_WORDS
             if summary[s] or s in ("current", "overdue")]
    return f"{summary['documents']} dokument: {', '.join(parts)}."


def summary_findings(summary: dict[str, int], overdue_warnings: int) -> str:
    """'0 fel, 6 varningar (varav 3 försenade dokument).'"""
    text = (f"{counted(summary['errors'], SEVERITY_COUNT_WORDS['error'])}, "
            f"{counted(summary['warnings'], SEVERITY_COUNT_WORDS['warning'])}")
    if overdue_warnings:
        text += f" (varav {counted(overdue_warnings, FAILING_COUNT_WORDS['overdue'])})"
    return text + "."


def gate_failed(counts: dict[str, int], fail_on: str) -> str:
    parts = [counted(n, FAILING_COUNT_WORDS[k]) for k, n in counts.items() if n]
    marked = "markerat" if sum(counts.values()) == 1 else "markerade"
    return f"Kontrollen underkänd (--fail-on {fail_on}): {listed(parts)}, {marked} med ✗."


def gate_passed(fail_on: str) -> str:
    return f"Kontrollen godkänd (--fail-on {fail_on})."


GATE_NEVER = "Kontrollen stoppar aldrig bygget (--fail-on never)."
CHECKED_ON = "Datum: {today}"
NO_FOLDER = "Mappen {path} finns inte."

# A field written in Swedish gets "menade du ...?" with the English key the tool reads.
SWEDISH_KEYS = {
    "ägare": "owner", "dokumentansvarig": "owner", "ansvarig": "owner", "titel": "title", "rubrik": "title",
    "typ": "type", "dokumenttyp": "type", "fastställd_av": "decided_by", "beslutad_av": "decided_by",
    "beslutsfattare": "decided_by", "fastställd": "decision_date", "beslutsdatum": "decision_date",
    "diarienummer": "decision_ref", "dnr": "decision_ref", "gäller_från": "valid_from",
    "revideras_senast": "review_date", "revisionsdatum": "review_date", "revisionsintervall": "review_interval",
    "senast_granskad": "last_reviewed", "granskad": "last_reviewed", "historik": "history",
    "ersätter": "supersedes", "ersatt_av": "superseded_by", "relaterade": "related", "enhet": "unit",
    "processer": "processes", "processteg": "processes", "krav": "requirements", "lagstöd": "legal_refs",
    "lagrum": "legal_refs", "målgrupp": "audience", "synlighet": "visibility", "taggar": "tags",
    "nyckelord": "tags", "upphävd": "repealed_date", "upphävd_datum": "repealed_date",
}
NO_ROUTINES = "Mappen {routines}/ finns inte i {path}. Är det en handboks rotmapp (den med mkdocs.yml)?"


# One source, two sites: the public build (issue 11, item 6)

_REFERENCE_WORDS = {"related": "som relaterat dokument (related)", "supersedes": "som det ersätter (supersedes)",
                    "superseded_by": "som det ersätts av (superseded_by)"}


def public_relates_internal(key: str, target: str, draft: bool = False) -> str:
    if draft:
        return (
            f"Dokumentet är publikt men anger {target} {_REFERENCE_WORDS[key]}, som är ett utkast. "
            "Ett utkast publiceras inte förrän det har fastställts, så på den publika webbplatsen "
            "tas hänvisningen bort till dess. Vänta med hänvisningen tills utkastet har fastställts "
            "(status: active), eller ta bort den."
        )
    return (
        f"Dokumentet är publikt men anger {target} {_REFERENCE_WORDS[key]}, som är internt. "
        "På den publika webbplatsen tas hänvisningen bort. Gör dokumentet publikt "
        "(visibility: public) om det får publiceras, annars ta bort hänvisningen."
    )


def public_links_internal(href: str, target: str, draft: bool = False) -> str:
    if draft:
        return (
            f"Dokumentet är publikt men länkar till {href} ({target}), som är ett utkast. Ett "
            "utkast publiceras inte förrän det har fastställts, så på den publika webbplatsen "
            "visas länken som vanlig text till dess. Vänta med länken tills utkastet har "
            "fastställts (status: active), eller ta bort den."
        )
    return (
        f"Dokumentet är publikt men länkar till {href} ({target}), som är internt. På den "
        "publika webbplatsen visas länken som vanlig text. Gör dokumentet publikt "
        "(visibility: public) om det får publiceras, annars ta bort länken."
    )


PUBLIC_DRAFT = (
    "Dokumentet är publikt men ett utkast. Det publiceras inte på den publika webbplatsen "
    "förrän det har fastställts och status är active; på den interna webbplatsen visas det "
    "som utkast."
)


def visibility_env_invalid(value: str) -> str:
    return f"HANDBOK_VISIBILITY är '{value}'. Skriv public (den publika webbplatsen) eller internal."


# Links and attachments (handbok.attachments)

_LINK_EXAMPLE = "t.ex. [Blankett](blankett.pdf) för en fil i samma mapp som dokumentet"


def broken_link_document(href: str, target: str) -> str:
    return (
        f"Länken {href} leder till dokumentet {target}, som inte finns i handboken. Skriv "
        "sökvägen till dokumentets .md-fil relativt till den här filen, t.ex. "
        "../arbetsmarknad/anvisning.md, eller ta bort länken."
    )


def broken_link_missing(href: str, target: str) -> str:
    return (
        f"Länken {href} leder till {target}, som inte finns. Lägg filen bredvid dokumentet och "
        f"skriv sökvägen relativt till den här filen, {_LINK_EXAMPLE}, eller ta bort länken."
    )


def broken_link_outside(href: str, path: str) -> str:
    return (
        f"Länken {href} leder ut ur handbokens mapp, och inget där publiceras. Lägg filen "
        f"bredvid {path} och länka till den med filnamnet, {_LINK_EXAMPLE}."
    )


def broken_link_outside_link(href: str, target: str) -> str:
    return (
        f"Länken {href} leder till {target}, som är en länk till något utanför handboken och "
        "inte publiceras. Lägg själva filen bredvid dokumentet i stället för en länk till den."
    )


def broken_link_hidden(href: str, target: str) -> str:
    return (
        f"Länken {href} leder till {target}, en dold fil (namnet på filen eller en mapp börjar "
        "med punkt) som inte publiceras. Byt namn så att det inte börjar med punkt och rätta länken."
    )


def broken_link_not_a_file(href: str, target: str) -> str:
    return (
        f"Länken {href} leder till {target}, som inte är en vanlig fil (en mapp?) och inte "
        f"publiceras. Länka till en fil, {_LINK_EXAMPLE}, eller till ett dokuments .md-fil."
    )


def broken_link_type(href: str, target: str, suffix: str, allowed: tuple[str, ...]) -> str:
    kind = f"filtypen .{suffix}" if suffix else "en fil utan filändelse"
    return (
        f"Länken {href} leder till {target}, men {kind} publiceras inte. Bilagor publiceras som "
        f"{', '.join(allowed)}. Spara filen i ett av de formaten (t.ex. som PDF) och länka dit, "
        "eller länka till ett dokuments .md-fil."
    )


def broken_link_too_large(target: str, limit_mb: int) -> str:
    return (
        f"Bilagan {target} är större än {limit_mb} MB och publiceras inte. Gör filen mindre "
        "(t.ex. spara PDF:en med lägre bildupplösning) eller dela upp den."
    )


def broken_link_unreadable(href: str, target: str, reason: str) -> str:
    return f"Länken {href} leder till {target}, som inte kan läsas och inte publiceras: {reason}"


def broken_link_unsafe_svg(target: str, risk: str) -> str:
    return (
        f"SVG-bilden {target} innehåller {risk} och publiceras inte: en SVG-fil som öppnas på "
        "webbplatsen kan köra skript där. Spara bilden som en ren ritning utan skript, "
        "händelseattribut (onclick, onload …) och hänvisningar till andra filer eller "
        "adresser, eller spara den som PNG."
    )


SVG_NOT_UTF8 = "en teckenkodning som inte är UTF-8"
SVG_ENTITY = "en egen definition (<!ENTITY>)"
SVG_HANDLER = "ett händelseattribut (on…=)"
SVG_SCRIPT_URL = "en skriptadress (javascript:)"
SVG_REFERENCE = "en hänvisning till en annan fil eller adress"


def svg_element(name: str) -> str:
    return f"elementet <{name}>"


def svg_reference(value: str) -> str:
    return f"en hänvisning till {visible(value)!r}" if value else SVG_REFERENCE
