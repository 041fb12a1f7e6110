"""The drawn process map: each process as a row of its steps, an inline SVG made at build time.

Every box is coloured and labelled by its step's state (`handbok.figures.step_states`: the
gap in red), and links to the step's section of the list on the same page, which stays the
page's primary content. The SVG is rendered from a Jinja2 template with autoescape, so any
name from data/processes.yml stays text. Knows nothing of MkDocs; no script, no request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

import jinja2

from ..model import Process
from . import text as t

__all__ = ["COLOURS", "PER_ROW", "legend", "process_figure", "text_width", "wrap"]

TEMPLATES = Path(__file__).parent / "templates"
TEXT = t.PROCESS_MAP

# Geometry in SVG user units (CSS pixels when the map is drawn at its own size).
PER_ROW = 4  # four boxes fit the content column beside the table of contents at 1280 px
BOX_W, BOX_H = 148, 116
GAP_X, GAP_Y = 26, 34
MARGIN, PAD = 5, 8
NAME_SIZE, SMALL_SIZE, LINE = 13, 11, 16
NAME_LINES, STATE_LINES = 3, 2
FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"  # the metrics `text_width` assumes


@dataclass(frozen=True)
class Colours:
    fill: str
    stroke: str
    text: str
    label: str
    dash: str = ""  # a dashed edge: colour is never the only sign of a gap
    stroke_width: int = 2


COLOURS: dict[str, Colours] = {  # step state (figures.STEP_STATES) -> colours; text contrast >= 4.5:1
    "gap": Colours("#b3261e", "#5c0f0a", "#ffffff", "#ffffff", dash="7 4", stroke_width=3),
    "overdue": Colours("#fde2e1", "#8a1c13", "#1a1a1a", "#8a1c13", stroke_width=3),
    "due-soon": Colours("#fff1cc", "#8a5a00", "#1a1a1a", "#5c3b00"),
    "unknown": Colours("#f3e5f5", "#5e1a85", "#1a1a1a", "#5e1a85"),
    "current": Colours("#e3f4e8", "#1b5a2c", "#1a1a1a", "#1b5a2c"),
}

# Advance widths in em of Arial/Helvetica (Liberation Sans has the same metrics); a
# character not listed counts as a lower-case letter. Wrapping leaves room for wider fonts.
_NARROW = dict.fromkeys("ijlI|.,:;'!", 0.23) | dict.fromkeys("ftr()[]/ -", 0.32)
_WIDE = dict.fromkeys("mwMW", 0.86) | dict.fromkeys("ABCDEGHKNOQRUVXYÅÄÖÉÜ&%", 0.72)
_SLACK = 1.12


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` in user units, estimated generously."""
    em = sum(_NARROW.get(c) or _WIDE.get(c) or (0.62 if c.isupper() else 0.56) for c in text)
    return em * size * _SLACK * (1.07 if bold else 1.0)


def wrap(text: str, width: float, size: float, lines: int, bold: bool = False) -> list[str]:
    """`text` in at most `lines` lines that fit `width`: broken between words, a word too
    long for a line broken with a hyphen, and the last line ending in "…" when cut short."""
    out: list[str] = []
    current = ""
    for word in text.split():
        if len(out) > lines:  # enough to know that the text is cut short
            break
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            out.append(current)
        current = ""
        for char in word:  # the word alone, broken where the next letter would not fit
            if current and text_width(current + char + "-", size, bold) > width:
                out.append(current + "-")
                current = ""
                if len(out) > lines:
                    break
            current += char
    if current:
        out.append(current)
    if len(out) <= lines:
        return out
    last = out[lines - 1].rstrip("-")
    while last and text_width(last + "…", size, bold) > width:
        last = last[:-1]
    return [*out[: lines - 1], last.rstrip(" -") + "…"]


@dataclass(frozen=True)
class Box:
    number: int
    step_label: str
    name: str
    state: str
    label: str
    href: str
    aria: str
    x: int
    y: int
    colours: Colours
    name_lines: tuple[tuple[int, str], ...]  # (baseline y, text)
    cut: bool  # the name is shortened in the box: the whole name shows on hover
    state_lines: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Arrow:
    path: str
    head: str


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    desc: str
    caption: str
    width: int
    height: int
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    pad: int = PAD
    box_w: int = BOX_W
    box_h: int = BOX_H
    name_size: int = NAME_SIZE
    small_size: int = SMALL_SIZE
    font: str = FONT


def anchor(process: str, step: str) -> str:
    """The id of the step's item in the list (handbok.pages.overview.process_map)."""
    return f"{process}-{step}"


