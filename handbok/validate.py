"""Documents + organisation -> findings. Checks every field; never stops at the first."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from . import messages as msg
from .load import KNOWN_KEYS
from .model import Document, Finding, Organisation, Step

__all__ = ["ID_RE", "covered_steps", "validate_documents", "process_gaps"]

ID_RE = re.compile(r"[A-Za-z0-9._-]+")
_MACRO_KEYS = ("render_macros", "macros")


def validate_documents(docs: list[Document], org: Organisation) -> list[Finding]:
    """Every finding about the documents' metadata and references."""
    findings: list[Finding] = []
    ids = _id_index(docs)
    steps = org.steps()  # once, not once per document and reference
    for doc in docs:
        if doc.readable:
            findings.extend(_check_document(doc, org, ids, steps))
    findings.extend(_duplicate_ids(docs, ids))
    findings.extend(_case_collisions(ids))
    findings.extend(_supersession(ids))
    return findings


def _id_index(docs: list[Document]) -> dict[str, list[Document]]:
    index: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        if doc.id:
            index[doc.id].append(doc)
    return index


def _duplicate_ids(docs: list[Document], ids: dict[str, list[Document]]) -> Iterable[Finding]:
    for doc_id, same in ids.items():
        if len(same) < 2:
            continue
        for doc in same:
            others = ", ".join(o.path for o in same if o is not doc)
            yield Finding("error", "duplicate-id", doc.path, doc.line_of("id"),
                          msg.duplicate_id(doc_id, others), doc_id, "id")


def _case_collisions(ids: dict[str, list[Document]]) -> Iterable[Finding]:
    """Ids that differ only in letter case (EB-RUT-1 and eb-rut-1) collide in URLs and in
    readers' heads: an error on each, naming the others."""
    folded: dict[str, list[str]] = defaultdict(list)
    for doc_id in ids:
        folded[doc_id.casefold()].append(doc_id)
    for variants in folded.values():
        if len(variants) < 2:
            continue
        for doc_id in variants:
            others = ", ".join(f"{other} ({o.path})" for other in variants if other != doc_id
                               for o in ids[other])
            for doc in ids[doc_id]:
                yield Finding("error", "id-case-collision", doc.path, doc.line_of("id"),
                              msg.id_case_collision(doc_id, others), doc_id, "id")


def _supersession(ids: dict[str, list[Document]]) -> list[Finding]:
    """Cycles, draft successors and replaced documents still in force.

    `X.superseded_by: [Y]` and `Y.supersedes: [X]` are the same edge X -> Y ("X is replaced
    by Y"), so a pair named from both sides is reported once."""
    edges: dict[tuple[str, str], bool] = {}  # (replaced, successor) -> named in superseded_by
    for doc_id, same in ids.items():
        doc = same[0]
        for ref in doc.superseded_by:
            if ref in ids and ref != doc_id:
                edges[(doc_id, ref)] = True
        for ref in doc.supersedes:
            if ref in ids and ref != doc_id:
                edges.setdefault((ref, doc_id), False)
    if not edges:
        return []
    graph: dict[str, list[str]] = defaultdict(list)
    for replaced, successor in edges:
        graph[replaced].append(successor)
    cycles = _cycles(graph)
    out: list[Finding] = []
    for doc_id, members in cycles.items():
        doc = ids[doc_id][0]
        key = ("superseded_by" if any(ref in members for ref in doc.superseded_by)
               else "supersedes" if any(ref in members for ref in doc.supersedes) else "id")
        out.append(Finding("error", "supersede-cycle", doc.path, doc.line_of(key),
                           msg.supersede_cycle(_ring(doc_id, members, graph)), doc_id, key))
    still_active: dict[str, list[str]] = defaultdict(list)
    for (replaced, successor), named_here in edges.items():
        if cycles.get(replaced) is not None and cycles.get(replaced) is cycles.get(successor):
            continue  # the cycle is the fault to fix first
        old, new = ids[replaced][0], ids[successor][0]
        if new.status == "draft":
            # A draft that will replace an active document is normal work in progress; a
            # document that already names it, or is already repealed, points at no valid text.
            if named_here or old.status == "repealed":
                key = "superseded_by" if named_here else "status"
                out.append(Finding("warning", "successor-draft", old.path, old.line_of(key),
                                   msg.successor_draft(successor, named_here), replaced, key))
        elif old.status == "active":
            still_active[replaced].append(successor)
    for replaced, successors in still_active.items():
        old = ids[replaced][0]
        key = next(k for k in ("superseded_by", "status", "id") if k == "id" or k in old.lines)
        out.append(Finding("warning", "superseded-but-active", old.path, old.line_of(key),
                           msg.superseded_but_active(successors), replaced, key))
    return out


