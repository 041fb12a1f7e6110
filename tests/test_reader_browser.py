# ruff: noqa: F811  (the fixtures imported from test_browser are parameters by name)
"""Issue 9 in headless Chromium on the example site: overview tables that fit at 1280 px and
stack at 390 px, accessibility of every overview page at both widths, and search that finds
an id first and does not call a stemmed word missing."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from test_browser import AXE, _require, browser, serious_violations, site  # noqa: F401 (fixtures, used by name)

pytestmark = pytest.mark.browser

OVERVIEWS = ("", "oversikt/dokumentforteckning/", "oversikt/revisionsplan/", "oversikt/ansvariga/",
             "oversikt/ansvariga/enhetschef-forsorjningsstod/", "oversikt/processkarta/",
             "oversikt/sosfs-2011-9/", "oversikt/lagar-och-foreskrifter/", "oversikt/senast-andrade/")
WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture(params=[WIDE, PHONE], ids=["1280", "390"])
def sized(request: pytest.FixtureRequest, browser: object) -> Iterator[tuple[object, int]]:
    context = browser.new_context(locale="sv-SE", viewport=request.param)  # type: ignore[attr-defined]
    yield context.new_page(), request.param["width"]
    context.close()


_TABLES = """() => [...document.querySelectorAll('article table')].map(table => {
    const box = table.parentElement.getBoundingClientRect(), own = table.getBoundingClientRect();
    const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    const rows = [...table.querySelectorAll('tbody tr')].filter(tr => tr.offsetParent !== null).map(tr =>
        [...tr.children].map(td => {
            const r = td.getBoundingClientRect();
            return {label: td.dataset.label || '', text: td.innerText.trim(),
                    shown: r.width > 0 && r.height > 0 && r.right <= window.innerWidth + 1 && r.left >= -1};
        }));
    return {cls: table.className, width: Math.round(own.width), room: Math.round(box.width),
            scroll: table.parentElement.scrollWidth, heads, rows};
})"""


@pytest.mark.parametrize("path", OVERVIEWS)
def test_overview_tables_fit_and_show_title_status_and_date(sized: tuple[object, int], site: tuple[str, dict],
                                                           path: str) -> None:
    page, width = sized
    base, _ = site
    page.goto(base + path)  # type: ignore[attr-defined]
    tables = page.evaluate(_TABLES)  # type: ignore[attr-defined]
    for table in tables:
        where = f"{path or 'start'} {table['cls']} {table['heads']}"
        if width == 1280:
            assert table["width"] <= table["room"] + 1 and table["scroll"] <= table["room"] + 1, where
        for row in table["rows"]:
            for cell, head in zip(row, table["heads"], strict=False):
                wanted = head in ("Titel", "Dokument", "Status", "Revideras senast", "Datum", "Roll")
                if wanted and cell["text"]:
                    assert cell["shown"], (where, head, cell)
                if width == 390:
                    assert cell["label"] == head, (where, cell)
    sections = ("processkarta", "sosfs-2011-9", "lagar-och-foreskrifter")  # their TOC lists sections
    if width == 1280 and path.startswith("oversikt/") and not any(s in path for s in sections):
        toc = page.locator(".md-sidebar--secondary")  # type: ignore[attr-defined]
        assert toc.count() == 0 or not toc.first.is_visible(), f"{path}: empty TOC column"


@pytest.mark.parametrize("path", [*OVERVIEWS, "guide/skriva-styrdokument/"])
def test_overview_pages_have_no_serious_accessibility_violations(sized: tuple[object, int],
                                                                site: tuple[str, dict], path: str) -> None:
    _require(AXE.is_file(), "axe-core saknas: kör 'npm ci' i tests/browser")
    page, _ = sized
    base, _ = site
    page.goto(base + path, wait_until="networkidle")  # type: ignore[attr-defined]
    serious = serious_violations(page)
    assert not serious, json.dumps(serious, ensure_ascii=False, indent=1)


@pytest.fixture()
def wide(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="sv-SE", viewport=WIDE)  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


def _search(page: object, base: str, query: str) -> list[dict[str, str]]:
    page.goto(base)  # type: ignore[attr-defined]
    box = page.locator("input[data-md-component='search-query']")  # type: ignore[attr-defined]
    box.click()
    box.press_sequentially(query, delay=15)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=20_000)  # type: ignore[attr-defined]
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    return page.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('.md-search-result__item > a')].map(a => ({
            href: a.getAttribute('href'), text: a.innerText,
            missing: [...a.querySelectorAll('.md-search-result__terms del')].map(d => d.textContent)}))""")


@pytest.mark.parametrize("query", ["EB-RUT-008", "eb-rut-008", "Anvisning till arbetsmarknadsenheten"])
def test_an_id_or_a_title_finds_its_document_first(wide: object, site: tuple[str, dict], query: str,
                                                   ) -> None:
    base, _ = site
    found = _search(wide, base, query)
    assert "routines/ekonomiskt-bistand/anvisning-ame/" in found[0]["href"], [f["href"] for f in found]


