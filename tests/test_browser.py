"""What a reader sees: the example site in headless Chromium, served on localhost.

Needs Debian's `chromium` (scripts/setup.sh --test installs it) and axe-core from
npm (tests/browser). Outside CI the tests skip when Chromium is missing; in CI
they fail, so a missing install step cannot pass unnoticed.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests/browser/node_modules/axe-core/axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TODAY = "2026-11-22"

pytestmark = pytest.mark.browser


def _require(ok: bool, why: str) -> None:
    if ok:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    """The example handbook, built and served on 127.0.0.1; yields (base URL, handbok.json)."""
    out = tmp_path_factory.mktemp("example") / "site"
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"})
    run = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-d", str(out)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", json.loads((out / "handbok.json").read_text("utf-8"))
    finally:
        server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require(Path(CHROMIUM).exists(), "Chromium saknas (Debian-paketet chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: object, site: tuple[str, dict]) -> Iterator[object]:
    """A fresh page that records every request it makes."""
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
    yield page
    context.close()


def _page_url(base: str, path: str) -> str:
    return base + path[: -len(".md")] + "/"


def test_overdue_banner_is_visible(page: object, site: tuple[str, dict]) -> None:
    base, data = site
    overdue = [d for d in data["documents"] if d["status"] == "overdue"]
    assert overdue, "the example handbook must have an overdue document"
    page.goto(_page_url(base, overdue[0]["path"]))  # type: ignore[attr-defined]
    banner = page.locator(".handbok-banner.danger")  # type: ignore[attr-defined]
    banner.wait_for(state="visible")
    assert "skulle ha reviderats senast" in banner.inner_text()
    assert page.locator(".handbok-panel h2").inner_text() == "Dokumentinformation"  # type: ignore[attr-defined]


def test_swedish_search_stems(page: object, site: tuple[str, dict]) -> None:
    base, _ = site
    page.goto(base)  # type: ignore[attr-defined]
    query = page.locator("input[data-md-component='search-query']")  # type: ignore[attr-defined]
    query.click()
    query.press_sequentially("granskningar", delay=20)
    results = page.locator(".md-search-result__item")  # type: ignore[attr-defined]
    results.first.wait_for(state="visible", timeout=20_000)
    # The index holds stems only ("granskning"), so any hit at all for the inflected
    # form comes through the stem; without stemming this search finds nothing.
    texts = [t.lower() for t in results.all_inner_texts()]
    assert texts and all("gransk" in text for text in texts), texts
    assert any("aktgranskning" in text or "egenkontroll" in text for text in texts), texts


def test_register_filter(page: object, site: tuple[str, dict]) -> None:
    base, data = site
    page.goto(base + "oversikt/dokumentforteckning/")  # type: ignore[attr-defined]
    rows = page.locator("table.handbok-register tbody tr")  # type: ignore[attr-defined]
    total = len(data["documents"])
    assert rows.count() == total
    overdue = sum(1 for d in data["documents"] if d["status"] == "overdue")
    page.select_option("#handbok-filter-status", "overdue")  # type: ignore[attr-defined]
    visible = page.locator("table.handbok-register tbody tr:visible")  # type: ignore[attr-defined]
    assert visible.count() == overdue
    assert page.locator("[data-handbok-count]").inner_text() == f"Visar {overdue} av {total} dokument"  # type: ignore[attr-defined]
    page.select_option("#handbok-filter-status", "")  # type: ignore[attr-defined]
    page.fill("#handbok-filter-text", "närvaro")  # type: ignore[attr-defined]
    matching = page.locator("table.handbok-register tbody tr:visible")  # type: ignore[attr-defined]
    assert 0 < matching.count() < total
    for text in matching.all_inner_texts():
        assert "närvaro" in text.lower()
    page.fill("#handbok-filter-text", "")  # type: ignore[attr-defined]
    page.locator("table.handbok-register thead th").last.locator("button").click()  # type: ignore[attr-defined]
    dates = [r.get_attribute("data-sort") for r in page.locator(  # type: ignore[attr-defined]
        "table.handbok-register tbody tr td:last-child").all()]
    filled = [d for d in dates if d]
    assert filled == sorted(filled)


def test_no_request_leaves_localhost(page: object, site: tuple[str, dict]) -> None:
    base, data = site
    for path in ("", "oversikt/dokumentforteckning/", "oversikt/processkarta/",
                 _page_url("", data["documents"][0]["path"])):
        page.goto(base + path, wait_until="networkidle")  # type: ignore[attr-defined]
    query = page.locator("input[data-md-component='search-query']")  # type: ignore[attr-defined]
    query.click()
    query.press_sequentially("rutin", delay=20)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=20_000)  # type: ignore[attr-defined]
    page.wait_for_timeout(1000)  # type: ignore[attr-defined]
    hosts = {urlparse(url).hostname for url in page.requests if url.startswith(("http:", "https:", "ws:"))}  # type: ignore[attr-defined]
    assert hosts == {"127.0.0.1"}, page.requests  # type: ignore[attr-defined]


@pytest.mark.parametrize("which", ["start", "register", "document", "process-map", "accessibility"])
def test_no_serious_accessibility_violations(page: object, site: tuple[str, dict], which: str) -> None:
    _require(AXE.is_file(), "axe-core saknas: kör 'npm ci' i tests/browser")
    base, data = site
    overdue = next(d for d in data["documents"] if d["status"] == "overdue")
    path = {"start": "", "register": "oversikt/dokumentforteckning/", "process-map": "oversikt/processkarta/",
            "document": _page_url("", overdue["path"]), "accessibility": "tillganglighetsredogorelse/"}[which]
    page.goto(base + path, wait_until="networkidle")  # type: ignore[attr-defined]
    serious = serious_violations(page)
    assert not serious, json.dumps(serious, ensure_ascii=False, indent=1)


def serious_violations(page: object) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 AA violations on the page as it stands."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    found = page.evaluate(  # type: ignore[attr-defined]
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]
