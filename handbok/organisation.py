"""data/*.yml -> units, bodies, roles, processes, document types, requirements.

A bad data file is a finding naming the file and line, never an exception.
"""

from __future__ import annotations

import functools
import os
from contextvars import ContextVar
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from . import messages as msg
from .files import Root
from .load import _bad_byte_line, decode, parse_interval
from .model import DocType, Finding, Interval, Organisation, Process, Requirement, Role, Step, Unit
from .yamlread import Parsed, YamlError, parse_yaml

__all__ = ["BUILTIN_TYPES", "load_organisation"]

BUILTIN_TYPES: dict[str, DocType] = {
    t.key: t
    for t in (
        DocType("policy", "Policy", Interval(48), "nämnd"),
        DocType("riktlinje", "Riktlinje", Interval(24), "nämnd"),
        DocType("delegationsordning", "Delegationsordning", Interval(12), "nämnd"),
        DocType("processbeskrivning", "Processbeskrivning", Interval(24), "förvaltningschef"),
        DocType("rutin", "Rutin", Interval(12), "förvaltnings- eller enhetschef"),
        DocType("instruktion", "Instruktion", Interval(12), "enhetschef"),
        DocType("checklista", "Checklista", Interval(12), "enhetschef"),
        DocType("mall", "Mall", Interval(24), "enhetschef"),
    )
}

ORGANISATION_FILE = "organisation.yml"
PROCESSES_FILE = "processes.yml"
TYPES_FILE = "document-types.yml"
REQUIREMENTS_FILE = "requirements.yml"


# The root and the size cap of the files `load_organisation` is reading (set there, so that
# every loader's _Reader reads through handbok.files without each passing them on).
_reading: ContextVar[tuple[Root, int] | None] = ContextVar("handbok_reading", default=None)


