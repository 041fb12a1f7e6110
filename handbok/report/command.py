"""`handbok report`: check the handbook, build the report, write it."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..core import Result
from ..links import document_url, site_url
from . import FORMATS, SUFFIXES, build_report, render_report
from . import texts as x

__all__ = ["FORMATS", "Outcome", "run_report"]



@dataclass
class Outcome:
    code: int
    err: list[str] = field(default_factory=list)


def run_report(result: Result, fmt: str, start: dt.date | None, unit: str | None,
               output: str | None) -> Outcome:
    """Exit 0 written, 2 could not run (unknown unit, bad period, unwritable file)."""
    assert fmt in FORMATS
    org = result.org
    if unit is not None and unit not in (org.units or {}):
        known = ", ".join(sorted(org.units or {})) or "–"
        return Outcome(2, [x.UNKNOWN_UNIT.format(unit=unit, known=known)])
    if start is not None and start > result.today:
        return Outcome(2, [x.FROM_AFTER_TODAY.format(start=start, today=result.today)])
    binary = fmt in ("pdf", "xlsx")
    name = f"internkontroll-{result.today.isoformat()}{SUFFIXES[fmt]}"
    if output is None and binary and sys.stdout.isatty():
        return Outcome(2, [x.BINARY_TO_TERMINAL.format(fmt=fmt, name=name)])
    site = site_url(result.root)
    report = build_report(result, start, unit)
    data = render_report(report, fmt, lambda doc: document_url(site, doc))
    if output is None or output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return Outcome(0)
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        return Outcome(2, [x.NOT_WRITTEN.format(path=output, reason=exc.strerror or exc)])
    return Outcome(0, [x.WROTE.format(path=output)])
