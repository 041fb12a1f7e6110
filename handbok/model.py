"""Plain data: documents, findings, organisation. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "SEVERITIES",
    "STATUSES",
    "DocType",
    "Document",
    "Finding",
    "HistoryEntry",
    "Interval",
    "Organisation",
    "Process",
    "Requirement",
    "ReviewState",
    "Role",
    "Step",
    "Unit",
]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

ReviewStatus = Literal["current", "due-soon", "overdue", "draft", "repealed", "unknown"]
STATUSES: tuple[ReviewStatus, ...] = (
    "current",
    "due-soon",
    "overdue",
    "draft",
    "repealed",
    "unknown",
)


@dataclass(frozen=True, slots=True)  # many of them: no __dict__ each
class Finding:
    """One thing the tool has to say about a file: data, never a print."""

    severity: Severity
    code: str
    path: str
    line: int | None
    message: str
    document: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class Interval:
    """A review interval in whole months."""

    months: int

    def __str__(self) -> str:
        if self.months % 12 == 0:
            years = self.months // 12
            return f"{years} år"
        return f"{self.months} månader" if self.months != 1 else "1 månad"


@dataclass(frozen=True, slots=True)  # many of them: no __dict__ each
class HistoryEntry:
    date: dt.date | None
    note: str
    version: str | None = None


@dataclass(slots=True)  # tens of thousands of them: no __dict__ each
class Document:
    """A controlled document as read from its file, with values already typed.

    Values that could not be read are None; the reason is a Finding.
    """

    path: str  # relative to the handbook root, with "/"
    id: str | None = None
    title: str | None = None
    type: str | None = None
    status: str = "active"
    owner: str | None = None
    decided_by: str | None = None
    decision_date: dt.date | None = None
    decision_ref: str | None = None
    valid_from: dt.date | None = None
    review_date: dt.date | None = None
    review_interval: Interval | None = None
    last_reviewed: dt.date | None = None
    version: str | None = None
    history: list[HistoryEntry] = field(default_factory=list)
    supersedes: list[str] = field(default_factory=list)
    superseded_by: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    unit: str | None = None
    processes: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    legal_refs: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    visibility: str = "internal"
    tags: list[str] = field(default_factory=list)
    reviewed_by: str | None = None
    decided_by_name: str | None = None  # as recorded in the document, never a role's holder
    repealed_date: dt.date | None = None
    body: str = ""
    body_line: int = 1  # file line where the body starts
    lines: dict[str, int] = field(default_factory=dict)  # key -> file line
    front_matter: bool = False
    readable: bool = True  # False when the file could not be decoded or parsed
    raw: dict[str, Any] = field(default_factory=dict)
    front_hash: str = ""
    """The hash of the front matter's text as read, when there is one: with the title, the
    body's first line, whether it could be read and the findings of reading it, all a
    check takes from the file but its body (`handbok.recheck`)."""

    def line_of(self, key: str) -> int:
        """The line of `key` in the file, else the line of the front matter start."""
        return self.lines.get(key, 1)

    def body_contains(self, *markers: str) -> bool:
        """Whether the body holds any of `markers`: the cheap test before a scan of every
        body (a document from the check's cache knows the common ones without reading
        its file, `handbok.cache.BODY_MARKERS`)."""
        body = self.body
        return any(marker in body for marker in markers)


@dataclass(frozen=True, slots=True)  # many of them: no __dict__ each
class ReviewState:
    due: dt.date | None
    status: ReviewStatus
    days_left: int | None


@dataclass(frozen=True)
class Unit:
    key: str
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class Role:
    key: str
    title: str
    unit: str | None = None
    holder: str | None = None
    email: str | None = None
    git: str | None = None


@dataclass(frozen=True)
class Step:
    key: str
    name: str
    process: str
    description: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Process:
    key: str
    name: str
    steps: tuple[Step, ...]
    description: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class DocType:
    key: str
    label: str
    interval: Interval
    decided_by: str = ""


@dataclass(frozen=True)
class Requirement:
    key: str  # e.g. "sosfs-2011-9/4-4"
    ref: str  # e.g. "4 kap. 4 §"
    title: str
    summary: str = ""
    source: str = ""  # name of the regulation
    line: int | None = None


@dataclass
class Organisation:
    """Everything in data/: units, bodies, roles, processes, types, requirements.

    A `None` collection means the file was missing or unreadable, so references
    into it are not checked (one finding about the file says why).
    """

    units: dict[str, Unit] | None = None
    bodies: dict[str, Unit] | None = None
    roles: dict[str, Role] | None = None
    processes: dict[str, Process] | None = None
    types: dict[str, DocType] = field(default_factory=dict)
    requirements: dict[str, Requirement] | None = None

    def steps(self) -> dict[str, list[Step]]:
        """Step key -> the steps with that key (normally one)."""
        out: dict[str, list[Step]] = {}
        for process in (self.processes or {}).values():
            for step in process.steps:
                out.setdefault(step.key, []).append(step)
        return out

    def role_title(self, key: str | None) -> str:
        if key is None:
            return ""
        if self.roles and key in self.roles:
            return self.roles[key].title
        if self.bodies and key in self.bodies:
            return self.bodies[key].name
        return key

    def unit_name(self, key: str | None) -> str:
        if key is None:
            return ""
        if self.units and key in self.units:
            return self.units[key].name
        return key