def _cycles(graph: dict[str, list[str]]) -> dict[str, list[str]]:
    """Node -> the sorted members of its cycle (a strongly connected component of two or
    more nodes); Tarjan's algorithm without recursion, so a long chain cannot overflow."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: dict[str, list[str]] = {}
    for root in list(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph.get(root, ())))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    members: list[str] = []
                    while not members or members[-1] != node:
                        members.append(stack.pop())
                        on_stack.discard(members[-1])
                    if len(members) > 1:
                        members.sort()
                        for member in members:
                            out[member] = members
    return out


def _ring(start: str, members: list[str], graph: dict[str, list[str]]) -> list[str]:
    """The shortest way from `start` through its cycle back to it: [start, ..., start]."""
    inside = set(members)
    came_from: dict[str, str] = {}
    queue = [start]
    for node in queue:
        for child in graph.get(node, ()):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if child in inside and child not in came_from:
                came_from[child] = node
                queue.append(child)
    return [start, start]


def _check_document(doc: Document, org: Organisation, ids: dict[str, list[Document]],
                    steps: dict[str, list[Step]]) -> list[Finding]:
    out: list[Finding] = []

    def add(severity: str, code: str, key: str | None, message: str, line: int | None = None) -> None:
        where = line if line is not None else (doc.line_of(key) if key else 1)
        out.append(Finding(severity, code, doc.path, where, message, doc.id, key))  # type: ignore[arg-type]

    # Keys nobody reads: a misspelt key must not pass silently.
    for key in doc.raw:
        if key in KNOWN_KEYS:
            continue
        if key in _MACRO_KEYS:
            add("error", "render-macros", key, msg.RENDER_MACROS)
            continue
        swedish = msg.SWEDISH_KEYS.get(key.strip().lower()) if isinstance(key, str) else None
        guess = [swedish] if swedish else _close_known_keys(key)
        add("warning", "unknown-key", key, msg.unknown_key(key, guess[0] if guess else None))

    # Required fields.
    if doc.id is None:
        if not _already_invalid(doc, "id"):
            add("error", "missing-field", "id", msg.missing_field("id"), _missing_line(doc, "id"))
    elif not ID_RE.fullmatch(doc.id):
        add("error", "invalid-value", "id", msg.invalid_id(doc.id))
    if doc.title is None:
        add("error", "missing-field", "title", msg.missing_field("title"), 1)
    if doc.type is None:
        if not _already_invalid(doc, "type"):
            add("error", "missing-field", "type", msg.missing_field("type"), _missing_line(doc, "type"))
    elif doc.type not in org.types:
        add("error", "unknown-type", "type", msg.unknown_type(doc.type, _closest(doc.type, org.types)))
    if doc.status == "active":
        for key in ("owner", "decided_by", "decision_date"):
            if getattr(doc, key) is None and not _already_invalid(doc, key):
                add("error", "missing-field", key, msg.missing_field(key), _missing_line(doc, key))

    # Who owns and who decided.
    if org.roles is not None:
        if doc.owner is not None and doc.owner not in org.roles:
            add("error", "unknown-owner", "owner",
                msg.unknown_owner("owner", doc.owner, _closest(doc.owner, org.roles)))
        if doc.decided_by is not None and doc.decided_by not in org.roles and doc.decided_by not in (org.bodies or {}):
            deciders = {**org.roles, **(org.bodies or {})}
            add("error", "unknown-owner", "decided_by",
                msg.unknown_owner("decided_by", doc.decided_by, _closest(doc.decided_by, deciders)))
        for role in doc.audience:
            if role not in org.roles:
                add("error", "unknown-reference", "audience",
                    msg.unknown_reference("audience", role, _closest(role, org.roles)))
    if org.units is not None and doc.unit is not None and doc.unit not in org.units:
        add("error", "unknown-reference", "unit",
            msg.unknown_reference("unit", doc.unit, _closest(doc.unit, org.units)))

    # References to other documents, processes and requirements.
    for key in ("related", "supersedes", "superseded_by"):
        for ref in getattr(doc, key):
            if ref not in ids:
                add("error", "unknown-reference", key, msg.unknown_reference(key, ref, _closest(ref, ids)))
            elif ref == doc.id:
                add("error", "invalid-value", key, msg.refers_to_itself(key))
    if org.processes is not None:
        for ref in doc.processes:
            if _resolve_process(ref, org, steps) is None:
                known = set(org.processes) | set(steps)
                add("error", "unknown-reference", "processes",
                    msg.unknown_reference("processes", ref, _closest(ref, known)))
    if org.requirements is not None:
        for ref in doc.requirements:
            if ref not in org.requirements:
                add("error", "unknown-reference", "requirements",
                    msg.unknown_reference("requirements", ref, _closest(ref, org.requirements)))
    if doc.status == "repealed" and not doc.superseded_by:
        add("info", "no-successor", "status", msg.NO_SUCCESSOR)

    # Dates that contradict each other.
    if doc.review_date and doc.decision_date and doc.review_date < doc.decision_date:
        add("error", "review-before-decision", "review_date",
            msg.review_before_decision(doc.review_date, doc.decision_date))
    if doc.review_date and doc.last_reviewed and doc.last_reviewed > doc.review_date:
        add("warning", "stale-review-date", "review_date",
            msg.stale_review_date(doc.last_reviewed, doc.review_date))
    if doc.last_reviewed and doc.decision_date and doc.last_reviewed < doc.decision_date:
        add("warning", "invalid-date", "last_reviewed",
            msg.reviewed_before_decision(doc.last_reviewed, doc.decision_date))

    return out


def _already_invalid(doc: Document, key: str) -> bool:
    """A value was given but could not be read: the finding about that says enough.

    An empty text (`owner: ""`) is no value: the field is missing."""
    value = doc.raw.get(key)
    return value is not None and not (isinstance(value, str) and not value.strip())


def _missing_line(doc: Document, key: str) -> int:
    """Where to write a missing key: its empty line if present, else the front matter."""
    return doc.lines.get(key, 1)


@lru_cache(maxsize=4096)
def _close_known_keys(key: str) -> list[str]:
    """The known key a misspelt one is closest to (the same misspelling recurs: difflib is
    slow, a tenth of a check of 10,000 documents with a few hundred of them)."""
    return difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.6)


def _closest(value: str, choices: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def _resolve_process(ref: str, org: Organisation,
                     steps: dict[str, list[Step]] | None = None) -> tuple[str, str | None] | None:
    """A process key, a step key, or `process/step` -> (process, step or None).

    `steps` is `org.steps()`, when the caller has it already.
    """
    processes = org.processes or {}
    if ref in processes:
        return ref, None
    if "/" in ref:
        process, _, step = ref.partition("/")
        if process in processes and any(s.key == step for s in processes[process].steps):
            return process, step
        return None
    found = (org.steps() if steps is None else steps).get(ref)
    if found:
        return found[0].process, ref
    return None


def covered_steps(docs: list[Document], org: Organisation) -> dict[tuple[str, str], list[Document]]:
    """(process, step) -> the documents naming that step, every step present."""
    covered: dict[tuple[str, str], list[Document]] = {
        (p.key, s.key): [] for p in (org.processes or {}).values() for s in p.steps
    }
    steps = org.steps()
    for doc in docs:
        for ref in doc.processes:
            if "/" in ref:
                key = tuple(ref.split("/", 1))
                if key in covered:
                    covered[key].append(doc)  # type: ignore[index]
            else:
                for step in steps.get(ref, []):
                    covered[(step.process, step.key)].append(doc)
    return covered


def process_gaps(docs: list[Document], org: Organisation, data_file: str) -> list[Finding]:
    """A process step with no active document is a gap (SOSFS 2011:9 4 kap.)."""
    out: list[Finding] = []
    processes = org.processes or {}
    for (process_key, step_key), covering in covered_steps(docs, org).items():
        if any(d.status == "active" for d in covering):
            continue
        process = processes[process_key]
        step = next(s for s in process.steps if s.key == step_key)
        out.append(Finding("warning", "process-gap", data_file, step.line,
                           msg.process_gap(process.name, step.name, step_key)))
    return out
