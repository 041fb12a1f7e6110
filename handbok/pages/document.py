"""One document's page: the information panel, banners, and the closing sections.

All metadata is escaped here (`e`: a value is always text, never markup). The body is
rendered by Markdown elsewhere and sanitised on its way out (`handbok.safety.sanitise`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from urllib.parse import quote, urlencode

import jinja2

from .. import messages as msg
from ..core import Result, unit_of
from ..model import Document, Finding, Organisation, ReviewState
from ..render import clean_body
from . import text as t
from .text import e

__all__ = ["Link", "banners", "closing", "computed_note", "editor_box", "editor_findings", "panel", "page_source",
           "reader_actions", "render_failed_notice", "repealed_on", "status_badge"]

Link = Callable[[Document], str]  # document -> URL relative to the page being built

def page_source(doc: Document) -> str:
    """The Markdown MkDocs renders for a document: a safe header and the safe body.

    The header only sets the title (escaped) and switches macros off, so that a
    routine is never rendered as a Jinja template, whatever its front matter says.
    """
    title = e(doc.title or doc.id or doc.path)
    header = f"---\ntitle: {json.dumps(title)}\nrender_macros: false\n---\n\n"
    return header + clean_body(doc.body)


def render_failed_notice(reason: str, detail: str) -> str:
    """What a reader sees instead of a text the renderer could not cope with."""
    return (
        f'<div class="admonition failure" role="note"><p class="admonition-title">{e(t.RENDER_FAILED_TITLE)}</p>'
        f"<p>{e(t.RENDER_FAILED_TEXT)}</p><p>{e(msg.render_failed(reason, detail))}</p></div>"
    )


_ACTIONS = jinja2.Environment(autoescape=True).from_string(
    '<p class="handbok-actions">'
    '<button type="button" class="md-button handbok-print-button" data-handbok-print hidden>{{ print }}</button>'
    '{% if target %} <a class="md-button" data-handbok-feedback href="{{ target }}">{{ feedback }}</a>{% endif %}'
    '</p><p class="handbok-print-footer" data-handbok-printed="{{ printed }}">{{ printed_now }}</p>')


def reader_actions(doc: Document, result: Result, address: str | None, feedback: str = "email",
                   repo_url: str | None = None) -> str:
    """'Skriv ut', 'Lämna synpunkt på dokumentet' and the footer of a printed page. The
    feedback link is an e-mail to the owner role (`feedback: email`) or a new issue at
    `repo_url` (`issues`), with the document's id, version and address filled in.
    `address` is the page's absolute address when the site's address is known; otherwise
    the page fills it in (handbok-print.js)."""
    name = doc.title or doc.id or doc.path
    fields = {"id": doc.id or "", "title": name, "version": doc.version or "–", "address": address or "{adress}"}
    subject, body = t.FEEDBACK_SUBJECT.format(**fields), t.FEEDBACK_BODY.format(**fields)
    role = (result.org.roles or {}).get(doc.owner or "")
    target = None
    if feedback == "issues" and repo_url and repo_url.startswith("https://"):
        gitlab = "gitlab" in repo_url.lower()
        keys = ("issue[title]", "issue[description]") if gitlab else ("title", "body")
        query = urlencode({keys[0]: subject, keys[1]: body}, quote_via=quote)
        target = f"{repo_url.rstrip('/')}/{'-/' if gitlab else ''}issues/new?{query}"
    elif feedback == "email" and role is not None and role.email and "@" in role.email:
        query = urlencode({"subject": subject, "body": body}, quote_via=quote)
        target = f"mailto:{quote(role.email.strip(), safe='@.+-_')}?{query}"
    printed = t.PRINTED.replace("{adress}", address) if address else t.PRINTED  # the page fills in the rest
    now = printed.replace("{datum}", t.sv_date(result.today)).replace("{adress}", "")
    return _ACTIONS.render(print=t.PRINT_BUTTON, target=target, feedback=t.FEEDBACK_LINK, printed=printed,
                           printed_now=now)


def computed_note(today: dt.date) -> str:
    """'Status beräknad 22 november 2026.': a static page does not turn red by itself."""
    return f'<p class="handbok-computed">{e(t.COMPUTED.format(date=t.sv_date(today)))}</p>'


def status_badge(state: ReviewState) -> str:
    label = t.STATUS_LABELS[state.status]
    return f'<span class="handbok-status handbok-status--{state.status}">{e(label)}</span>'


def _role(key: str | None, result: Result) -> str:
    """'Enhetschef försörjningsstöd (Anna Exempel)' for a role, a body's name, or the key."""
    if not key:
        return f"<em>{t.NOT_GIVEN}</em>"
    roles = result.org.roles or {}
    if key in roles:
        role = roles[key]
        holder = f" ({e(role.holder)})" if role.holder else ""
        return f"{e(role.title)}{holder}"
    return e(result.org.role_title(key))


