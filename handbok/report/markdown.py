"""The report as Markdown, e.g. for a pull request or an e-mail; values escaped."""

from __future__ import annotations

import datetime as dt
import re

from ..messages import visible
from ..pages import text as t
from .build import Report
from .view import Table, view

__all__ = ["report_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _md(value: object) -> str:
    if isinstance(value, dt.date):
        return t.sv_date(value)
    if value is None:
        return "–"
    text = visible(" ".join(str(value).split()))  # no line breaks inside a table cell
    return _SPECIAL.sub(r"\\\1", text)


def _table(table: Table) -> list[str]:
    if not table.rows:
        return [_md(table.empty), ""]
    out = ["| " + " | ".join(_md(c) for c in table.columns) + " |",
           "|" + "---|" * len(table.columns)]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in table.shown()]
    note = table.limited()
    return [*out, "", *([_md(note), ""] if note else [])]


def report_markdown(report: Report) -> str:
    v = view(report)
    out = [f"# {_md(v.title)}", "", f"**{_md(v.as_of)}** · {_md(v.scope)} · {_md(v.period)}", "",
           _md(v.intro), ""]
    out += [f"> {_md(note)}\n" for note in v.notes]
    assert v.key is not None
    out += [f"## {_md(v.key.heading)}", "", *_table(v.key)]
    for table in v.tables:
        out += [f"## {_md(table.heading)}", "", f"*{_md(table.method)}*", "", *_table(table)]
    return "\n".join(out)
