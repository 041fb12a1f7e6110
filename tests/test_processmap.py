"""Issue 9, item 14: the drawn process map. First the core without MkDocs (the step states
from handbok.figures, the SVG of handbok.pages.processmap), then real builds: one inline SVG
per process, held out of the search index, hostile names kept as text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import TODAY, CopyFixture
from htmlscan import scan_site

from handbok import figures
from handbok.core import Result, check_handbook
from handbok.model import Process, Step
from handbok.pages import overview, processmap
from handbok.pages import text as t

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")
INNER = processmap.BOX_W - 2 * processmap.PAD
GAP_FILL = "#b3261e"

HOSTILE_PROCESSES = """\
ekonomiskt-bistand:
  name: <script>alert("process")</script>
  steps:
    ansokan: {name: '"><img src=x onerror=alert(1)>'}
    utredning: {name: "<script>alert(1)</script>"}
    'x" onmouseover="alert(2)': {name: "</text></svg><img src=y onerror=alert(3)>"}
"""


class Tree(HTMLParser):
    """Every element (tag, attributes, its own text) of an HTML fragment, in order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "inside": [e["tag"] for e in self.open]}
        self.elements.append(element)
        if tag not in ("rect", "path", "polygon", "img", "input", "br", "meta", "link"):
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": "",
                              "inside": [e["tag"] for e in self.open]})

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i]["tag"] == tag:
                del self.open[i:]
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element["text"] += data

    def all(self, tag: str, cls: str | None = None) -> list[dict]:
        return [e for e in self.elements if e["tag"] == tag
                and (cls is None or cls in (e["attrs"].get("class") or "").split())]


def _example() -> Result:
    return check_handbook(ROOT, TODAY)


def _figures(html: str) -> list[str]:
    out, start = [], 0
    while (i := html.find('<figure class="handbok-pmap"', start)) != -1:
        end = html.index("</figure>", i) + len("</figure>")
        out.append(html[i:end])
        start = end
    return out


def test_a_steps_state_is_its_gap_or_the_worst_status_of_its_documents_in_force(
        checked, copy_fixture: CopyFixture) -> None:
    result = checked("basic")
    states = figures.step_states(result.documents, result.states, result.org)
    # T-001 current, T-002 overdue; anvisning-ame has only a draft: a gap, as step_gaps says.
    assert states == {("ekonomiskt-bistand", "ansokan"): "current",
                      ("ekonomiskt-bistand", "utredning"): "overdue",
                      ("ekonomiskt-bistand", "anvisning-ame"): "gap"}
    assert {(s.process, s.key) for s in figures.step_gaps(result.documents, result.org)} == {
        k for k, v in states.items() if v == "gap"}
    root = copy_fixture("basic")
    due_soon = root / "routines/sub/due-soon.md"
    due_soon.write_text(due_soon.read_text("utf-8").replace(
        "decision_date: 2025-12-15\n", "decision_date: 2025-12-15\nprocesses: [ansokan]\n"), "utf-8")
    result = check_handbook(root, TODAY)
    states = figures.step_states(result.documents, result.states, result.org)
    assert result.state(next(d for d in result.documents if d.id == "T-003")).status == "due-soon"
    assert states[("ekonomiskt-bistand", "ansokan")] == "due-soon"  # current + due soon: due soon


def test_each_process_is_a_figure_of_linked_boxes_coloured_by_the_steps_state() -> None:
    result = _example()
    html = overview.process_map(result, lambda d: d.path)
    states = figures.step_states(result.documents, result.states, result.org)
    processes = [p for p in (result.org.processes or {}).values() if p.steps]
    found = _figures(html)
    assert len(found) == len(processes) >= 3
    ids = {e["attrs"].get("id") for e in Tree(html).elements}
    gaps = {(s.process, s.key) for s in figures.step_gaps(result.documents, result.org)}
    assert gaps, "the example handbook must have a gap"
    for process, figure in zip(processes, found, strict=True):
        tree = Tree(figure)
        (svg,) = tree.all("svg")
        assert svg["attrs"]["role"] == "group" and "script" not in {e["tag"] for e in tree.elements}
        (title,) = [e for e in tree.all("title") if e["attrs"].get("id")]
        assert svg["attrs"]["aria-labelledby"] == title["attrs"]["id"] and process.name in title["text"]
        (desc,) = tree.all("desc")
        assert svg["attrs"]["aria-describedby"] == desc["attrs"]["id"] and desc["text"] == t.PROCESS_MAP["desc"]
        (caption,) = tree.all("figcaption")
        process_gaps = [s.name for s in process.steps if (process.key, s.key) in gaps]
        assert caption["text"].startswith(
            f"{process.name}: {len(process.steps)} steg, varav {len(process_gaps)} saknar gällande rutin")
        assert all(name in caption["text"] for name in process_gaps)
        links = tree.all("a")
        assert len(links) == len(process.steps)
        for number, (step, link) in enumerate(zip(process.steps, links, strict=True), 1):
            state = states[(process.key, step.key)]
            label = t.PROCESS_MAP["states"][state]
            assert link["attrs"]["href"] == f"#{process.key}-{step.key}" and link["attrs"]["href"][1:] in ids
            assert link["attrs"]["data-state"] == state
            assert link["attrs"]["aria-label"] == f"Steg {number} av {len(process.steps)}: {step.name}. {label}."
            text = " ".join(link["text"].split())
            assert f"Steg {number}" in text and label.replace(" ", "") in text.replace(" ", "")
            rect = next(e for e in tree.elements[tree.elements.index(link):] if e["tag"] == "rect")
            assert rect["attrs"]["fill"] == processmap.COLOURS[state].fill
            assert (rect["attrs"]["fill"] == GAP_FILL) == (state == "gap")
            assert ("stroke-dasharray" in rect["attrs"]) == (state == "gap")  # not colour alone