def _decider(doc: Document, result: Result) -> str:
    """'Socialnämnden' or 'Förvaltningschef (Eva Beslut)': the role or body that decided, and
    a name only as the document records it. A role's holder today did not make a decision
    of 2015: changing a holder in organisation.yml must never re-attribute old decisions."""
    if not doc.decided_by:
        return f"<em>{t.NOT_GIVEN}</em>"
    title = e(result.org.role_title(doc.decided_by))
    return f"{title} ({e(doc.decided_by_name)})" if doc.decided_by_name else title


def repealed_on(doc: Document) -> tuple[dt.date | None, str | None]:
    """When a repealed document stopped applying: `repealed_date`, else the latest history
    line that says it was repealed or replaced (with that line's note); never a guess."""
    if doc.repealed_date:
        return doc.repealed_date, None
    told = [h for h in doc.history if h.date and any(w in h.note.lower() for w in t.REPEAL_WORDS)]
    if not told:
        return None, None
    last = max(told, key=lambda h: h.date or dt.date.min)
    return last.date, last.note


def _role_plain(key: str | None, result: Result) -> str:
    roles = result.org.roles or {}
    if key and key in roles:
        role = roles[key]
        return f"{role.title} ({role.holder})" if role.holder else role.title
    return result.org.role_title(key)


def banners(doc: Document, result: Result, link: Link, errors: list[Finding],
            notes: list[Finding] | None = None, law_link: Callable[[str], str] | None = None) -> str:
    """The banner(s) that apply: repealed law cited, errors, overdue, due soon, draft,
    repealed, unknown, and the warnings about the metadata (e.g. reviewed without moving
    the date). `law_link`: a legal reference -> its act on "Lagar och föreskrifter"."""
    state = result.state(doc)
    the = t.definite(doc.type)
    out: list[str] = []
    repealed_law = [f for f in errors if f.code == "repealed-law"]
    if repealed_law:  # what it means for the reader, not the general error banner
        out.append(_repealed_law_banner(doc, result, repealed_law, law_link))
    if len(repealed_law) < len(errors):  # one plain sentence; the findings themselves are in editor_box
        out.append(_admonition("failure", t.BANNER_TITLES["errors"], f"<p>{t.BANNERS['errors']}</p>"))
    if state.status == "overdue":
        body = t.BANNERS["overdue"].format(the=the, due=e(t.sv_date(state.due)))
        owner = t.BANNERS["overdue_owner"].format(owner=_role(doc.owner, result))
        out.append(_admonition("danger", t.BANNER_TITLES["overdue"],
                               f"<p>{body} {t.BANNERS['overdue_in_force']} {owner}</p>"))
    elif state.status == "due-soon" and state.days_left is not None:
        body = t.BANNERS["due-soon"].format(the=the, due=e(t.sv_date(state.due)),
                                            days=t.days_text(state.days_left))
        out.append(_admonition("warning", t.BANNER_TITLES["due-soon"], f"<p>{body}</p>"))
    elif state.status == "draft":
        out.append(_admonition("note", t.BANNER_TITLES["draft"], f"<p>{t.BANNERS['draft']}</p>"))
    elif state.status == "repealed":
        repealed, note = repealed_on(doc)
        body = (t.BANNERS["repealed_on"].format(the=the, date=e(t.sv_date(repealed))) if repealed
                else t.BANNERS["repealed"].format(the=the))
        if note:
            body += " " + t.BANNERS["repealed_note"].format(note=e(note.rstrip(".")))
        successors = _doc_links(doc.superseded_by, result, link)
        if successors:
            body += f" {t.BANNERS['repealed_successor']} {successors}."
        out.append(_admonition("danger", t.BANNER_TITLES["repealed"], f"<p>{body}</p>"))
    elif state.status == "unknown" and not errors:
        out.append(_admonition("warning", t.BANNER_TITLES["unknown"], f"<p>{t.BANNERS['unknown']}</p>"))
    transitional = [f for f in notes or [] if f.code == "repealed-law" and f.severity == "info"]
    if transitional:  # rightly applies repealed law: say so and why, nothing to correct
        out.append(_transitional_banner(doc, transitional, law_link))
    if any(f not in transitional for f in notes or []) and not errors:
        out.append(_admonition("warning", t.BANNER_TITLES["notes"], f"<p>{t.BANNERS['notes']}</p>"))
    return "\n".join(out)


