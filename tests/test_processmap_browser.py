# ruff: noqa: F811  (the fixtures imported from test_browser are parameters by name)
"""Issue 9, item 14 in headless Chromium on the example site: the drawn process map. Every
process a row of linked boxes coloured by state, readable at 1280 and 390 px, axe-clean,
each box leading to its step's documents, and the page printed on A4 landscape."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import AXE, _require, browser, serious_violations, site  # noqa: F401 (fixtures, used by name)

pytestmark = pytest.mark.browser

PAGE = "oversikt/processkarta/"
WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
GAP_STEP = "Återrapportering till försörjningsstöd"  # the example's one step without a routine

_BOXES = """() => [...document.querySelectorAll('figure.handbok-pmap')].map(figure => {
    const scroll = figure.querySelector('.handbok-pmap__scroll'), svg = figure.querySelector('svg');
    return {
        caption: figure.querySelector('figcaption').textContent,
        shown: svg.getBoundingClientRect().width > 0 && svg.getBoundingClientRect().height > 0,
        client: scroll.clientWidth, scroll: scroll.scrollWidth,
        boxes: [...svg.querySelectorAll('a')].map(a => {
            const rect = a.querySelector('rect'), box = rect.getBBox();
            return {
                href: a.getAttribute('href'), name: a.getAttribute('aria-label'), state: a.dataset.state,
                fill: getComputedStyle(rect).fill, dash: getComputedStyle(rect).strokeDasharray,
                texts: [...a.querySelectorAll('tspan, text.handbok-pmap__number')].map(t => {
                    const b = t.getBBox();
                    return {text: t.textContent, inside: b.x >= box.x + 1 && b.x + b.width <= box.x + box.width - 1
                            && b.y >= box.y && b.y + b.height <= box.y + box.height};
                }),
                target: !!document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1))),
            };
        }),
    };
})"""


@pytest.fixture(params=[WIDE, PHONE], ids=["1280", "390"])
def sized(request: pytest.FixtureRequest, browser: object) -> Iterator[tuple[object, int]]:
    context = browser.new_context(locale="sv-SE", viewport=request.param)  # type: ignore[attr-defined]
    yield context.new_page(), request.param["width"]
    context.close()


def test_each_process_is_drawn_as_linked_boxes_whose_text_fits(sized: tuple[object, int],
                                                               site: tuple[str, dict]) -> None:
    page, width = sized
    base, _ = site
    page.goto(base + PAGE, wait_until="networkidle")  # type: ignore[attr-defined]
    drawn = page.evaluate(_BOXES)  # type: ignore[attr-defined]
    assert [re.match(r"(.+?): (\d+) steg", f["caption"])[1] for f in drawn] == [  # type: ignore[index]
        "Ekonomiskt bistånd", "Arbetsmarknadsinsatser", "Ledning och kvalitet"]
    for figure in drawn:
        assert figure["shown"] and len(figure["boxes"]) == int(re.search(r"(\d+) steg", figure["caption"])[1])  # type: ignore[index]
        if width == 1280:  # the whole row in view, no scrolling
            assert figure["scroll"] <= figure["client"] + 1, figure["caption"]
        for box in figure["boxes"]:
            assert box["target"] and box["name"].startswith("Steg "), box
            assert all(t["inside"] for t in box["texts"]), box  # no name runs out of its box
            assert (box["fill"] == "rgb(179, 38, 30)") == (box["state"] == "gap"), box  # the gap in red
            assert (box["dash"] != "none") == (box["state"] == "gap"), box  # and dashed: not colour alone
    gap = [b for f in drawn for b in f["boxes"] if b["state"] == "gap"]
    assert [b["name"] for b in gap] == [f"Steg 5 av 6: {GAP_STEP}. Saknar gällande rutin."]
    if width == 390:  # a readable size that scrolls sideways, rather than a picture too small to read
        assert all(f["scroll"] > f["client"] for f in drawn)


def test_the_process_map_page_has_no_serious_accessibility_violations(sized: tuple[object, int],
                                                                      site: tuple[str, dict]) -> None:
    _require(AXE.is_file(), "axe-core saknas: kör 'npm ci' i tests/browser")
    page, _ = sized
    base, _ = site
    page.goto(base + PAGE, wait_until="networkidle")  # type: ignore[attr-defined]
    assert page.locator("figure.handbok-pmap svg a").count() == 23  # type: ignore[attr-defined]
    serious = serious_violations(page)
    assert not serious, json.dumps(serious, ensure_ascii=False, indent=1)


def test_a_box_is_a_link_to_its_steps_documents_by_mouse_and_keyboard(browser: object,
                                                                      site: tuple[str, dict]) -> None:
    base, _ = site
    context = browser.new_context(locale="sv-SE", viewport=WIDE)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base + PAGE, wait_until="networkidle")
    page.get_by_role("link", name=re.compile(f"^Steg 5 av 6: {GAP_STEP}")).click()
    page.wait_for_url(f"**/{PAGE}#arbetsmarknadsinsatser-aterrapportering", timeout=5_000)
    step = page.locator("#arbetsmarknadsinsatser-aterrapportering")
    assert "Saknar gällande rutin" in step.inner_text() and step.is_visible()
    assert page.evaluate("() => { const r = document.getElementById('arbetsmarknadsinsatser-aterrapportering')"
                         ".getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    page.goto(base + PAGE, wait_until="networkidle")
    page.locator("figure.handbok-pmap svg a").first.focus()
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("Steg 1 av 10: Nybesök och ansökan. ")  # then the step's state
    page.keyboard.press("Tab")  # the next box
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith("Steg 2 av 10:")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{PAGE}#ekonomiskt-bistand-utredning", timeout=5_000)
    context.close()


def test_the_process_map_prints_on_a4_landscape_with_no_map_cut_across_sheets(
        browser: object, site: tuple[str, dict], tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    base, _ = site
    context = browser.new_context(locale="sv-SE", viewport=WIDE)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base + PAGE, wait_until="networkidle")
    pdf = tmp_path / "processkarta.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)  # the page's own @page size
    page.emulate_media(media="print")
    avoid = page.evaluate("() => [...document.querySelectorAll('figure.handbok-pmap')].map("
                          "f => getComputedStyle(f).breakInside)")
    context.close()
    assert avoid == ["avoid"] * 3
    sheets = pypdf.PdfReader(str(pdf)).pages
    for sheet in sheets:  # A4 landscape: 297 x 210 mm
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert width > height and abs(width - 841.9) < 2 and abs(height - 595.3) < 2, (width, height)
    texts = [" ".join(sheet.extract_text().split()) for sheet in sheets]
    for process, steps, last in (("Ekonomiskt bistånd", 10, "Avslut av ärende"),
                                 ("Arbetsmarknadsinsatser", 6, "Avslut av insats"),
                                 ("Ledning och kvalitet", 7, "Personalens medverkan")):
        # The caption and every box of a map are on one sheet: the map is not cut.
        (sheet,) = [text for text in texts if f"{process}: {steps} steg" in text]
        assert "Steg 1" in sheet and f"Steg {steps}" in sheet and last in sheet, sheet
        if process == "Ekonomiskt bistånd":  # and its heading and description stay with it
            assert "Från första kontakt till avslutat ärende" in sheet, sheet
    assert "Saknar gällande rutin" in " ".join(texts) and "Återrapportering till" in " ".join(texts)
