"""The whole check of a handbook: files -> documents -> findings and statuses.

Both doors (the command line and the MkDocs plugin) call `check_handbook`.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal

from . import figures
from . import messages as msg
from .attachments import check_links
from .cache import DocumentCache, cached_personnummer
from .codeowners import check_codeowners
from .files import path_collisions
from .forked import split_map
from .legal import check_law
from .load import load_documents, parse_date
from .model import Document, Finding, Organisation, ReviewState
from .organisation import PROCESSES_FILE, load_organisation
from .personnummer import check_pages, check_personnummer, document_findings, load_allow_list
from .render import BodyRenderer, body_findings
from .review import DEFAULT_WARN_DAYS, due_out_of_range, review_state
from .validate import process_gaps, validate_documents
from .visibility import check_public_links

__all__ = [
    "BODY_RULES",
    "FAIL_LEVELS",
    "RULES",
    "Config",
    "Result",
    "body_rule_findings",
    "check_handbook",
    "failing",
    "gc_paused",
    "json_parts",
    "parse_today",
    "resolve_today",
    "to_json",
]

FailOn = Literal["error", "overdue", "due-soon", "never"]
FAIL_LEVELS: tuple[FailOn, ...] = ("error", "overdue", "due-soon", "never")


@dataclass(frozen=True)
class Config:
    routines_dir: str = "routines"
    data_dir: str = "data"
    warn_days: int = DEFAULT_WARN_DAYS
    max_file_kb: int = 1024
    """Files larger than this are a finding and are not read (a link to /dev/zero must not
    fill the memory)."""
    markdown_extensions: tuple[Any, ...] = ()
    """Markdown extensions as mkdocs.yml lists them, names or instances (the check renders
    a routine the way the site does, to see what the sanitiser would remove)."""
    mdx_configs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    render_timeout: float = 5.0
    """Seconds a routine may take to render before it is shown as 'could not be shown'."""
    docs_dir: str = "docs"
    """The handbook's own pages (mkdocs.yml's docs_dir, relative to the root): published too,
    so they are looked through for personnummer."""


@dataclass
class Result:
    root: Path
    today: dt.date
    config: Config
    org: Organisation
    documents: list[Document]
    states: dict[str, ReviewState]  # by document path
    findings: list[Finding] = field(default_factory=list)
    public: bool = False
    """Only what the public site may publish (`handbok.visibility.publish`): anything built
    from this Result, or from the handbook's files beside it (git history), must not show
    a document that is not `visibility: public`."""
    attachments: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Files beside routines that documents link to and the site publishes (path -> the
    paths of the documents linking to it; `handbok.attachments`)."""
    sources: dict[str, str] = field(default_factory=dict, repr=False)
    """The content hash of each document's file, when the check used its cache: what tells
    an unchanged document without looking at its fields (`handbok.incremental`)."""
    rules: bytes = field(default=b"", repr=False)
    """The rule (`RULES`) each of `findings` came from, as `check_handbook` made them."""
    _by_id: dict[str, Document] | None = field(default=None, repr=False)
    _referrers: dict[str, list[Document]] | None = field(default=None, repr=False)
    _by_path: dict[str, list[Finding]] | None = field(default=None, repr=False)

    def state(self, doc: Document) -> ReviewState:
        return self.states[doc.path]

    def by_id(self) -> dict[str, Document]:
        """Id -> the first document with that id (computed once)."""
        if self._by_id is None:
            self._by_id = {}
            for doc in self.documents:
                if doc.id and doc.id not in self._by_id:
                    self._by_id[doc.id] = doc
        return self._by_id

    def referrers(self) -> dict[str, list[Document]]:
        """Id -> the documents whose related/supersedes/superseded_by name it."""
        if self._referrers is None:
            self._referrers = {}
            for doc in self.documents:
                for ref in dict.fromkeys([*doc.related, *doc.supersedes, *doc.superseded_by]):
                    if ref != doc.id:
                        self._referrers.setdefault(ref, []).append(doc)
        return self._referrers

    def findings_for(self, path: str) -> list[Finding]:
        """The findings about one file (indexed once: a site asks for every page)."""
        if self._by_path is None:
            self._by_path = {}
            for f in self.findings:
                self._by_path.setdefault(f.path, []).append(f)
        return self._by_path.get(path, [])

    def summary(self) -> dict[str, int]:
        """The counts of the JSON contract, from `handbok.figures` (the one place for figures)."""
        return figures.summary(self.documents, self.states, self.findings)


