"""The generated overview pages, as HTML: register, review plan, owners,
process map, SOSFS 2011:9 coverage, recently changed.

Each function takes the core's Result and a `link` for documents; none knows
MkDocs, so tests can check these pages without building a site.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from .. import figures
from ..calendars import SUBSCRIBE, SUBSCRIBE_HELP
from ..core import Result, unit_of
from ..gitlog import Commit
from ..model import Document
from ..review import add_months
from ..validate import covered_steps
from . import processmap
from . import text as t
from .document import Link, status_badge
from .laws import to_revise
from .tables import table
from .text import e

__all__ = [
    "document_table",
    "review_summary",
    "owner_page",
    "owners_index",
    "process_map",
    "recent_changes",
    "register",
    "requirements_page",
    "review_plan",
]

_STATUS_ORDER = {"overdue": 0, "due-soon": 1, "unknown": 2, "current": 3, "draft": 4, "repealed": 5}


def _doc_link(doc: Document, link: Link) -> str:
    return f'<a href="{e(link(doc))}">{e(doc.title or doc.id or doc.path)}</a>'


def _sorted(docs: Iterable[Document]) -> list[Document]:
    return sorted(docs, key=lambda d: ((d.id or "").lower(), d.path))


def _table(head: tuple[str, ...], rows: list[str], cls: str, attrs: str = "") -> str:
    return table(head, rows, cls, attrs)  # each cell labelled, for the stacked layout on a phone


def register(result: Result, link: Link, exports: Callable[[str], str] | None = None) -> str:
    """Every document, filterable by unit, type, status and owner (see handbok.js); with
    `exports` (a file at the site's root -> its URL from this page), links to the register
    as files."""
    org = result.org
    docs = _sorted(result.documents)
    rows: list[str] = []
    units: dict[str, str] = {}
    types: dict[str, str] = {}
    owners: dict[str, str] = {}
    for doc in docs:
        state = result.state(doc)
        unit = unit_of(doc, org) or ""
        unit_name = org.unit_name(unit) if unit else ""
        doc_type = org.types.get(doc.type or "")
        type_label = doc_type.label if doc_type else (doc.type or "")
        owner = org.role_title(doc.owner) if doc.owner else ""
        if unit:
            units[unit] = unit_name
        if doc.type:
            types[doc.type] = type_label
        if doc.owner:
            owners[doc.owner] = owner
        due = state.due.isoformat() if state.due else ""
        rows.append(
            f'<tr data-unit="{e(unit)}" data-type="{e(doc.type or "")}" data-status="{state.status}"'
            f' data-owner="{e(doc.owner or "")}">'
            f"<td>{e(doc.id or '')}</td><td>{_doc_link(doc, link)}</td><td>{e(type_label)}</td>"
            f"<td>{e(unit_name)}</td><td>{e(owner)}</td>"
            f'<td data-sort="{_STATUS_ORDER[state.status]}">{status_badge(state)}</td>'
            f'<td data-sort="{e(due)}">{e(t.sv_date(state.due))}</td></tr>'
        )
    statuses = {s: t.STATUS_LABELS[s] for s in _STATUS_ORDER if any(
        result.state(d).status == s for d in docs)}
    filters = "".join([
        _text_filter(),
        _select("unit", units),
        _select("type", types),
        _select("status", statuses),
        _select("owner", owners),
    ])
    count = t.FILTER_LABELS["count"].format(shown=len(docs), total=len(docs))
    return (
        (_export_links(exports) if exports else "")
        + f'<form class="handbok-filters" data-handbok-filters role="search" '
        f'aria-label="{e(t.FILTER_LABELS["text"])}">{filters}</form>\n'
        f'<p class="handbok-count" data-handbok-count aria-live="polite">{e(count)}</p>\n'
        + _table(t.REGISTER_COLUMNS, rows, "handbok-register", " data-handbok-register")
    )


def _export_links(url: Callable[[str], str]) -> str:
    """'Förteckningen som fil': the workbook, the CSV and handbok.json, each with what it is for."""
    items = "".join(f'<li><a href="{e(url(name))}">{e(label)}</a>: {e(what)}</li>'
                    for name, label, what in t.EXPORTS["files"])
    return f'<div class="handbok-exports"><p>{e(t.EXPORTS["intro"])}</p><ul>{items}</ul></div>\n'


def _text_filter() -> str:
    return (
        '<div class="handbok-filter"><label for="handbok-filter-text">'
        f'{e(t.FILTER_LABELS["text"])}</label>'
        '<input type="search" id="handbok-filter-text" data-filter="text" autocomplete="off"></div>'
    )


def _select(key: str, options: dict[str, str]) -> str:
    opts = "".join(
        f'<option value="{e(k)}">{e(v)}</option>'
        for k, v in sorted(options.items(), key=lambda kv: kv[1].lower())
    )
    return (
        f'<div class="handbok-filter"><label for="handbok-filter-{key}">{e(t.FILTER_LABELS[key])}</label>'
        f'<select id="handbok-filter-{key}" data-filter="{key}">'
        f'<option value="">{e(t.FILTER_LABELS["all"])}</option>{opts}</select></div>'
    )


def document_table(docs: list[Document], result: Result, link: Link, owner: bool = True) -> str:
    rows = []
    for doc in docs:
        state = result.state(doc)
        cells = [e(doc.id or ""), _doc_link(doc, link)]
        if owner:
            cells.append(e(result.org.role_title(doc.owner)))
        cells += [status_badge(state), e(t.sv_date(state.due))]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = ("Id", "Titel", "Dokumentansvarig", "Status", "Revideras senast") if owner else (
        "Id", "Titel", "Status", "Revideras senast")
    return _table(head, rows, "handbok-list")


def review_plan(result: Result, link: Link, months: int = 12) -> str:
    """Overdue first, then what falls due in each of the coming months."""
    active = [d for d in result.documents if result.state(d).status not in ("draft", "repealed")]
    by_due = sorted(active, key=lambda d: (result.state(d).due or dt.date.max, d.id or ""))
    overdue = [d for d in by_due if result.state(d).status == "overdue"]
    unknown = [d for d in by_due if result.state(d).due is None]
    out: list[str] = [_record_review(result)]
    out.append(f'<h2 id="passerat">Revisionsdatum passerat ({len(overdue)})</h2>')
    out.append(document_table(overdue, result, link) if overdue else "<p>Inga dokument har passerat sitt revisionsdatum.</p>")
    revise = to_revise(result)
    law = [d for d in by_due if d.path in revise]  # cites repealed, ambiguous or changed law
    if law:
        out.append(f'<h2 id="lagandring">Ses över på grund av lag ({len(law)})</h2>')
        out.append(document_table(law, result, link))
    today = result.today
    end = add_months(today.replace(day=1), months)  # None: the year ahead reaches past 9999
    buckets: dict[tuple[int, int], list[Document]] = defaultdict(list)
    for doc in by_due:
        due = result.state(doc).due
        if due is not None and today <= due and (end is None or due < end):
            buckets[(due.year, due.month)].append(doc)
    out.append('<h2 id="kommande">Kommande revisioner</h2>')
    month: dt.date | None = today.replace(day=1)
    while month is not None and (end is None or month < end):  # stops at the calendar's end
        docs = buckets.get((month.year, month.month), [])
        label = t.month_label(month.year, month.month)
        out.append(f'<h3 id="m-{month.year}-{month.month:02d}">{e(label)} ({len(docs)})</h3>')
        out.append(document_table(docs, result, link) if docs else "<p>Inga dokument.</p>")
        month = add_months(month, 1)
    later = [d for d in by_due if end is not None and (due := result.state(d).due) is not None and due >= end]
    out.append(f'<h2 id="senare">Senare ({len(later)})</h2>')
    if later:
        out.append(document_table(later, result, link))
    if unknown:
        out.append(f'<h2 id="okant">Okänt revisionsdatum ({len(unknown)})</h2>')
        out.append(document_table(unknown, result, link))
    return "\n".join(out)


def owners_index(result: Result, owner_url: Callable[[str], str]) -> str:
    """Every owner role with its number of documents and what needs doing."""
    counts: dict[str, list[Document]] = defaultdict(list)
    for doc in result.documents:
        if doc.owner:
            counts[doc.owner].append(doc)
    rows = []
    for key, docs in sorted(counts.items(), key=lambda kv: kv[0]):
        title = result.org.role_title(key)
        overdue = sum(result.state(d).status == "overdue" for d in docs)
        soon = sum(result.state(d).status == "due-soon" for d in docs)
        role = (result.org.roles or {}).get(key)
        holder = role.holder if role and role.holder else ""
        rows.append(
            f'<tr><td><a href="{e(owner_url(key))}">{e(title)}</a></td><td>{e(holder)}</td>'
            f"<td>{len(docs)}</td><td>{overdue}</td><td>{soon}</td></tr>"
        )
    return _table(("Roll", "Innehavare", "Dokument", "Passerat revisionsdatum", "Revideras snart"),
                  rows, "handbok-list")


def owner_page(result: Result, owner: str, link: Link, calendar: str | None = None) -> str:
    """'Mina dokument': one owner role's documents, what to review next first; with
    `calendar`, a link to subscribe to the role's review calendar."""
    role = (result.org.roles or {}).get(owner)
    docs = [d for d in result.documents if d.owner == owner]
    out: list[str] = []
    if role:
        who = [f"<strong>{e(role.title)}</strong>"]
        if role.holder:
            who.append(e(role.holder))
        if role.email:
            who.append(f'<a href="mailto:{e(role.email)}">{e(role.email)}</a>')
        if role.unit:
            who.append(e(result.org.unit_name(role.unit)))
        out.append(f"<p>{' · '.join(who)}</p>")
    todo = sorted(
        (d for d in docs if result.state(d).status in ("overdue", "due-soon", "unknown")),
        key=lambda d: (result.state(d).due or dt.date.min, d.id or ""),
    )
    if calendar:
        out.append(f'<p class="handbok-calendar"><a href="{e(calendar)}">{e(SUBSCRIBE)}</a> '
                   f"{e(SUBSCRIBE_HELP)}</p>")
    out.append(_record_review(result))
    out.append(f'<h2 id="att-granska">Att granska härnäst ({len(todo)})</h2>')
    out.append(document_table(todo, result, link, owner=False) if todo else "<p>Inget att granska just nu.</p>")
    rest = sorted(docs, key=lambda d: (_STATUS_ORDER[result.state(d).status], d.id or ""))
    out.append(f'<h2 id="alla">Alla dokument ({len(rest)})</h2>')
    out.append(document_table(rest, result, link, owner=False))
    return "\n".join(out)


def _record_review(result: Result) -> str:
    """How to record a review that changed nothing, for the pages that list what to review;
    not on the public site, whose readers are not its editors (and have no guide)."""
    if result.public:
        return ""
    return '<p class="handbok-howto">' + t.RECORD_REVIEW.format(
        command="<code>handbok review ID</code>", field="<code>last_reviewed</code>",
        history="<code>history</code>") + "</p>"


def process_map(result: Result, link: Link) -> str:
    """Each process, its steps and their documents; steps lacking a routine marked. Above each
    list, the process drawn as a row of its steps (handbok.pages.processmap)."""
    org = result.org
    covered = covered_steps(result.documents, org)
    states = figures.step_states(result.documents, result.states, org)
    direct: dict[str, list[Document]] = defaultdict(list)
    for doc in result.documents:
        for ref in doc.processes:
            if ref in (org.processes or {}):
                direct[ref].append(doc)
    out: list[str] = []
    gaps = len(figures.step_gaps(result.documents, org))
    out.append(
        f'<p class="handbok-summary">{len(covered)} processteg, varav <strong>{gaps}</strong> '
        "saknar gällande rutin. Enligt SOSFS 2011:9 4 kap. ska varje aktivitet i en process "
        "ha de rutiner som behövs för att säkra kvaliteten.</p>"
    )
    if covered:
        out.append(processmap.legend())
    for index, process in enumerate((org.processes or {}).values(), 1):
        out.append(f'<h2 id="{e(process.key)}">{e(process.name)}</h2>')
        if process.description:
            out.append(f"<p>{e(process.description)}</p>")
        out.append(processmap.process_figure(process, states, index))
        if direct.get(process.key):
            items = ", ".join(_doc_link(d, link) for d in _sorted(direct[process.key]))
            out.append(f"<p>Gäller hela processen: {items}</p>")
        items = []
        for step in process.steps:
            docs = _sorted(covered[(process.key, step.key)])
            active = [d for d in docs if d.status == "active"]
            desc = f'<p class="handbok-step-desc">{e(step.description)}</p>' if step.description else ""
            if docs:
                listed = "".join(f"<li>{_doc_link(d, link)} {status_badge(result.state(d))}</li>" for d in docs)
                docs_html = f'<ul class="handbok-doclist">{listed}</ul>'
            else:
                docs_html = ""
            gap = "" if active else (
                '<p class="handbok-gap"><strong>Saknar gällande rutin.</strong> '
                "Arbetet i detta steg beror på enskilda medarbetare tills en rutin är fastställd.</p>"
            )
            cls = "handbok-step handbok-step--gap" if not active else "handbok-step"
            items.append(
                f'<li class="{cls}" id="{e(process.key)}-{e(step.key)}">'
                f"<strong>{e(step.name)}</strong>{desc}{gap}{docs_html}</li>"
            )
        out.append(f'<ol class="handbok-steps">{"".join(items)}</ol>')
    return "\n".join(out)


def requirements_page(result: Result, link: Link) -> str:
    """Each requirement of SOSFS 2011:9 and the documents that fulfil it."""
    reqs = result.org.requirements or {}
    fulfilled: dict[str, list[Document]] = defaultdict(list)
    for doc in result.documents:
        for ref in doc.requirements:
            fulfilled[ref].append(doc)
    gaps = len(figures.requirement_gaps(result.documents, result.org))
    out = [
        f'<p class="handbok-summary">{len(reqs)} krav, varav <strong>{gaps}</strong> saknar '
        "gällande styrdokument.</p>"
    ]
    source = None
    for key, req in reqs.items():
        if req.source != source:
            source = req.source
            out.append(f"<h2>{e(source)}</h2>")
        docs = _sorted(fulfilled.get(key, []))
        active = [d for d in docs if d.status == "active"]
        listed = "".join(f"<li>{_doc_link(d, link)} {status_badge(result.state(d))}</li>" for d in docs)
        gap = "" if active else '<p class="handbok-gap"><strong>Inget gällande dokument uppfyller kravet.</strong></p>'
        summary = f"<p>{e(req.summary)}</p>" if req.summary else ""
        anchor = key.replace("/", "-")
        cls = "handbok-req handbok-req--gap" if not active else "handbok-req"
        out.append(
            f'<section class="{cls}" id="{e(anchor)}"><h3>{e(req.ref)} {e(req.title)}</h3>{summary}{gap}'
            + (f'<ul class="handbok-doclist">{listed}</ul>' if listed else "")
            + "</section>"
        )
    return "\n".join(out)


def recent_changes(result: Result, commits: dict[str, Commit], link: Link, limit: int = 50,
                   bulk: int = 5) -> str:
    """The documents' own history (decisions and reviews) first; then the git changes that
    add something (not on a day the document's history already tells), grouped by commit,
    a commit that touches more than `bulk` documents as one line. No committer names."""
    r = t.RECENT
    told: set[tuple[str, dt.date]] = set()
    events: list[tuple[dt.date, Document, str]] = []
    for doc in result.documents:
        for entry in doc.history:
            if entry.date:
                version = f" ({r['version'].format(version=entry.version)})" if entry.version else ""
                events.append((entry.date, doc, entry.note + version))
                told.add((doc.path, entry.date))
    events.sort(key=lambda ev: (ev[0], ev[1].id or ""), reverse=True)
    out = [f'<h2 id="beslut-och-granskningar">{e(r["decisions"])}</h2>']
    rows = [f"<tr><td>{e(t.sv_date(date))}</td><td>{_doc_link(doc, link)}</td><td>{e(note)}</td></tr>"
            for date, doc, note in events[:limit]]
    out.append(_table(r["decisions_columns"], rows, "handbok-list") if rows
               else f"<p>{e(r['decisions_none'])}</p>")
    groups: dict[tuple[dt.date, str, str], list[Document]] = defaultdict(list)
    for doc in result.documents:
        commit = commits.get(doc.path)
        if commit and (doc.path, commit.date) not in told:
            groups[(commit.date, commit.author, commit.subject)].append(doc)
    if groups:
        ordered = sorted(groups.items(), key=lambda item: item[0][0], reverse=True)[:limit]
        rows = []
        for (date, _, subject), docs in ordered:
            listed = (e(r["many"].format(count=len(docs))) if len(docs) > bulk
                      else ", ".join(_doc_link(d, link) for d in _sorted(docs)))
            rows.append(f"<tr><td>{e(t.sv_date(date))}</td><td>{e(subject)}</td><td>{listed}</td></tr>")
        out += [f'<h2 id="andringar-i-filerna">{e(r["files"])}</h2>', f"<p>{e(r['files_note'])}</p>",
                _table(r["files_columns"], rows, "handbok-list")]
    return "\n".join(out)


def review_summary(result: Result) -> str:
    """One Swedish sentence on the review situation, for the start page."""
    s = result.summary()
    active = len(figures.in_force(result.documents))

    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    parts = [
        f"Handboken har {n(active, 'gällande dokument', 'gällande dokument')}.",
        f"{n(s['overdue'], 'dokument har', 'dokument har')} passerat revisionsdatum"
        f" och {s['due-soon']} ska revideras inom {result.config.warn_days} dagar.",
    ]
    if s["errors"]:
        parts.append(f"{n(s['errors'], 'fel', 'fel')} i metadatan behöver rättas.")
    return " ".join(parts)
