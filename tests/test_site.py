"""Real `mkdocs build` runs on fixture handbooks, asserting on the HTML."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from htmlscan import scan_site

FIXTURES = Path(__file__).parent / "fixtures"
MKDOCS = Path(sys.executable).with_name("mkdocs")
TODAY = "2026-11-22"

pytestmark = pytest.mark.site


def build(fixture: str, tmp_path: Path, ci: bool = False, extra_env: dict[str, str] | None = None,
          ) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Copy a fixture handbook to tmp_path and build it; return the run and the site dir."""
    root = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, root)
    site = tmp_path / f"{fixture}-site"
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY")}
    env.update({"HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"})
    if ci:
        env["CI"] = "true"
    env.update(extra_env or {})
    run = subprocess.run([str(MKDOCS), "build", "-d", str(site)], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    return run, site


def article(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    start = html.index("<article")
    return html[start:html.index("</article>", start)]


class Text(HTMLParser):
    """The visible text of an HTML fragment, and every element's tag and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def parse(html: str) -> Text:
    parser = Text()
    parser.feed(html)
    return parser


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", "".join(parse(html).parts))


@pytest.fixture(scope="module")
def basic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run, site = build("basic", tmp_path_factory.mktemp("basic"))
    assert run.returncode == 0, run.stderr
    return site


def test_document_page_has_panel_with_every_field(basic: Path) -> None:
    page = text_of(article(basic, "routines/current"))
    for label in ("Dokumentinformation", "Dokumenttyp", "Status", "Fastställd av", "Fastställd",
                  "Diarienummer", "Dokumentansvarig", "Senast granskad", "Revideras senast", "Version"):
        assert label in page
    assert "Förvaltningschef" in page  # decided_by shown as the role's title
    assert "Enhetschef försörjningsstöd (Anna Exempel)" in page  # owner with holder
    assert "1 juni 2026" in page and "SN 2026/1 § 2" in page and "1 juni 2027" in page
    assert "Revisionshistorik" in page and "Ny arbetsgång" in page
    assert "Relaterade dokument" in page and "Utredning (T-002)" in page


def test_overdue_banner_names_date_and_owner(basic: Path) -> None:
    page = text_of(article(basic, "routines/overdue"))
    assert "Rutinen skulle ha reviderats senast 20 april 2016." in page
    assert "Dokumentansvarig: Enhetschef försörjningsstöd (Anna Exempel)" in page
    assert "Dokument som hänvisar hit" in page and "Ansökan om ekonomiskt bistånd (T-001)" in page


def test_due_soon_draft_and_repealed_banners(basic: Path) -> None:
    assert "Instruktionen ska revideras senast 15 december 2026 (om 23 dagar)." in text_of(
        article(basic, "routines/sub/due-soon"))
    assert "Detta är ett utkast" in text_of(article(basic, "routines/sub/draft"))
    repealed = article(basic, "routines/sub/repealed")
    assert "Rutinen är upphävd" in text_of(repealed)
    links = [a.get("href") for tag, a in parse(repealed).tags if tag == "a"]
    assert "../../current/" in links  # the successor, linked


def test_current_page_has_no_banner(basic: Path) -> None:
    assert "handbok-banner" not in article(basic, "routines/current")


def test_edit_link_points_at_source_file(tmp_path: Path) -> None:
    root = tmp_path / "basic"
    shutil.copytree(FIXTURES / "basic", root)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config += "repo_url: https://git.example/org/handbok\nedit_uri: edit/main/docs/\n"
    config = config.replace("language: sv", "language: sv\n  features: [content.action.edit]")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    env = {**os.environ, "HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("CI", None)
    run = subprocess.run([str(MKDOCS), "build", "-d", str(tmp_path / "site")], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    html = (tmp_path / "site/routines/sub/draft/index.html").read_text(encoding="utf-8")
    assert 'href="https://git.example/org/handbok/edit/main/routines/sub/draft.md"' in html


def test_register_lists_every_document_with_filters(basic: Path) -> None:
    html = article(basic, "oversikt/dokumentforteckning")
    rows = re.findall(r"<tr data-unit=[^>]*>", html)
    assert len(rows) == 5
    assert 'data-status="overdue"' in html and 'data-status="draft"' in html
    tags = parse(html).tags
    selects = {a.get("data-filter") for tag, a in tags if tag in ("select", "input")}
    assert selects == {"text", "unit", "type", "status", "owner"}
    labels = {a.get("for") for tag, a in tags if tag == "label"}
    ids = {a.get("id") for tag, a in tags if tag in ("select", "input")}
    assert ids <= labels  # every filter has a label
    assert (basic / "assets/handbok/handbok.js").is_file()
    page = (basic / "oversikt/dokumentforteckning/index.html").read_text(encoding="utf-8")
    assert "assets/handbok/handbok.js" in page


def test_review_plan_overdue_first_then_months(basic: Path) -> None:
    page = text_of(article(basic, "oversikt/revisionsplan"))
    assert page.index("Revisionsdatum passerat (1)") < page.index("Utredning")
    assert page.index("Utredning") < page.index("December 2026 (1)")
    assert page.index("December 2026 (1)") < page.index("Anvisning till AME") < page.index("Januari 2027")
    assert "Juni 2027 (1)" in page  # current.md falls due 2027-06-01


def test_owner_pages(basic: Path) -> None:
    index = text_of(article(basic, "oversikt/ansvariga"))
    assert "Enhetschef försörjningsstöd" in index and "Enhetschef arbetsmarknad" in index
    mine = text_of(article(basic, "oversikt/ansvariga/enhetschef-forsorjningsstod"))
    assert "Att granska härnäst (1)" in mine
    assert mine.index("Att granska härnäst") < mine.index("Utredning") < mine.index("Alla dokument")


def test_process_map_marks_the_gap(basic: Path) -> None:
    html = article(basic, "oversikt/processkarta")
    gap = re.search(r'<li class="handbok-step handbok-step--gap"[^>]*>(.*?)</li>', html, re.S)
    assert gap is not None
    assert "Anvisning till arbetsmarknadsenheten" in gap.group(1)
    assert "Saknar gällande rutin" in gap.group(1)
    assert html.count("handbok-step--gap") == 1  # the draft does not cover the step


def test_requirements_page_marks_gaps(basic: Path) -> None:
    html = article(basic, "oversikt/sosfs-2011-9")
    covered = re.search(r'<section class="handbok-req" id="sosfs-2011-9-4-4">(.*?)</section>', html, re.S)
    assert covered is not None and "Ansökan om ekonomiskt bistånd" in covered.group(1)
    gap = re.search(r'<section class="handbok-req handbok-req--gap" id="sosfs-2011-9-4-1">(.*?)</section>',
                    html, re.S)
    assert gap is not None and "Inget gällande dokument" in gap.group(1)


def test_recent_changes_from_history(basic: Path) -> None:
    page = text_of(article(basic, "oversikt/senast-andrade"))
    assert page.index("1 juni 2026") < page.index("10 januari 2024")


def test_recent_changes_from_git(tmp_path: Path) -> None:
    root = tmp_path / "basic"
    shutil.copytree(FIXTURES / "basic", root)
    git = ["git", "-c", "user.name=Karin Test", "-c", "user.email=k@example.se"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    env = {**os.environ, "GIT_COMMITTER_DATE": "2026-10-05T10:00:00", "GIT_AUTHOR_DATE": "2026-10-05T10:00:00"}
    subprocess.run([*git, "commit", "-q", "-m", "Ny rutin för utredning"], cwd=root, check=True, env=env)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"})
    run = subprocess.run([str(MKDOCS), "build", "-d", str(tmp_path / "site")], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    page = text_of(article(tmp_path / "site", "oversikt/senast-andrade"))
    assert "5 oktober 2026" in page and "Ny rutin för utredning" in page
    # Issue 9: one line per commit, after the documents' own history, without the committer's name.
    assert page.count("Ny rutin för utredning") == 1 and "Karin Test" not in page
    assert page.index("Beslut och granskningar") < page.index("Ändringar i filerna")


def test_routines_are_not_in_the_sidebar(basic: Path) -> None:
    html = (basic / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[:nav.index("</nav>")]
    assert "routines/" not in nav
    assert "Dokumentförteckning" in nav and "Processkarta" in nav


def test_exports(basic: Path, tmp_path: Path) -> None:
    exported = json.loads((basic / "handbok.json").read_text(encoding="utf-8"))
    check = subprocess.run(
        [str(Path(sys.executable).with_name("handbok")), "check", str(FIXTURES / "basic"),
         "--today", TODAY, "--format", "json"], capture_output=True, text=True, timeout=120)
    assert exported == json.loads(check.stdout)
    raw = (basic / "dokumentforteckning.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8")), delimiter=";"))
    assert rows[0][:3] == ["Id", "Titel", "Typ"]
    assert len(rows) == 6
    overdue = next(r for r in rows if r[0] == "T-002")
    assert overdue[3] == "Revisionsdatum passerat" and int(overdue[11]) < 0


def test_swedish_stemming_and_no_web_fonts(basic: Path) -> None:
    config = json.loads((basic / "search/search_index.json").read_text(encoding="utf-8"))["config"]
    assert config["lang"] == ["sv"]
    assert "stemmer" in config["pipeline"]
    for page in basic.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        for tag, attrs in parse(html).tags:
            for key in ("src", "href"):
                value = attrs.get(key) or ""
                if tag in ("script", "link", "img", "iframe") and key in attrs:
                    assert not re.match(r"(https?:)?//", value), f"{page}: {tag} {value}"



def test_search_indexes_text_and_banners_not_panel_or_lists(basic: Path) -> None:
    """The panel, the closing sections and the overview pages' document lists are shown
    but not indexed: a search for a document's title finds that document, not every
    page linking to it. The banner is indexed, so a hit shows that a page is overdue."""
    docs = json.loads((basic / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    text = {d["location"]: d["text"] for d in docs}
    overdue = " ".join(v for k, v in text.items() if k.startswith("routines/overdue/"))
    assert "skulle ha reviderats senast 20 april 2016" in overdue
    assert "SN 2026/1" not in " ".join(text.values())  # the panel's diarienummer
    current = " ".join(v for k, v in text.items() if k.startswith("routines/current/"))
    assert "Ny arbetsgång" not in current and "Utredning (T-002)" not in current
    process_map = " ".join(v for k, v in text.items() if k.startswith("oversikt/processkarta/"))
    assert "Saknar gällande rutin" in process_map and "Ansökan om ekonomiskt bistånd" not in process_map
    for page in basic.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<!--handbok-" not in html, page
    # ... and the pages still show them, once each
    assert article(basic, "routines/current").count("Dokumentinformation</h2>") == 1
    assert "Ansökan om ekonomiskt bistånd" in article(basic, "oversikt/processkarta")

def test_metadata_is_escaped_and_body_html_is_sanitised(tmp_path: Path) -> None:
    run, site = build("hostile", tmp_path)
    assert run.returncode == 0, run.stderr
    assert scan_site(site) == []
    html = (site / "routines/script-title/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;titel&#x27;)" in html  # title as text
    assert "&lt;script&gt;alert(&#x27;historik&#x27;)" in html  # history note as text
    body = article(site, "routines/script-title")
    assert "alert('kropp')" not in body  # a script element goes with its content
    assert '<a>dold länk</a>' in body and '<a href="#ok">knapp</a>' in body
    assert '<a href="https://exempel.se/ok">' in html  # autolinks still work
    assert "<code>&lt;b&gt;taggar&lt;/b&gt;</code>" in html
    assert "skulle köra skript" in text_of(body)  # the finding is on the page too


def test_routine_is_never_rendered_as_jinja(tmp_path: Path) -> None:
    run, site = build("hostile", tmp_path)
    assert run.returncode == 0, run.stderr
    page = text_of(article(site, "routines/jinja"))
    assert "{{ secret() }}" in page and "{% if true %}villkor{% endif %}" in page and "{{ 7*7 }}" in page
    assert "MACRO-RAN" not in page and "49" not in page
    assert "får inte köras som mall" in page  # the render_macros finding is shown
    assert "MACRO-RAN" in text_of(article(site, ""))  # docs/ pages that opt in are rendered


def test_document_with_errors_is_shown_with_banner(tmp_path: Path) -> None:
    run, site = build("hostile", tmp_path)
    page = text_of(article(site, "routines/broken"))
    assert "Fel i dokumentet" in page
    assert "2023-02-30" in page and "okand-roll" in page
    assert "Rutinen har fel i sin metadata men visas ändå." in page


def test_ci_gate_fails_on_overdue_and_names_it(tmp_path: Path) -> None:
    run, _ = build("basic", tmp_path, ci=True)
    assert run.returncode != 0
    assert "T-002" in run.stderr and "routines/overdue.md" in run.stderr and "[overdue]" in run.stderr
    assert "T-003" not in run.stderr.split("bygget stoppas")[1]  # due soon does not fail by default


def test_ci_gate_on_errors_names_every_document(tmp_path: Path) -> None:
    run, _ = build("hostile", tmp_path, ci=True)
    assert run.returncode != 0
    failed = run.stderr.split("bygget stoppas")[1]
    assert "H-003" in failed and "routines/broken.md" in failed and "[invalid-date]" in failed
    assert "H-002" in failed and "[render-macros]" in failed


def test_clean_handbook_passes_in_ci(tmp_path: Path) -> None:
    run, site = build("clean", tmp_path, ci=True)
    assert run.returncode == 0, run.stderr
    assert (site / "routines/ansokan/index.html").is_file()


def test_fail_on_option_overrides_ci(tmp_path: Path) -> None:
    root = tmp_path / "basic"
    shutil.copytree(FIXTURES / "basic", root)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "  - handbok\n", "  - handbok:\n      fail_on: due-soon\n")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"})
    run = subprocess.run([str(MKDOCS), "build", "-d", str(tmp_path / "site")], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode != 0
    assert "T-003" in run.stderr and "[due-soon]" in run.stderr


def test_path_collision_names_both_files(tmp_path: Path) -> None:
    run, _ = build("collision", tmp_path)
    assert run.returncode != 0
    assert "routines/ekonomi/utbetalning.md" in run.stderr
    assert "docs/routines/ekonomi/utbetalning.md" in run.stderr


def test_build_never_modifies_sources(tmp_path: Path) -> None:
    root = tmp_path / "hostile"
    shutil.copytree(FIXTURES / "hostile", root, ignore=shutil.ignore_patterns(".cache"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}
    env = {**os.environ, "HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(MKDOCS), "build", "-d", str(tmp_path / "site")], cwd=root, env=env,
                   capture_output=True, text=True, timeout=300)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.relative_to(root).parts[0] != ".cache"}
    assert {p: v for p, v in before.items() if "__pycache__" not in p.parts} == after


# The example handbook at the repository root -------------------------------------

ROOT = FIXTURES.parent.parent


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("example") / "site"
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"})
    run = subprocess.run([str(MKDOCS), "build", "-d", str(site)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr, run.stderr  # no broken links, no metadata errors
    return site


def test_example_shows_every_status_and_one_gap(example: Path) -> None:
    data = json.loads((example / "handbok.json").read_text(encoding="utf-8"))
    assert data["summary"]["documents"] >= 30
    statuses = {d["status"] for d in data["documents"]}
    assert {"current", "due-soon", "overdue", "draft", "repealed"} <= statuses
    assert data["summary"]["errors"] == 0
    html = article(example, "oversikt/processkarta")
    assert html.count("handbok-step--gap") == 1


def test_example_start_page_macros(example: Path) -> None:
    data = json.loads((example / "handbok.json").read_text(encoding="utf-8"))
    overdue = data["summary"]["overdue"]
    page = text_of(article(example, ""))
    assert f"{overdue} dokument har passerat revisionsdatum" in page
    assert f"Har passerat revisionsdatum ({overdue})" in page
    assert "{{" not in page


def test_example_links_are_whole(example: Path) -> None:
    # Served over HTTP: run as root, linkchecker drops to 'nobody', who may not read tmp files.
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(example)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        linkchecker = Path(sys.executable).with_name("linkchecker")
        run = subprocess.run([str(linkchecker), "--no-status", "--no-warnings",
                              f"http://127.0.0.1:{server.server_port}/"],
                             capture_output=True, text=True, timeout=300)
    finally:
        server.shutdown()
    assert run.returncode == 0, run.stdout[-3000:]
    assert "0 errors found" in run.stdout
    assert re.search(r"[1-9]\d+ links? in", run.stdout), run.stdout[-500:]  # it did crawl the site


def test_example_publishes_the_form_its_routine_links_to(example: Path) -> None:
    page = article(example, "routines/ledningssystem/klagomal-och-synpunkter")
    assert 'href="../synpunktsblankett.pdf"' in page
    form = example / "routines/ledningssystem/synpunktsblankett.pdf"
    assert form.read_bytes() == (ROOT / "routines/ledningssystem/synpunktsblankett.pdf").read_bytes()


def test_example_fails_the_ci_gate_on_its_overdue_routines(tmp_path: Path) -> None:
    env = {**os.environ, "HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", "CI": "true"}
    run = subprocess.run([str(MKDOCS), "build", "-d", str(tmp_path / "site")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode != 0
    assert run.stderr.count("[overdue]") == 3


def test_serve_watches_routines_and_data() -> None:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    assert str(ROOT / "routines") in config.watch
    assert str(ROOT / "data") in config.watch
    assert config.theme["font"] is False


def test_emoji_inline_and_no_code_host_api(tmp_path: Path) -> None:
    run, site = build("offline", tmp_path)
    assert run.returncode == 0, run.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    content = article(site, "")
    assert "<svg" in content and "<img" not in content  # the icon inlined as SVG
    assert "😄" in content and "📚" in content  # emoji as characters
    assert "cdn.jsdelivr" not in html
    assert 'href="https://github.com/exempelkommun/handbok"' in html  # the link stays
    assert 'data-md-component="source"' not in html  # but no facts from the GitHub API