def parse_today(value: str) -> dt.date | None:
    """YYYY-MM-DD only (fromisoformat would also take a week date such as 2026-W47-1)."""
    return parse_date(value)


def resolve_today(given: str | None, environ: dict[str, str] | None = None) -> dt.date:
    """`--today`, else HANDBOK_TODAY, else the real date. ValueError if unreadable."""
    env = os.environ if environ is None else environ
    for source, value in (("--today", given), ("HANDBOK_TODAY", env.get("HANDBOK_TODAY"))):
        if value:
            date = parse_today(value)
            if date is None:
                raise ValueError(f"{source}: '{value}' är inget datum. Skriv ÅÅÅÅ-MM-DD, t.ex. 2026-11-22.")
            return date
    return dt.date.today()


def check_handbook(root: Path, today: dt.date, config: Config | None = None, *,
                   cache: bool = False, split: bool = False) -> Result:
    """Read, validate and date every document of the handbook at `root`.

    `cache`: reuse and keep what each unchanged file alone decides in `.cache/handbok/`
    (`handbok.cache`); the result is exactly that of a run without it.
    `split`: read and render what must be parsed of a large handbook on two cores
    (`handbok.forked`: never in a process with threads)."""
    with gc_paused():
        return _check_handbook(root, today, config or Config(), cache, split)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Loading builds many objects that live on, and no reference cycles: the
    cyclic collector would only rescan them again and again (about a fifth of
    the time of a check of 10,000 documents). Reference counting still frees
    everything else."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# The rules of a check, in the order it runs them: each finding comes from one
# (`Result.rules`). The order of findings with the same path, line, severity and code is
# the order of their rules, so a result put together again (`handbok.recheck`) sorts the
# same way.
RULES = ("organisation", "load", "validate", "collisions", "law", "personnummer", "pages",
         "codeowners", "body", "public-links", "links", "review", "gaps")
_RULE = {name: number for number, name in enumerate(RULES)}
BODY_RULES = frozenset(_RULE[name] for name in ("personnummer", "body", "public-links", "links"))
"""The rules whose findings about a document can change when only its body does. They
look at other documents only through their paths, ids, status, visibility and whether
they could be read (`body_rule_findings`); every other rule reads no body."""