class _Reader:
    """Reads one data file and collects its findings."""

    def __init__(self, rel: str, findings: list[Finding]) -> None:
        self.rel = rel
        self.findings = findings
        self.parsed: Parsed | None = None

    def error(self, message: str, line: int | None = None, code: str = "data-file") -> None:
        self.findings.append(Finding("error", code, self.rel, line, message))

    def load(self, path: Path, required: bool) -> dict[str, Any] | None:
        if not os.path.lexists(path):
            if required:
                self.error(msg.data_file_missing(self.rel))
            return None
        root, max_bytes = _reading.get() or (Root(path.parent), 1024 * 1024)
        data = root.read(path, max_bytes)  # not outside the root, only a regular file, capped
        if isinstance(data, Finding):
            self.findings.append(replace(data, path=self.rel))
            return None
        text = decode(data)
        if text is None:
            self.findings.append(Finding("error", "encoding", self.rel, _bad_byte_line(data), msg.ENCODING))
            return None
        try:
            self.parsed = parse_yaml(text)
        except YamlError as exc:
            self.error(msg.data_yaml_syntax(exc.message), exc.line, "yaml-syntax")
            return None
        for key, line in self.parsed.duplicate_keys:  # lines of a whole file are already 1-based
            self.error(msg.duplicate_key(key), line, "duplicate-key")
        value = self.parsed.value
        if value is None:
            if required:  # empty, or only comments: nothing in it can be checked
                self.error(msg.data_file_empty(self.rel), 1)
                return None
            return {}
        if not isinstance(value, dict):
            self.error(msg.DATA_NOT_MAPPING, 1)
            return None
        return value

    def line(self, *path: str) -> int | None:
        if self.parsed is None:
            return None
        if len(path) == 1:
            line = self.parsed.lines.get(path[0])
        else:
            line = self.parsed.nested_lines.get(tuple(path))
        return line  # parse_yaml counts from 1, and a data file starts at its first line

    def mapping(self, value: Any, *path: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(msg.data_expected_mapping("/".join(path)), self.line(*path))
            return {}
        return value

    def text(self, entry: dict[str, Any], key: str, *path: str, required: bool = False) -> str | None:
        value = entry.get(key)
        if value is None:
            if required:
                self.error(msg.data_field_missing("/".join(path), key), self.line(*path))
            return None
        if not isinstance(value, str):
            self.error(msg.data_not_text("/".join(path), key), self.line(*path, key))
            return None
        return value.strip() or None


def load_organisation(root: Path, data_dir: str = "data",
                      max_file_kb: int = 1024) -> tuple[Organisation, list[Finding]]:
    """Read the data files of a handbook; findings for what is wrong in them.

    Only files inside the root are read, and at most max_file_kb of each (`handbok.files`).
    """
    token = _reading.set((Root(root), max_file_kb * 1024))
    try:
        return _load_all(root, data_dir)
    finally:
        _reading.reset(token)


def _load_all(root: Path, data_dir: str) -> tuple[Organisation, list[Finding]]:
    findings: list[Finding] = []
    org = Organisation(types=dict(BUILTIN_TYPES))
    base = root / data_dir
    _load_org(base / ORGANISATION_FILE, f"{data_dir}/{ORGANISATION_FILE}", org, findings)
    _load_processes(base / PROCESSES_FILE, f"{data_dir}/{PROCESSES_FILE}", org, findings)
    _load_types(base / TYPES_FILE, f"{data_dir}/{TYPES_FILE}", org, findings)
    _load_requirements(base / REQUIREMENTS_FILE, f"{data_dir}/{REQUIREMENTS_FILE}", org, findings)
    return org, findings


def _load_org(path: Path, rel: str, org: Organisation, findings: list[Finding]) -> None:
    r = _Reader(rel, findings)
    data = r.load(path, required=True)
    if data is None:
        return
    for key in data:
        if key not in ("units", "bodies", "roles"):
            findings.append(Finding("warning", "unknown-key", rel, r.line(key),
                                    msg.data_unknown_key(key, ("units", "bodies", "roles"))))
    units: dict[str, Unit] = {}
    for key, entry in r.mapping(data.get("units"), "units").items():
        entry = r.mapping(entry, "units", key)
        name = r.text(entry, "name", "units", key, required=True) or key
        units[key] = Unit(key, name, r.text(entry, "parent", "units", key))
    for unit in units.values():
        if unit.parent is not None and unit.parent not in units:
            r.error(msg.unknown_unit(unit.parent), r.line("units", unit.key, "parent"))
    _cut_parent_cycles(units, r)
    bodies: dict[str, Unit] = {}
    for key, entry in r.mapping(data.get("bodies"), "bodies").items():
        entry = r.mapping(entry, "bodies", key)
        bodies[key] = Unit(key, r.text(entry, "name", "bodies", key, required=True) or key)
    roles: dict[str, Role] = {}
    for key, entry in r.mapping(data.get("roles"), "roles").items():
        entry = r.mapping(entry, "roles", key)
        where = ("roles", key)
        role = Role(
            key=key,
            title=r.text(entry, "title", *where, required=True) or key,
            unit=r.text(entry, "unit", *where),
            holder=r.text(entry, "holder", *where),
            email=r.text(entry, "email", *where),
            git=r.text(entry, "git", *where),
        )
        if role.unit is not None and role.unit not in units:
            r.error(msg.unknown_unit(role.unit), r.line("roles", key, "unit"))
        roles[key] = role
    org.units, org.bodies, org.roles = units, bodies, roles


def _cut_parent_cycles(units: dict[str, Unit], r: _Reader) -> None:
    """A unit that is its own ancestor (`a: {parent: a}`, or a -> b -> a) is an error at
    the `parent` that closes the ring; that parent is dropped, so every walk up ends."""
    done: set[str] = set()
    for start in list(units):
        path: list[str] = []
        on_path: set[str] = set()
        key: str | None = start
        while key is not None and key in units and key not in done:
            if key in on_path:
                last = path[-1]
                ring = [last, *path[path.index(key):]]  # last -> key -> ... -> last
                r.error(msg.unit_cycle(ring), r.line("units", last, "parent"))
                units[last] = replace(units[last], parent=None)
                break
            path.append(key)
            on_path.add(key)
            key = units[key].parent
        done.update(path)


def _load_processes(path: Path, rel: str, org: Organisation, findings: list[Finding]) -> None:
    r = _Reader(rel, findings)
    data = r.load(path, required=True)
    if data is None:
        return
    processes: dict[str, Process] = {}
    seen_steps: dict[str, str] = {}
    for key, entry in data.items():
        entry = r.mapping(entry, key)
        steps: list[Step] = []
        for step_key, step in r.mapping(entry.get("steps"), key, "steps").items():
            step = r.mapping(step, key, "steps", step_key)
            where = (key, "steps", step_key)
            if step_key in seen_steps or step_key in data:
                r.error(msg.duplicate_step(step_key), r.line(*where))
            seen_steps.setdefault(step_key, key)
            steps.append(Step(
                key=step_key,
                name=r.text(step, "name", *where, required=True) or step_key,
                process=key,
                description=r.text(step, "description", *where),
                line=r.line(*where),
            ))
        processes[key] = Process(
            key=key,
            name=r.text(entry, "name", key, required=True) or key,
            steps=tuple(steps),
            description=r.text(entry, "description", key),
            line=r.line(key),
        )
    org.processes = processes


def _load_types(path: Path, rel: str, org: Organisation, findings: list[Finding]) -> None:
    r = _Reader(rel, findings)
    data = r.load(path, required=False)
    if data is None:
        return
    for key, entry in data.items():
        entry = r.mapping(entry, key)
        base = org.types.get(key)
        label = r.text(entry, "label", key, required=base is None) or (base.label if base else key)
        interval = base.interval if base else None
        if "review_interval" in entry:
            interval = parse_interval(entry["review_interval"])
            if interval is None:
                r.error(msg.invalid_interval(entry["review_interval"]),
                        r.line(key, "review_interval"), "invalid-value")
        if interval is None:
            if "review_interval" not in entry:
                r.error(msg.data_field_missing(key, "review_interval"), r.line(key))
            continue
        decided_by = r.text(entry, "decided_by", key) or (base.decided_by if base else "")
        org.types[key] = DocType(key, label, interval, decided_by)


def _load_requirements(path: Path, rel: str, org: Organisation, findings: list[Finding]) -> None:
    """The requirements shipped with handbok (handbok/data/requirements.yml), with the
    handbook's own file on top: a key of its own adds a requirement or replaces the
    shipped one; a source the package has needs no `name`. A file that is there but
    cannot be read leaves the references unchecked (its finding says why)."""
    shipped, names = _shipped_requirements()
    requirements = dict(shipped)
    r = _Reader(rel, findings)
    data = r.load(path, required=False)
    if data is None:
        if not os.path.lexists(path):
            org.requirements = requirements
        return
    _add_requirements(r, data, requirements, names, with_lines=True)
    org.requirements = requirements


def _add_requirements(r: _Reader, data: dict[str, Any], requirements: dict[str, Requirement],
                      names: dict[str, str], with_lines: bool) -> None:
    for source_key, source in data.items():
        source = r.mapping(source, source_key)
        source_name = (r.text(source, "name", source_key, required=source_key not in names)
                       or names.get(source_key) or source_key)
        names.setdefault(source_key, source_name)
        items = r.mapping(source.get("requirements"), source_key, "requirements")
        for key, entry in items.items():
            where = (source_key, "requirements", key)
            entry = r.mapping(entry, *where)
            requirements[f"{source_key}/{key}"] = Requirement(
                key=f"{source_key}/{key}",
                ref=r.text(entry, "ref", *where, required=True) or key,
                title=r.text(entry, "title", *where, required=True) or key,
                summary=r.text(entry, "summary", *where) or "",
                source=source_name,
                line=r.line(*where) if with_lines else None,
            )


SHIPPED_REQUIREMENTS = "data/requirements.yml"  # inside the package


@functools.cache
def _shipped_requirements_cached() -> tuple[tuple[Requirement, ...], tuple[tuple[str, str], ...]]:
    text = (resources.files("handbok") / SHIPPED_REQUIREMENTS).read_text(encoding="utf-8")
    findings: list[Finding] = []
    r = _Reader(f"handbok/{SHIPPED_REQUIREMENTS}", findings)
    r.parsed = parse_yaml(text)
    requirements: dict[str, Requirement] = {}
    names: dict[str, str] = {}
    _add_requirements(r, r.parsed.value or {}, requirements, names, with_lines=False)
    if findings:  # pragma: no cover - the package's own data is tested
        raise RuntimeError(f"handbok/{SHIPPED_REQUIREMENTS}: {findings[0].message}")
    return tuple(requirements.values()), tuple(names.items())


def _shipped_requirements() -> tuple[dict[str, Requirement], dict[str, str]]:
    """The requirements that come with the package, and the names of their sources."""
    items, names = _shipped_requirements_cached()
    return {req.key: req for req in items}, dict(names)
