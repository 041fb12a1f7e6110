"""The overview pages' tables: one wrapper, and each cell labelled with its column.

The label (`data-label`) is what a phone shows beside a cell when the stylesheet stacks a
row into a card (handbok.css): a row then still says which date is "Revideras senast".
"""

from __future__ import annotations

import re

from .text import e

__all__ = ["table"]

_CELL_RE = re.compile(r"<td(?=[\s>])")  # a cell's start tag; escaped metadata holds no "<"


def table(head: tuple[str, ...], rows: list[str], cls: str = "handbok-list", attrs: str = "") -> str:
    """A table with a header row, each body cell labelled, in a scrolling wrapper."""
    th = "".join(f'<th scope="col">{e(h)}</th>' for h in head)
    labels = [f' data-label="{e(h)}"' for h in head]
    body = "".join(_labelled(row, labels) for row in rows)
    return (f'<div class="handbok-scroll"><table class="{cls}"{attrs}><thead><tr>{th}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _labelled(row: str, labels: list[str]) -> str:
    parts = _CELL_RE.split(row)  # the text before the first cell, then each cell's rest
    return parts[0] + "".join(f"<td{labels[i] if i < len(labels) else ''}{rest}"
                              for i, rest in enumerate(parts[1:]))
