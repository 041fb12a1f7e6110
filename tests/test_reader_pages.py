"""Issue 9: what a reader sees on a document page and the overview pages, from a real build
of tests/fixtures/reader (a copy of basic with decided_by_name and repealed_date)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_site import FIXTURES, MKDOCS, TODAY, article, build, text_of

from handbok.gitlog import Commit
from handbok.model import Document, HistoryEntry
from handbok.pages.document import repealed_on
from handbok.pages.overview import recent_changes

pytestmark = pytest.mark.site

OVERVIEWS = ("oversikt/dokumentforteckning", "oversikt/revisionsplan", "oversikt/processkarta",
             "oversikt/sosfs-2011-9", "oversikt/lagar-och-foreskrifter", "oversikt/ansvariga",
             "oversikt/ansvariga/enhetschef-forsorjningsstod", "oversikt/senast-andrade")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run, out = build("reader", tmp_path_factory.mktemp("reader"))
    assert run.returncode == 0, run.stderr
    return out


def panel(site: Path, page: str) -> dict[str, str]:
    """The Dokumentinformation panel as label -> shown text."""
    html = article(site, page)
    dl = html[html.index('<section class="handbok-panel"'):]
    dl = dl[:dl.index("</dl>")]
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", dl)
    return {text_of(k).strip(): text_of(v).strip() for k, v in pairs}


def test_document_status_and_review_status_are_two_rows_with_two_words(site: Path) -> None:
    current = panel(site, "routines/current")
    assert current["Status"] == "Gällande" and current["Revisionsstatus"] == "Aktuell"
    overdue = panel(site, "routines/overdue")
    assert overdue["Status"] == "Gällande" and overdue["Revisionsstatus"] == "Revisionsdatum passerat"
    draft = panel(site, "routines/sub/draft")
    assert draft["Status"] == "Utkast" and "Revisionsstatus" not in draft
    assert "Gällande" not in text_of(article(site, "oversikt/dokumentforteckning")).replace(
        "gällande", "")  # the register's status column shows review words only


def test_an_overdue_banner_says_the_routine_is_still_to_be_followed(site: Path) -> None:
    page = text_of(article(site, "routines/overdue"))
    assert ("Rutinen skulle ha reviderats senast 20 april 2016. Den gäller ändå och ska följas tills "
            "den har reviderats, ersatts eller upphävts.") in page


def test_decided_by_names_the_role_and_the_recorded_name_never_the_holder(site: Path) -> None:
    # T-002 was decided in 2015 by the role whose holder today is Anna Exempel.
    overdue = panel(site, "routines/overdue")
    assert overdue["Fastställd av"] == "Enhetschef försörjningsstöd"
    assert overdue["Dokumentansvarig"] == "Enhetschef försörjningsstöd (Anna Exempel)"
    current = panel(site, "routines/current")
    assert current["Fastställd av"] == "Förvaltningschef (Eva Beslut)"  # decided_by_name, as recorded


def test_a_repealed_document_shows_when_and_by_what_not_a_review_date(site: Path) -> None:
    repealed = panel(site, "routines/sub/repealed")
    assert repealed["Upphävd"] == "1 juni 2026"
    assert repealed["Ersatt av"] == "Ansökan om ekonomiskt bistånd (T-001)"
    assert "Revideras senast" not in repealed and "Senast granskad" not in repealed
    assert "Rutinen upphävdes 1 juni 2026 och gäller inte längre." in text_of(
        article(site, "routines/sub/repealed"))


def test_without_repealed_date_the_latest_history_line_tells_when() -> None:
    doc = Document(path="x.md", status="repealed", history=[
        HistoryEntry(dt.date(2019, 5, 2), "Upphävd av nämnden"), HistoryEntry(dt.date(2017, 1, 1), "Ny")])
    assert repealed_on(doc) == (dt.date(2019, 5, 2), "Upphävd av nämnden")
    doc.repealed_date = dt.date(2019, 6, 1)
    assert repealed_on(doc) == (dt.date(2019, 6, 1), None)
    assert repealed_on(Document(path="y.md", status="repealed")) == (None, None)
    unrelated = Document(path="z.md", status="repealed", history=[HistoryEntry(dt.date(2018, 3, 19), "Första versionen")])
    assert repealed_on(unrelated) == (None, None)  # no guess from a line that does not say so


@pytest.mark.parametrize("page", ["routines/current", "routines/overdue", "routines/sub/draft", *OVERVIEWS])
def test_every_document_and_overview_page_says_when_statuses_were_computed(site: Path, page: str) -> None:
    assert "Status beräknad 22 november 2026." in text_of(article(site, page))


def test_editor_findings_are_folded_away_with_one_plain_sentence_for_readers(site: Path) -> None:
    html = article(site, "routines/sub/due-soon")
    banners = re.findall(r'<div class="admonition warning handbok-banner".*?</div>', html, re.DOTALL)
    assert [text_of(b) for b in banners][-1] == (
        "AnmärkningarDokumentansvarig behöver se över uppgifterna om dokumentet. Följ det som det står "
        "tills det har ändrats.")
    details = re.search(r'<details class="note handbok-editor">(.*?)</details>', html, re.DOTALL)
    assert details is not None and "open" not in html[details.start():details.start() + 40]
    box = text_of(details.group(1))
    assert box.startswith("För redaktören") and "Rad 8: Okänt fält 'decison_ref': menade du decision_ref?" in box
    outside = text_of(html[:details.start()] + html[details.end():])
    assert "decison_ref" not in outside and "Okänt fält" not in outside
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    page_text = " ".join(d["text"] for d in index if d["location"].startswith("routines/sub/due-soon/"))
    assert "decison_ref" not in page_text and "Dokumentansvarig behöver se över" in page_text


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"})


def test_stable_addresses_by_id_and_for_renamed_files(tmp_path: Path) -> None:
    root = tmp_path / "reader"
    shutil.copytree(FIXTURES / "reader", root)
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "Första")
    (root / "routines" / "flyttad").mkdir()
    _git(root, "mv", "routines/current.md", "routines/flyttad/ansokan.md")
    _git(root, "commit", "-q", "-m", "Omorganiserat")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY")}
    env.update({"HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"})
    run = subprocess.run([str(MKDOCS), "build", "-d", str(tmp_path / "site")], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    site = tmp_path / "site"
    by_id = (site / "id" / "T-001" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../routines/flyttad/ansokan/">' in by_id
    assert "Ansökan om ekonomiskt bistånd (T-001)" in by_id and 'lang="sv"' in by_id
    old = (site / "routines" / "current" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../flyttad/ansokan/">' in old
    assert (site / "routines" / "flyttad" / "ansokan" / "index.html").is_file()
    assert sorted(p.name for p in (site / "id").iterdir()) == ["T-001", "T-002", "T-003", "T-004", "T-005"]


@pytest.mark.parametrize("page", ["oversikt/revisionsplan", "oversikt/ansvariga/enhetschef-forsorjningsstod"])
def test_the_pages_that_list_what_to_review_say_how_to_record_a_review(site: Path, page: str) -> None:
    text = text_of(article(site, page))
    assert "Registrera granskningen med handbok review ID" in text and "last_reviewed" in text


def test_the_404_page_is_swedish_with_a_way_on(site: Path) -> None:
    html = (site / "404.html").read_text(encoding="utf-8")
    text = text_of(html)
    assert "Sidan finns inte" in text and "Not found" not in text and "sökrutan" in text
    assert '<a href="/oversikt/dokumentforteckning/">Dokumentförteckningen</a>' in html


def test_the_sidebar_names_the_start_page_instead_of_repeating_the_site_name(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
    labels = [s.strip() for s in re.findall(r'<span class="md-ellipsis">\s*([^<]*?)\s*</span>', nav)]
    assert labels[0] == "Startsida" and "Testhandbok" not in labels


def test_a_document_page_writes_every_date_one_way(site: Path) -> None:
    page = text_of(article(site, "routines/current"))
    assert "1 juni 2026" in page and "10 januari 2024" in page  # panel and history alike
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", page), re.findall(r"\b\d{4}-\d{2}-\d{2}\b", page)


def test_feedback_goes_to_the_owner_by_email_or_to_the_code_host_when_configured(tmp_path: Path) -> None:
    page = "routines/current"
    run, site = build("reader", tmp_path / "a")
    assert run.returncode == 0, run.stderr
    mail = re.search(r'data-handbok-feedback href="([^"]+)"', article(site, page))
    assert mail and mail[1].startswith("mailto:anna.exempel@kommun.example?subject=Synpunkt%20p%C3%A5%20T-001")
    assert "Version%3A%202.0" in mail[1] and "%7Badress%7D" in mail[1]  # the page fills in its address
    root = tmp_path / "b" / "reader"
    shutil.copytree(FIXTURES / "reader", root)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - handbok\n", "  - handbok:\n      feedback: issues\n")
    (root / "mkdocs.yml").write_text(config + "repo_url: https://github.com/exempel/handbok\n"
                                     "site_url: https://handbok.example/\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY")}
    env.update({"HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"})
    run = subprocess.run([str(MKDOCS), "build", "-d", str(tmp_path / "site-b")], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    issue = re.search(r'data-handbok-feedback href="([^"]+)"', article(tmp_path / "site-b", page))
    assert issue and issue[1].startswith("https://github.com/exempel/handbok/issues/new?title=Synpunkt")
    assert "https%3A%2F%2Fhandbok.example%2Fid%2FT-001%2F" in issue[1]  # the stable address


def test_recent_changes_put_decisions_first_and_a_bulk_commit_on_one_line(checked: Any) -> None:
    result = checked("reader")
    bulk = Commit(dt.date(2026, 10, 1), "Karin Test", "Flytta alla filer")
    own = Commit(dt.date(2026, 6, 1), "Karin Test", "Ny arbetsgång")  # the day T-001's history tells
    commits = {d.path: bulk for d in result.documents}
    commits["routines/current.md"] = own
    html = recent_changes(result, commits, lambda d: d.path, bulk=3)
    text = text_of(html)
    assert text.index("Beslut och granskningar") < text.index("Ändringar i filerna")
    assert text.count("Flytta alla filer") == 1 and "4 dokument" in text  # one line for the bulk commit
    assert "Karin Test" not in text
    assert text.count("Ny arbetsgång") == 1  # the history line; its git change adds nothing
