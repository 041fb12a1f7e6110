"""Every Swedish word of the internal-control report, in one place."""

from __future__ import annotations

__all__ = ["EVENT_LABELS", "HEADINGS", "METHODS", "TITLE"]

TITLE = "Intern kontroll av styrdokument"
PAGE_TITLE = "Intern kontroll"
AS_OF = "Per den {day}"
SCOPE_ALL = "Hela handboken"
SCOPE_UNIT = "{unit} med underliggande enheter"
PERIOD = "Perioden {start} – {end}"
INTRO = (
    "Rapporten visar läget för handbokens styrdokument: hur många som gäller, hur många som har "
    "beslut och revideras i tid, vad som saknas och om det blir bättre. Den är gjord för nämndens "
    "uppföljning av ledningssystemet enligt SOSFS 2011:9 (3 kap. planera, leda, kontrollera, "
    "följa upp, utvärdera och förbättra). Under varje siffra står hur den är räknad."
)
CONTENTS = "Innehåll"
PAGE = "Sida"
PAGE_OF = "av"

HEADINGS = {
    "key": "Nyckeltal",
    "by_type": "Gällande dokument per dokumenttyp",
    "by_unit": "Gällande dokument per enhet",
    "overdue": "Dokument med passerat revisionsdatum",
    "unmoved": "Granskningar som inte flyttade revisionsdatumet",
    "drafts": "Gamla utkast",
    "step_gaps": "Processteg utan gällande rutin",
    "requirement_gaps": "Krav utan gällande styrdokument",
    "events_summary": "Det här hände under perioden",
    "events": "Händelser, de senaste först",
    "trend": "Utvecklingen månad för månad",
    "trend_overdue": "Andel gällande dokument med passerat revisionsdatum",
    "trend_gaps": "Antal luckor (processteg och krav utan gällande dokument)",
}

KEY_LABELS = {
    "in_force": "Gällande dokument",
    "decision_record": "Andel med fullständigt beslut",
    "reviewed_in_time": "Andel reviderade i tid",
    "overdue": "Passerat revisionsdatum",
    "unmoved": "Granskningar utan nytt revisionsdatum",
    "drafts": "Utkast äldre än {months} månader",
    "step_gaps": "Processteg utan gällande rutin",
    "requirement_gaps": "Krav utan gällande styrdokument",
}

METHODS = {
    "in_force": "Dokument med status gällande, alltså inte utkast eller upphävda; enheten är dokumentets egen, annars den dokumentansvariga rollens.",
    "decision_record": "Andelen gällande dokument där beslutsfattare (decided_by), beslutsdatum (decision_date) och diarienummer (decision_ref) alla är ifyllda.",
    "reviewed_in_time": "Andelen gällande dokument med känt revisionsdatum vars revisionsdatum inte hade passerats den {day}.",
    "overdue": "Gällande dokument vars revisionsdatum (angivet, annars senaste beslut eller granskning plus dokumenttypens intervall) har passerats, äldst först.",
    "unmoved": "Gällande dokument som har granskats (last_reviewed) men vars revisionsdatum ändå ligger på eller före granskningsdagen.",
    "drafts": "Utkast vars tidigaste datum i historiken eller beslutsdatum ligger mer än {months} månader före den {day}.",
    "step_gaps": "Processteg i processkartan som inget gällande dokument i hela handboken anger under processes.",
    "requirement_gaps": "Krav i SOSFS 2011:9 och handbokens egna krav som inget gällande dokument i hela handboken anger under requirements.",
    "events": "Varje händelse under perioden med datum och dokument, räknad på samma sätt som antalen ovan.",
    "events_summary": "Från dokumentens beslutsdatum, revisionshistorik och senaste granskning; tillagda och upphävda dokument genom att jämföra med handboken i git vid periodens början.",
    "trend": "Handboken som den var i git vid sista incheckningen före varje månadsslut, bedömd med dagens organisation och dokumenttyper: andelen gällande dokument med passerat revisionsdatum och antalet luckor.",
}

EVENT_LABELS = {
    "decided": "Beslutat",
    "revised": "Reviderat",
    "reviewed": "Granskat utan ändringar",
    "repealed": "Upphävt",
    "added": "Tillagt",
}

COLUMNS = {
    "type": "Dokumenttyp",
    "unit": "Enhet",
    "count": "Antal",
    "id": "Id",
    "title": "Titel",
    "owner": "Dokumentansvarig",
    "due": "Revideras senast",
    "days_past": "Dagar sedan",
    "last_reviewed": "Senast granskad",
    "since": "Utkast sedan",
    "process": "Process",
    "step": "Processteg",
    "requirement": "Krav",
    "source": "Föreskrift",
    "date": "Datum",
    "event": "Händelse",
    "document": "Dokument",
    "note": "Anteckning",
    "month": "Månadsslut",
    "share": "Andel passerat",
    "overdue": "Passerat",
    "in_force": "Gällande",
    "gaps": "Luckor",
    "commit": "Incheckning",
    "figure": "Nyckeltal",
    "value": "Värde",
    "method": "Så har vi räknat",
}

NONE = "Inga."
LIMITED = "Visar de {shown} senaste av {total}. Alla finns i Excel-filen (handbok report --format xlsx, och dokumentforteckning.xlsx på webbplatsen)."
NO_EVENTS = "Inget registrerat under perioden."
NO_TREND = "Ingen git-historik finns för perioden, så utvecklingen kan inte visas."
NO_BEFORE = "Git-historiken börjar efter periodens början, så tillagda och upphävda dokument kan inte räknas fram."
SHARE = "{percent} % ({count} av {total})"
SHARE_NONE = "– (inga dokument)"
CHART_DESC = "Diagram över {what}. Samma siffror står i tabellen bredvid."
UNKNOWN_UNIT = "Okänd enhet '{unit}'. Enheter i data/organisation.yml: {known}."

ANCHORS = {
    "by_type": "per-dokumenttyp",
    "by_unit": "per-enhet",
    "overdue": "passerat-revisionsdatum",
    "unmoved": "granskning-utan-nytt-datum",
    "drafts": "gamla-utkast",
    "step_gaps": "processteg-utan-rutin",
    "requirement_gaps": "krav-utan-styrdokument",
    "events_summary": "perioden",
    "events": "handelser",
    "trend": "utvecklingen",
}

# The command's own messages (handbok report).
WROTE = "Rapporten är skriven till {path}."
NOT_WRITTEN = "{path} kan inte skrivas: {reason}"
BINARY_TO_TERMINAL = "Formatet {fmt} skrivs inte till terminalen: ange en fil med -o, t.ex. -o {name}."
FROM_AFTER_TODAY = "--from ({start}) ligger efter rapportdagen ({today})."