def _repealed_law_banner(doc: Document, result: Result, found: list[Finding],
                         law_link: Callable[[str], str] | None) -> str:
    """'Hänvisar till upphävd lag': the references to repealed law, each linked to its act on
    the laws page, and whom to ask. The finding quotes the reference as written."""
    refs = [ref for ref in dict.fromkeys(doc.legal_refs) if any(f"'{ref}'" in f.message for f in found)]
    shown = _cited(doc, found, law_link)
    body = t.BANNERS["repealed_law"].format(the=t.definite(doc.type), refs=shown or e("; ".join(doc.legal_refs)),
                                            owner=_role(doc.owner, result))
    if law_link is not None and refs:
        laws = f'<a href="{e(law_link(refs[0]))}">{e(t.PAGE_TITLES["laws"])}</a>'
        body += " " + t.BANNERS["repealed_law_page"].format(laws=laws)
    return _admonition("failure", t.BANNER_TITLES["repealed_law"], f"<p>{body}</p>")


def _cited(doc: Document, found: list[Finding], law_link: Callable[[str], str] | None) -> str:
    """The references the findings quote (as written), each linked to the laws page."""
    refs = [ref for ref in dict.fromkeys(doc.legal_refs) if any(f"'{ref}'" in f.message for f in found)]
    return "; ".join(f'<a href="{e(law_link(ref))}">{e(ref)}</a>' if law_link else e(ref) for ref in refs)


def _transitional_banner(doc: Document, found: list[Finding], law_link: Callable[[str], str] | None) -> str:
    """'Äldre lag enligt övergångsbestämmelse': the repealed law the document rightly applies,
    and the reasons its `transitional_law` gives."""
    value = doc.raw.get("transitional_law")
    items = [value] if isinstance(value, dict) else value if isinstance(value, list) else []
    reasons = [i["reason"].strip() for i in items
               if isinstance(i, dict) and isinstance(i.get("reason"), str) and i["reason"].strip()]
    body = t.BANNERS["transitional_law"].format(the=t.definite(doc.type), refs=_cited(doc, found, law_link))
    if reasons:
        body += " " + " ".join(e(r if r.endswith(".") else r + ".") for r in reasons)
    return _admonition("info", t.BANNER_TITLES["transitional_law"], f"<p>{body}</p>")


def editor_findings(doc: Document, result: Result) -> tuple[list[Finding], list[Finding]]:
    """The errors, and the remarks (warnings but the overdue one, which the banner says, and
    a repealed law applied under a transitional rule), about one document."""
    found = result.findings_for(doc.path)
    errors = [f for f in found if f.severity == "error"]
    notes = [f for f in found if (f.severity == "warning" and f.code != "overdue")
             or f.code == "repealed-law"]
    return errors, notes


def editor_box(errors: list[Finding], notes: list[Finding]) -> str:
    """'För redaktören': the findings in the editors' words, folded away from readers."""
    if not errors and not notes:
        return ""
    items = "".join(
        f"<li>{e(t.EDITOR_LINE.format(line=f.line, message=f.message) if f.line else f.message)}</li>"
        for f in [*errors, *notes])
    return (f'<details class="note handbok-editor"><summary>{e(t.EDITOR_BOX)}</summary>'
            f"<ul>{items}</ul><p>{e(t.EDITOR_HELP)}</p></details>")


def _admonition(kind: str, title: str, body: str) -> str:
    return (
        f'<div class="admonition {kind} handbok-banner" role="note">'
        f'<p class="admonition-title">{e(title)}</p>{body}</div>'
    )


def _doc_links(ids: list[str], result: Result, link: Link) -> str:
    by_id = result.by_id()
    parts = []
    for doc_id in ids:
        target = by_id.get(doc_id)
        if target is None:
            parts.append(e(doc_id))
        else:
            parts.append(f'<a href="{e(link(target))}">{e(target.title or doc_id)} ({e(doc_id)})</a>')
    return ", ".join(parts)