def test_the_legend_names_every_state_once_and_nothing_is_fetched() -> None:
    html = overview.process_map(_example(), lambda d: d.path)
    tree = Tree(html)
    (legend,) = tree.all("div", "handbok-pmap-legend")
    items = [" ".join(e["text"].split()) for e in tree.all("li") if "div" in e["inside"]
             and e["text"].strip() in t.PROCESS_MAP["states"].values()]
    assert items == list(t.PROCESS_MAP["states"].values())
    assert t.PROCESS_MAP["legend"] in legend["text"]
    for figure in _figures(html):
        assert "<script" not in figure and "<img" not in figure and "<image" not in figure
        assert figure.count("http") == figure.count('xmlns="http://www.w3.org/2000/svg"')  # the namespace only


@pytest.mark.parametrize("name", [
    "Anvisning till arbetsmarknadsenheten",
    "Återrapportering till försörjningsstöd",
    "Samordnad individuell plan (SIP) med regionens hälso- och sjukvård och Försäkringskassan vid långvarigt försörjningsstöd",
    "Arbetsmarknadsintroduktionsverksamhetsuppföljningsdokumentation",
    "W" * 60,
    "i",
])
def test_long_swedish_step_names_wrap_within_the_box_and_are_cut_with_an_ellipsis(name: str) -> None:
    lines = processmap.wrap(name, INNER, processmap.NAME_SIZE, processmap.NAME_LINES)
    assert 1 <= len(lines) <= processmap.NAME_LINES
    assert all(processmap.text_width(line, processmap.NAME_SIZE) <= INNER for line in lines), lines
    whole = "".join(line.removesuffix("-") for line in lines).replace(" ", "")
    if lines[-1].endswith("…"):
        assert name.replace(" ", "").startswith(whole.removesuffix("…"))
    else:
        assert whole == name.replace(" ", "")


def test_a_shortened_name_shows_whole_on_hover_and_a_blank_one_falls_back_to_its_key() -> None:
    long = "Samordnad individuell plan med regionens hälso- och sjukvård och Försäkringskassan"
    process = Process("p", "P", (Step("lang", long, "p"), Step("kort", "Utredning", "p"), Step("tom", "  ", "p")))
    tree = Tree(processmap.process_figure(process, {}, 1))
    links = tree.all("a")
    assert [e["text"] for e in tree.all("title") if "a" in e["inside"]] == [long]
    assert "…" in links[0]["text"] and long in links[0]["attrs"]["aria-label"]
    assert "Utredning" in links[1]["text"] and "tom" in links[2]["text"]
    assert [link["attrs"]["data-state"] for link in links] == ["unknown"] * 3  # no state given
    assert processmap.process_figure(Process("q", "Q", ()), {}, 2) == ""


def _hostile(copy_fixture: CopyFixture) -> Path:
    root = copy_fixture("basic")
    (root / "data/processes.yml").write_text(HOSTILE_PROCESSES, encoding="utf-8")
    return root


def _assert_names_are_text(html: str) -> None:
    tree = Tree(html)
    assert len(tree.all("figure", "handbok-pmap")) == 1
    tags = {e["tag"] for e in tree.elements}
    assert "script" not in tags and "img" not in tags, tags
    assert not [(e["tag"], k) for e in tree.elements for k in e["attrs"] if k.startswith("on")]
    text = " ".join(e["text"] for e in tree.all("text") + tree.all("title") + tree.all("figcaption"))
    assert '<script>alert("process")</script>' in text
    assert "<script>alert(1)</script>" in text and "&lt;" not in text
    links = [e["attrs"] for e in tree.all("a", "handbok-pmap__step")]
    assert '"><img src=x onerror=alert(1)>' in links[0]["aria-label"]
    assert links[2]["href"] == "#ekonomiskt-bistand-x%22%20onmouseover%3D%22alert%282%29"


def test_hostile_names_stay_text_in_the_svg(copy_fixture: CopyFixture) -> None:
    result = check_handbook(_hostile(copy_fixture), TODAY)
    _assert_names_are_text(overview.process_map(result, lambda d: d.path))


def _build(root: Path, site: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY")}
    env.update({"HANDBOK_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"})
    run = subprocess.run([str(MKDOCS), "build", "-d", str(site)], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr


@pytest.mark.site
def test_hostile_names_stay_text_in_a_built_site(copy_fixture: CopyFixture, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _build(_hostile(copy_fixture), site)
    html = (site / "oversikt/processkarta/index.html").read_text("utf-8")
    _assert_names_are_text(html[html.index("<article"):html.index("</article>")])
    assert scan_site(site, routines="oversikt/processkarta/") == []  # nothing in the site runs


@pytest.mark.site
def test_the_built_map_is_inline_on_its_page_and_kept_out_of_the_search_index(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _build(ROOT, site)
    html = (site / "oversikt/processkarta/index.html").read_text("utf-8")
    found = _figures(html)
    assert len(found) == 3 and all(f.count('class="handbok-pmap__step') >= 6 for f in found)
    assert '<div class="handbok-pmap-legend">' in html and "<!--handbok-list-" not in html
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("oversikt/processkarta/"))
    assert "Återrapportering till försörjningsstöd" in text  # the list is searchable
    for drawn in (t.PROCESS_MAP["desc"], t.PROCESS_MAP["legend"], "Steg 1", "Processkarta:", "bistånd: 10 steg"):
        assert drawn not in text, drawn
