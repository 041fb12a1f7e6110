"""The overview page "Lagar och föreskrifter": each act the documents cite, repealed acts
and changed chapters marked, and the documents to revise because of them.

Like the other overview pages it takes the core's Result and a `link` for documents and
knows nothing of MkDocs. The references are in tables, not in document lists, so that a
search for "12 kap. 4 §" finds this page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ..core import Result
from ..legal import Act, Register, load_register, parse_ref, resolve
from ..model import Document, Finding
from . import text as t
from .document import Link, status_badge
from .tables import table
from .text import e

__all__ = ["TITLE", "laws_page", "ref_anchor", "to_revise"]

TITLE = "Lagar och föreskrifter"
REVISE_CODES = {"repealed-law": "Upphävd lag", "ambiguous-law-ref": "Utan SFS-nummer",
                "law-changed": "Lagen ändrad efter beslutet"}


def to_revise(result: Result) -> dict[str, list[Finding]]:
    """Document path -> its findings that call for a revision because of the law (an error
    or a warning: a transitional rule or a change in an uncited chapter is no such call)."""
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        if f.code in REVISE_CODES and f.severity != "info":
            out[f.path].append(f)
    return dict(out)


def laws_page(result: Result, link: Link, register: Register | None = None) -> str:
    if register is None:
        register, _ = load_register(result.root, result.config.data_dir, result.config.max_file_kb)
    today = result.today
    cited: dict[str, list[tuple[Document, str]]] = defaultdict(list)
    ambiguous: list[tuple[Document, str]] = []
    unknown: list[tuple[Document, str]] = []
    for doc in sorted(result.documents, key=lambda d: ((d.id or "").lower(), d.path)):
        if not doc.readable:
            continue
        for text in dict.fromkeys(doc.legal_refs):
            acts = resolve(register, parse_ref(text), today)
            if not acts:
                unknown.append((doc, text))
            elif len(acts) > 1:
                ambiguous.append((doc, text))
            else:
                cited[acts[0].key].append((doc, text))
    revise = to_revise(result)
    by_path = {d.path: d for d in result.documents}
    out = [
        f'<p class="handbok-summary">{len(cited)} lagar och föreskrifter hänvisas till. '
        f"<strong>{len(revise)}</strong> dokument behöver ses över på grund av upphävd, "
        "tvetydig eller ändrad lag.</p>",
        "<p>Registret anger när varje lag trädde i kraft, när den upphävdes och vilka kapitel "
        "senare ändringar gäller. Förslag till nya paragrafer är vägledande, inte en officiell "
        "jämförelsetabell: kontrollera alltid lagtexten.</p>",
    ]
    if revise:
        rows = []
        for path in sorted(revise):
            doc = by_path[path]
            what = "; ".join(dict.fromkeys(REVISE_CODES[f.code] for f in revise[path]))
            refs = "; ".join(doc.legal_refs)
            rows.append(f"<tr><td>{_doc(doc, link)}</td><td>{e(refs)}</td><td>{e(what)}</td>"
                        f"<td>{status_badge(result.state(doc))}</td></tr>")
        out.append('<h2 id="att-revidera">Dokument att se över</h2>')
        out.append(_table(("Dokument", "Lagrum", "Orsak", "Status"), rows))
    acts = sorted((register.acts[key] for key in cited), key=lambda a: (a.repealed is None, a.label().lower()))
    for act in acts:
        out.append(_act_section(act, register, cited[act.key], result, link, revise))
    if ambiguous:
        out.append('<h2 id="utan-sfs-nummer">Hänvisningar utan SFS-nummer</h2>')
        out.append("<p>Lagen har funnits i två versioner med samma namn. Skriv ut SFS-numret.</p>")
        out.append(_refs_table(ambiguous, result, link))
    if unknown:
        out.append('<h2 id="okanda">Hänvisningar som inte finns i lagregistret</h2>')
        out.append(_refs_table(unknown, result, link))
    if not cited and not ambiguous and not unknown:
        out.append("<p>Inga dokument hänvisar till lagar eller föreskrifter.</p>")
    return "\n".join(out)


def _act_section(act: Act, register: Register, refs: list[tuple[Document, str]], result: Result,
                 link: Link, revise: dict[str, list[Finding]]) -> str:
    facts: list[str] = []
    if act.in_force:
        facts.append(f"I kraft sedan {e(t.sv_date(act.in_force))}.")
    if act.repealed:
        successor = register.successor(act)
        text = f"<strong>Upphävd {e(t.sv_date(act.repealed))}</strong>"
        if successor:
            text += f", ersatt av <a href=\"#{e(successor.key)}\">{e(successor.title)}</a>"
        facts.append(text + ".")
    if act.transitional:
        facts.append(f"Övergångsbestämmelser: {e(act.transitional)}")
    if act.note:
        facts.append(e(act.note))
    cited_chapters = {c for _, text in refs for c in parse_ref(text).chapters}
    changes = []
    for amendment in act.amendments:
        if amendment.in_force is None:
            continue
        touched = [c for c in amendment.chapters if c in cited_chapters]
        mark = (f' <strong class="handbok-law-changed">Ändrat kapitel som dokument hänvisar till: '
                f"{e(', '.join(c + ' kap.' for c in touched))}</strong>") if touched else ""
        changes.append(f"<li>{e(amendment.label())}{mark}</li>")
    section_class = "handbok-law handbok-law--repealed" if act.repealed else "handbok-law"
    html = [f'<section class="{section_class}" id="{e(act.key)}"><h2>{e(act.label())}</h2>']
    if act.label() != act.title:
        html.append(f"<p>{e(act.title)}</p>")
    if facts:
        html.append("<p>" + " ".join(facts) + "</p>")
    if changes:
        html.append(f"<p>Ändringar:</p><ul>{''.join(changes)}</ul>")
    rows = []
    for doc, text in refs:
        flag = "; ".join(dict.fromkeys(REVISE_CODES[f.code] for f in revise.get(doc.path, [])
                                       if f"'{text}'" in f.message))
        if not flag and any(f.code == "repealed-law" and f"'{text}'" in f.message
                            for f in result.findings_for(doc.path)):
            flag = "Nej, tillämpas enligt en övergångsbestämmelse"
        rows.append(f"<tr><td>{_doc(doc, link)}</td><td>{e(text)}</td><td>{e(flag)}</td>"
                    f"<td>{status_badge(result.state(doc))}</td></tr>")
    html.append(_table(("Dokument", "Lagrum", "Att se över", "Status"), rows))
    html.append("</section>")
    return "".join(html)


def _refs_table(refs: list[tuple[Document, str]], result: Result, link: Link) -> str:
    rows = [f"<tr><td>{_doc(doc, link)}</td><td>{e(text)}</td><td>{status_badge(result.state(doc))}</td></tr>"
            for doc, text in refs]
    return _table(("Dokument", "Lagrum", "Status"), rows)


def _doc(doc: Document, link: Link) -> str:
    return f'<a href="{e(link(doc))}">{e(doc.title or doc.id or doc.path)}</a> ({e(doc.id or "")})'


def _table(head: tuple[str, ...], rows: list[str]) -> str:
    return table(head, rows)


def ref_anchor(register: Register, text: str, today: dt.date) -> str:
    """The anchor on the laws page where a reference is listed: its act's section, or the
    section of references without SFS number or unknown to the register."""
    acts = resolve(register, parse_ref(text), today)
    if not acts:
        return "okanda"
    return "utan-sfs-nummer" if len(acts) > 1 else acts[0].key