@pytest.mark.parametrize("query", ["granskningar", "anvisa till arbetsmarknadsenheten"])
def test_a_word_found_through_its_stem_is_not_marked_missing(wide: object, site: tuple[str, dict],
                                                             query: str) -> None:
    base, _ = site
    found = _search(wide, base, query)
    wrong = []
    for hit in found:  # the highlight parameter lists the terms that matched
        matched = parse_qs(urlparse(hit["href"]).query).get("h", [""])[0].split()
        wrong += [(hit["href"], word) for word in hit["missing"]
                  if any(word.lower().startswith(stem) for stem in matched if len(stem) >= 4)]
    assert found and not wrong, wrong


def test_macro_tables_on_docs_pages_stay_out_of_the_index(site: tuple[str, dict]) -> None:
    base, _ = site
    with urllib.request.urlopen(base + "search/search_index.json") as response:  # noqa: S310 (localhost)
        index = json.load(response)
    start = [d for d in index["docs"] if d["location"].split("#")[0] == ""]
    assert start and not any("IdTitel" in d["text"] or "Revideras senast" in d["text"] for d in start)


def test_the_id_address_leads_to_the_document(wide: object, site: tuple[str, dict]) -> None:
    base, _ = site
    wide.goto(base + "id/EB-RUT-008/")  # type: ignore[attr-defined]
    wide.wait_for_url("**/routines/ekonomiskt-bistand/anvisning-ame/", timeout=10_000)  # type: ignore[attr-defined]
    assert wide.locator("article h1").first.inner_text().startswith("Anvisning till arbetsmarknadsenheten")  # type: ignore[attr-defined]


def test_a_printed_document_has_panel_status_footer_and_page_numbers(wide: object, site: tuple[str, dict],
                                                                     tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    base, _ = site
    wide.goto(base + "routines/ekonomiskt-bistand/anvisning-ame/", wait_until="networkidle")  # type: ignore[attr-defined]
    button = wide.get_by_role("button", name="Skriv ut")  # type: ignore[attr-defined]
    assert button.is_visible()
    feedback = wide.get_by_role("link", name="Lämna synpunkt på dokumentet")  # type: ignore[attr-defined]
    href = feedback.get_attribute("href")
    assert href.startswith("mailto:anna.exempel@") and "EB-RUT-008" in href and "Version%3A%202.0" in href
    assert "id%2FEB-RUT-008%2F" in href  # the stable address
    pdf = tmp_path / "utskrift.pdf"
    wide.pdf(path=str(pdf), format="A4")  # type: ignore[attr-defined]
    pages = [p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages]
    text = " ".join(" ".join(pages).split())
    assert "Dokumentinformation" in text and "Revisionsstatus" in text and "Aktuell" in text
    assert "Kontrollera att du har gällande version:" in text and "Utskriven " in text
    assert "id/EB-RUT-008/" in text
    assert f"1 / {len(pages)}" in " ".join(pages[0].split())
    for absent in ("Skriv ut", "Lämna synpunkt", "Översikter", "Dokumentförteckning", "För redaktören"):
        assert absent not in text, absent


def test_sort_headers_show_they_sort_and_history_dates_keep_together(wide: object,
                                                                     site: tuple[str, dict]) -> None:
    base, _ = site
    wide.goto(base + "oversikt/dokumentforteckning/")  # type: ignore[attr-defined]
    marks = wide.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('table.handbok-register th button')].map(
            b => getComputedStyle(b, '::after').content)""")
    assert marks and all(m not in ("none", "normal", '""') for m in marks), marks
    wide.goto(base + "routines/ekonomiskt-bistand/anvisning-ame/")  # type: ignore[attr-defined]
    spaces = wide.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('table.handbok-history tbody td:first-child')].map(
            td => [getComputedStyle(td).whiteSpace, td.getClientRects().length && td.getBoundingClientRect().height])""")
    assert spaces and all(ws == "nowrap" for ws, _ in spaces), spaces


def test_a_filtered_register_has_an_address_to_share_and_the_header_link_says_what_it_is(
        wide: object, site: tuple[str, dict]) -> None:
    base, _ = site
    wide.goto(base + "oversikt/dokumentforteckning/")  # type: ignore[attr-defined]
    wide.select_option("#handbok-filter-status", "overdue")  # type: ignore[attr-defined]
    wide.fill("#handbok-filter-text", "samverkan")  # type: ignore[attr-defined]
    wide.wait_for_url("**/dokumentforteckning/?*text=samverkan*", timeout=5_000)  # type: ignore[attr-defined]
    assert "status=overdue" in wide.url  # type: ignore[attr-defined]
    shared = wide.url  # type: ignore[attr-defined]
    wide.goto(base)  # type: ignore[attr-defined]
    wide.goto(shared)  # type: ignore[attr-defined]
    shown = wide.locator("table.handbok-register tbody tr:not([hidden])")  # type: ignore[attr-defined]
    assert shown.count() >= 1
    assert all("Revisionsdatum passerat" in row for row in shown.all_inner_texts())
    assert wide.locator(".md-source__repository").first.inner_text().startswith(  # type: ignore[attr-defined]
        "Handbokens källfiler")


def test_field_names_in_the_guide_stay_whole_on_a_phone(browser: object, site: tuple[str, dict]) -> None:
    context = browser.new_context(locale="sv-SE", viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    base, _ = site
    page.goto(base + "guide/skriva-styrdokument/")
    lines = page.evaluate("""() => [...document.querySelectorAll('article table td:first-child code')]
        .map(c => [c.textContent, c.getClientRects().length])""")
    context.close()
    broken = [name for name, rects in lines if rects > 1]
    assert lines and not broken, broken