def _check_handbook(root: Path, today: dt.date, config: Config, cache: bool = False, split: bool = False) -> Result:
    store = DocumentCache(root, config) if cache else None
    rules = bytearray()  # the rule of each finding so far

    def done(rule: str) -> None:
        rules.extend(bytes([_RULE[rule]]) * (len(findings) - len(rules)))

    org, findings = load_organisation(root, config.data_dir, config.max_file_kb)
    done("organisation")
    documents, load_findings = (load_documents(root, config.routines_dir, config.max_file_kb, split) if store is None
                                else store.load_documents(config.routines_dir, config.max_file_kb, split))
    findings.extend(load_findings)
    done("load")
    findings.extend(validate_documents(documents, org))
    done("validate")
    findings.extend(path_collisions(documents))
    done("collisions")
    findings.extend(check_law(root, config.data_dir, config.max_file_kb, documents, today))
    done("law")
    if store is None:
        findings.extend(check_personnummer(root, config.data_dir, config.max_file_kb, documents, split))
    else:
        findings.extend(cached_personnummer(store, root, config.data_dir, config.max_file_kb, documents))
    done("personnummer")
    findings.extend(check_pages(root, config.docs_dir, config.data_dir, config.max_file_kb, config.routines_dir))
    done("pages")
    findings.extend(check_codeowners(root, documents, org, config.routines_dir, config.data_dir,
                                     config.max_file_kb))
    done("codeowners")
    renderer = _renderer(config)
    bodies = [doc for doc in documents if doc.front_matter]

    def render(doc: Document) -> list[Finding]:
        return body_findings(doc, renderer)

    if store is None:
        found = split_map(render, bodies) if split else [render(doc) for doc in bodies]
    else:
        # What the cache does not hold is rendered first (on two cores when there is much).
        missing = [doc for doc in bodies if not store.cached(doc, "body")] if split else []
        rendered = dict(zip(map(id, missing), split_map(render, missing), strict=True))

        def made(doc: Document) -> list[Finding]:
            ready = rendered.pop(id(doc), None)
            return render(doc) if ready is None else ready

        found = [store.findings(doc, "body", lambda d=doc: made(d)) for doc in bodies]  # type: ignore[misc]
    for each in found:
        findings.extend(each)
    done("body")
    findings.extend(check_public_links(documents, renderer))
    done("public-links")
    links, attachments = check_links(root, documents, config.routines_dir)  # never cached: spans files
    findings.extend(links)
    done("links")
    states: dict[str, ReviewState] = {}
    for doc in documents:
        state = review_state(doc, org.types, today, config.warn_days)
        states[doc.path] = state
        if state.status == "overdue" and state.due and state.days_left is not None:
            findings.append(Finding("warning", "overdue", doc.path, _due_line(doc),
                                    msg.overdue(state.due, -state.days_left, doc.review_date is not None),
                                    doc.id, "review_date"))
        elif state.status == "due-soon" and state.due and state.days_left is not None:
            findings.append(Finding("info", "due-soon", doc.path, _due_line(doc),
                                    msg.due_soon(state.due, state.days_left), doc.id, "review_date"))
        elif state.due is None and (key := due_out_of_range(doc, org.types)) is not None:
            findings.append(Finding("error", "invalid-date", doc.path, doc.line_of(key),
                                    msg.due_out_of_range(key, getattr(doc, key)), doc.id, key))
    done("review")
    if org.processes is not None:
        findings.extend(process_gaps(documents, org, f"{config.data_dir}/{PROCESSES_FILE}"))
    done("gaps")
    order = sorted(range(len(findings)), key=lambda i: _finding_order(findings[i]))  # stable: rule order in a tie
    if store is not None:
        store.save()
    return Result(root, today, config, org, documents, states, [findings[i] for i in order],
                  attachments=attachments, sources=store.sources if store is not None else {},
                  rules=bytes(rules[i] for i in order))


def _renderer(config: Config) -> BodyRenderer:
    return BodyRenderer(config.markdown_extensions, config.mdx_configs, config.render_timeout)


def body_rule_findings(root: Path, config: Config, documents: list[Document],
                       changed: list[Document]) -> list[tuple[Finding, int]]:
    """The findings of BODY_RULES about the documents `changed` (among `documents`), each
    with its rule, in the order a whole check makes them. Of the other documents only what
    BODY_RULES reads of them is needed."""
    allowed, _ = load_allow_list(root, config.data_dir, config.max_file_kb)  # its findings are about data/
    renderer = _renderer(config)
    paths = {doc.path for doc in changed}
    out: list[tuple[Finding, int]] = []
    for doc in changed:
        out.extend((f, _RULE["personnummer"]) for f in document_findings(doc, allowed))
    for doc in changed:
        if doc.front_matter:
            out.extend((f, _RULE["body"]) for f in body_findings(doc, renderer))
    out.extend((f, _RULE["public-links"]) for f in check_public_links(documents, renderer, changed)
               if f.path in paths)
    links, _ = check_links(root, documents, config.routines_dir, changed)
    out.extend((f, _RULE["links"]) for f in links if f.path in paths)
    return out