def panel(doc: Document, result: Result, link: Link, edit_url: str | None = None,
          law_link: Callable[[str], str] | None = None) -> str:
    """The 'Dokumentinformation' panel."""
    state = result.state(doc)
    org = result.org
    doc_type = org.types.get(doc.type or "")
    names = t.PANEL_FIELDS
    rows: list[tuple[str, str]] = [
        (names["id"], e(doc.id) if doc.id else f"<em>{t.NOT_GIVEN}</em>"),
        (names["type"], e(doc_type.label if doc_type else doc.type or t.NOT_GIVEN)),
        (names["status"], e(t.DOC_STATUS_LABELS.get(doc.status, doc.status))),
    ]
    if doc.status == "active":  # a draft or a repealed document has no review status
        rows.append((names["review_status"], status_badge(state)))
    rows += [
        (names["decided_by"], _decider(doc, result)),
        (names["decision_date"], e(t.sv_date(doc.decision_date)) or f"<em>{t.NOT_GIVEN}</em>"),
        (names["decision_ref"], e(doc.decision_ref) if doc.decision_ref else f"<em>{t.NOT_GIVEN}</em>"),
        (names["owner"], _role(doc.owner, result)),
    ]
    unit = unit_of(doc, org)
    if unit:
        rows.append((names["unit"], e(org.unit_name(unit))))
    if doc.valid_from:
        rows.append((names["valid_from"], e(t.sv_date(doc.valid_from))))
    if doc.status == "repealed":  # no review date: when it was repealed, and by what
        repealed, _ = repealed_on(doc)
        rows.append((names["repealed_date"], e(t.sv_date(repealed)) or f"<em>{t.NOT_GIVEN}</em>"))
        if doc.superseded_by:
            rows.append((names["superseded_by"], _doc_links(doc.superseded_by, result, link)))
    else:
        rows.append((names["last_reviewed"], e(t.sv_date(doc.last_reviewed)) or "–"))
        rows.append((names["review_date"], e(t.sv_date(state.due)) or f"<em>{t.NOT_GIVEN}</em>"))
    rows.append((names["version"], e(doc.version) if doc.version else "–"))
    if doc.legal_refs and law_link is not None:  # each to its act on "Lagar och föreskrifter"
        rows.append((names["legal_refs"], "; ".join(
            f'<a href="{e(law_link(ref))}">{e(ref)}</a>' for ref in doc.legal_refs)))
    elif doc.legal_refs:
        rows.append((names["legal_refs"], e("; ".join(doc.legal_refs))))
    if doc.processes:
        rows.append((names["processes"], e(", ".join(process_name(p, org) for p in doc.processes))))
    if doc.requirements:
        reqs = org.requirements or {}
        shown = [f"{reqs[r].ref} {reqs[r].title}" if r in reqs else r for r in doc.requirements]
        rows.append((names["requirements"], e("; ".join(shown))))
    body = "".join(f"<dt>{e(label)}</dt><dd>{value}</dd>" for label, value in rows)
    # Not in the search index (the plugin adds it after indexing): the same labels on every page.
    return (
        f'<section class="handbok-panel" aria-labelledby="dokumentinformation">'
        f'<h2 id="dokumentinformation">{t.PANEL_TITLE}</h2><dl>{body}</dl>{computed_note(result.today)}</section>'
    )


def process_name(ref: str, org: Organisation) -> str:
    """The name of a process or step reference, else the reference itself."""
    processes = org.processes or {}
    if ref in processes:
        return processes[ref].name
    step_key = ref.rpartition("/")[2]
    for process in processes.values():
        for step in process.steps:
            if step.key == step_key:
                return step.name
    return ref


def closing(doc: Document, result: Result, link: Link) -> str:
    """Revision history, related documents and the documents that refer here."""
    out: list[str] = []
    if doc.history:
        rows = "".join(
            f"<tr><td>{e(t.sv_date(h.date))}</td><td>{e(h.version or '')}</td>"  # as the panel writes dates
            f"<td>{e(h.note)}</td></tr>"
            for h in sorted(doc.history, key=lambda h: h.date.toordinal() if h.date else 0, reverse=True)
        )
        head = "".join(f'<th scope="col">{c}</th>' for c in t.HISTORY_COLUMNS)
        out.append(
            f'<h2 id="revisionshistorik">{t.HISTORY_TITLE}</h2>'
            f'<table class="handbok-history"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        )
    related: list[str] = []
    if doc.supersedes:
        related.append(f"<li>{t.SUPERSEDES_LABEL}: {_doc_links(doc.supersedes, result, link)}</li>")
    if doc.superseded_by:
        related.append(f"<li>{t.SUPERSEDED_BY_LABEL}: {_doc_links(doc.superseded_by, result, link)}</li>")
    for doc_id in doc.related:
        related.append(f"<li>{_doc_links([doc_id], result, link)}</li>")
    if related:
        out.append(f'<h2 id="relaterade-dokument">{t.RELATED_TITLE}</h2><ul>{"".join(related)}</ul>')
    referrers = result.referrers().get(doc.id, []) if doc.id else []
    if referrers:
        items = "".join(
            f'<li><a href="{e(link(o))}">{e(o.title or o.id)} ({e(o.id)})</a> {status_badge(result.state(o))}</li>'
            for o in referrers
        )
        out.append(f'<h2 id="dokument-som-hanvisar-hit">{t.REFERRED_BY_TITLE}</h2><ul>{items}</ul>')
    return "\n".join(out)