def _box(process: Process, index: int, state: str) -> Box:
    step = process.steps[index]
    row, col = divmod(index, PER_ROW)
    x, y = MARGIN + col * (BOX_W + GAP_X), MARGIN + row * (BOX_H + GAP_Y)
    inner = BOX_W - 2 * PAD
    label = TEXT["states"][state]
    names = (wrap(step.name, inner, NAME_SIZE, NAME_LINES)  # a blank name: its key
             or wrap(step.key, inner, NAME_SIZE, NAME_LINES) or [""])
    labels = wrap(label, inner, SMALL_SIZE, STATE_LINES, bold=True)
    top = y + PAD + SMALL_SIZE + 4 + NAME_SIZE  # below "Steg N"
    bottom = y + BOX_H - PAD - 2  # the state's last line
    total = len(process.steps)
    return Box(
        number=index + 1, step_label=TEXT["step"].format(number=index + 1), name=step.name,
        state=state, label=label,
        href="#" + quote(anchor(process.key, step.key), safe="-._~"),
        aria=TEXT["step_link"].format(number=index + 1, total=total, name=step.name, state=label),
        x=x, y=y, colours=COLOURS[state],
        name_lines=tuple((top + i * LINE, line) for i, line in enumerate(names)),
        cut=names[-1].endswith("…") and not step.name.endswith("…"),
        state_lines=tuple((bottom - (len(labels) - 1 - i) * (SMALL_SIZE + 2), line)
                          for i, line in enumerate(labels)),
    )


def _arrows(count: int) -> list[Arrow]:
    """From each box to the next: across within a row; down, back and down between rows."""
    out = []
    for i in range(count - 1):
        row, col = divmod(i, PER_ROW)
        x, y = MARGIN + col * (BOX_W + GAP_X), MARGIN + row * (BOX_H + GAP_Y)
        if col < PER_ROW - 1:
            cy, x1, x2 = y + BOX_H // 2, x + BOX_W + 2, x + BOX_W + GAP_X - 2
            out.append(Arrow(f"M{x1} {cy}H{x2 - 7}", f"{x2},{cy} {x2 - 8},{cy - 5} {x2 - 8},{cy + 5}"))
        else:
            cx, mid = x + BOX_W // 2, y + BOX_H + GAP_Y // 2
            nx, ny = MARGIN + BOX_W // 2, y + BOX_H + GAP_Y - 2
            out.append(Arrow(f"M{cx} {y + BOX_H + 2}V{mid}H{nx}V{ny - 7}",
                             f"{nx},{ny} {nx - 5},{ny - 8} {nx + 5},{ny - 8}"))
    return out


def _caption(process: Process, states: list[str]) -> str:
    names = {s: [step.name for step, st in zip(process.steps, states, strict=True) if st == s]
             for s in COLOURS}
    gaps = names["gap"]
    out = TEXT["caption"].format(process=process.name, total=len(states), gaps=len(gaps))
    out += (": " + ", ".join(gaps) + ".") if gaps else "."
    for state in ("overdue", "due-soon", "unknown"):
        if names[state]:
            out += " " + TEXT["caption_state"].format(state=TEXT["states"][state], steps=", ".join(names[state]))
    if names["current"]:
        out += " " + TEXT["caption_current"].format(count=len(names["current"]))
    return out


def process_figure(process: Process, step_states: Mapping[tuple[str, str], str], index: int) -> str:
    """One process as a figure: its steps as a row of linked boxes (rows of PER_ROW), with a
    caption that says in words what the picture shows. Empty for a process without steps.

    `step_states` is `handbok.figures.step_states`; `index` makes the SVG's ids unique on the page."""
    if not process.steps:
        return ""
    states = [step_states.get((process.key, s.key), "unknown") for s in process.steps]
    boxes = tuple(_box(process, i, state) for i, state in enumerate(states))
    cols, rows = min(len(boxes), PER_ROW), -(-len(boxes) // PER_ROW)
    figure = Figure(
        id=f"handbok-pmap-{index}",
        title=TEXT["title"].format(process=process.name),
        desc=TEXT["desc"],
        caption=_caption(process, states),
        width=2 * MARGIN + cols * BOX_W + (cols - 1) * GAP_X,
        height=2 * MARGIN + rows * BOX_H + (rows - 1) * GAP_Y,
        boxes=boxes,
        arrows=tuple(_arrows(len(boxes))),
    )
    return str(_template().module.figure(figure))  # type: ignore[attr-defined]


def legend() -> str:
    """What each colour means, as a list (the same label is written in every box)."""
    items = [(state, TEXT["states"][state], COLOURS[state]) for state in COLOURS]
    return str(_template().module.legend(TEXT["legend"], items))  # type: ignore[attr-defined]


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("processmap.html.j2")