def _due_line(doc: Document) -> int:
    for key in ("review_date", "last_reviewed", "decision_date"):
        if key in doc.lines:
            return doc.lines[key]
    return 1


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _finding_order(f: Finding) -> tuple[str, int, int, str]:
    return (f.path, f.line or 0, _SEVERITY_ORDER[f.severity], f.code)


def failing(result: Result, fail_on: str) -> list[Finding]:
    """The findings that make the gate fail at level `fail_on`."""
    if fail_on == "never":
        return []
    # changed-without-decision (only from check --base) fails like an overdue document.
    codes = ({"overdue", "changed-without-decision"} if fail_on == "overdue"
             else {"overdue", "due-soon", "changed-without-decision"} if fail_on == "due-soon" else set())
    return [f for f in result.findings if f.severity == "error" or f.code in codes]


def failing_counts(result: Result, fail_on: str) -> dict[str, int]:
    """What fails the gate, counted: errors, then each code that fails although it is no
    error (overdue, due-soon, changed-without-decision), so the summary adds up."""
    counts = {"error": 0, "overdue": 0, "due-soon": 0, "changed-without-decision": 0}
    for f in failing(result, fail_on):
        counts["error" if f.severity == "error" else f.code] += 1
    return counts


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


DOCUMENT_KEYS = ("id", "path", "title", "type", "owner", "unit", "decided_by", "decision_date",
                 "last_reviewed", "review_date", "status", "days_left")
FINDING_KEYS = ("severity", "code", "path", "line", "document", "field", "message")
_finding_row = attrgetter(*FINDING_KEYS)  # the keys are the attributes' names


def document_row(doc: Document, state: ReviewState, org: Organisation,
                 iso: Callable[[dt.date | None], str | None] | None = None) -> tuple[Any, ...]:
    """The values of `document_json`, in the order of DOCUMENT_KEYS."""
    iso = iso or _iso
    return (doc.id, doc.path, doc.title, doc.type, doc.owner, unit_of(doc, org), doc.decided_by,
            iso(doc.decision_date), iso(doc.last_reviewed), iso(state.due), state.status, state.days_left)


def document_json(doc: Document, state: ReviewState, org: Organisation) -> dict[str, Any]:
    return dict(zip(DOCUMENT_KEYS, document_row(doc, state, org), strict=True))


unit_of = figures.unit_of  # the document's unit, else its owner's unit


def finding_json(f: Finding) -> dict[str, Any]:
    return dict(zip(FINDING_KEYS, _finding_row(f), strict=True))


def to_json(result: Result) -> dict[str, Any]:
    """The JSON contract of PRODUCT.md 4 (`handbok check --format json`)."""
    return {
        "today": result.today.isoformat(),
        "summary": result.summary(),
        "documents": [document_json(d, result.state(d), result.org) for d in result.documents],
        "findings": [finding_json(f) for f in result.findings],
    }


def json_parts(result: Result) -> dict[str, Any]:
    """`to_json` to be written as it is made (`handbok.formats.render_chunks`), its long
    lists (documents, findings) as tables: `(keys, rows)`, each row a tuple of the values
    of `document_json` or `finding_json` in the order of the keys, made when it is written.
    At 30,000 documents the lists would hold some 70,000 dicts at once, and a tuple is
    quicker made and written than a dict."""
    org = result.org
    isos: dict[Any, Any] = {None: None}

    def iso(value: dt.date | None) -> str | None:
        """`_iso`, once a date: the documents share their dates, and isoformat is slow."""
        text = isos.get(value, isos)
        if text is isos:
            text = isos[value] = _iso(value)
        return text

    return {
        "today": result.today.isoformat(),
        "summary": result.summary(),
        "documents": (DOCUMENT_KEYS, (document_row(d, s, org, iso) for d, s in
                                      zip(result.documents, map(result.state, result.documents), strict=True))),
        "findings": (FINDING_KEYS, map(_finding_row, result.findings)),
    }
