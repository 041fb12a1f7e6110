"""One source, two sites (issue 11, item 6): the public build publishes only public
documents, and no trace of an internal one reaches any file of it.

The fixture `public` marks every internal value with "qx7": ids, titles, paths, bodies,
the owner role's key, holder and e-mail, decision_ref, history notes, a legal reference,
and (in the site test) the git commit that adds them. A public draft (QX7-ID-UTKAST) is
marked too: a guideline is published once the nämnd has decided it, not before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from handbok.core import Result, check_handbook
from handbok.model import Document, Finding
from handbok.render import BodyRenderer
from handbok.unlink import unlink_html, unlink_nav
from handbok.visibility import (
    Unpublished,
    check_public_links,
    is_published,
    link_keys,
    page_key,
    publish,
    resolve_visibility,
)

FIXTURES = Path(__file__).parent / "fixtures"
MKDOCS = Path(sys.executable).with_name("mkdocs")
TODAY = "2026-11-22"
MARK = b"qx7"
# One marker per internal field: each must be in the internal site, none in the public one.
INTERNAL_VALUES = ("QX7-ID-HEMLIG", "Qx7titel intern arbetsgång", "intern-qx7dir/hemlig-qx7fil",
                   "Qx7brödtext", "Qx7 Hemligsson", "qx7.hemligsson@kommun.example", "QX7DNR 2024/9",
                   "Qx7historik", "QX7-ID-STANDARD", "QX7-ID-GAMMAL",
                   # the public draft: every field of it
                   "QX7-ID-UTKAST", "Qx7utkast riktlinje för boende", "Qx7utkasttext", "QX7UTKAST SN 2026/99",
                   "Qx7utkasthistorik", "publikt/utkast-qx7")


# The core: what a public build may publish --------------------------------------------


def test_visibility_is_public_when_the_option_or_the_environment_says_so() -> None:
    assert resolve_visibility("internal", {}) == "internal"
    assert resolve_visibility("public", {}) == "public"
    assert resolve_visibility("internal", {"HANDBOK_VISIBILITY": "public"}) == "public"
    assert resolve_visibility("internal", {"HANDBOK_VISIBILITY": " Public "}) == "public"
    # The environment cannot turn the public configuration internal.
    assert resolve_visibility("public", {"HANDBOK_VISIBILITY": "internal"}) == "public"
    with pytest.raises(ValueError, match="HANDBOK_VISIBILITY är 'publik'"):
        resolve_visibility("internal", {"HANDBOK_VISIBILITY": "publik"})


def test_page_keys_and_link_targets() -> None:
    assert page_key("routines/a/b.md") == page_key("routines/a/b/") == page_key("routines/a/b/index.html") \
        == page_key("/routines/a/b.html") == "routines/a/b"
    assert page_key("routines/a/index.md") == page_key("routines/a/README.md") == "routines/a"
    assert page_key("index.md") == ""
    page = "routines/pub/x.md"
    assert "routines/int/y" in link_keys(page, "../int/y.md#steg")
    assert "routines/int/y" in link_keys(page, "../../int/y/")  # relative to the page's address
    assert link_keys(page, "/routines/int/y/") == ["routines/int/y"]
    assert "routines/int/y" in link_keys(page, "../int/y%2Emd")
    for elsewhere in ("https://example.se/routines/int/y.md", "mailto:a@b.se", "#steg", "?q=1"):
        assert link_keys(page, elsewhere) == []
    assert link_keys("index.md", "../../etc/passwd") == []


def test_publish_keeps_only_public_documents_and_what_names_them(checked: Callable[[str], Result]) -> None:
    full = checked("public")
    assert {d.id for d in full.documents} == {"PUB-001", "PUB-002", "QX7-ID-HEMLIG", "QX7-ID-GAMMAL",
                                              "QX7-ID-STANDARD", "QX7-ID-UTKAST"}
    shown = publish(full)
    assert shown.public and not full.public
    assert sorted(d.id for d in shown.documents) == ["PUB-001", "PUB-002"]
    assert set(shown.states) == {d.path for d in shown.documents}
    guideline = shown.by_id()["PUB-001"]
    assert guideline.related == ["PUB-002"] and guideline.supersedes == []
    assert guideline.raw["related"] == ["PUB-002"]
    assert full.by_id()["PUB-001"].related == ["PUB-002", "QX7-ID-HEMLIG"]  # the check's Result is untouched
    assert shown.by_id()["PUB-002"].related == ["PUB-001"]  # not the public draft
    assert all(f.path in shown.states for f in shown.findings)
    assert not any("qx7" in f"{f.message} {f.document}".lower() for f in shown.findings)
    assert set(shown.org.roles or {}) == {"enhetschef-publik"}  # not chef-qx7, nor one no public document names
    assert shown.summary()["documents"] == 2 and shown.summary()["overdue"] == 0
    assert shown.referrers().get("PUB-001") == [shown.by_id()["PUB-002"]]


def test_findings_naming_a_document_left_out_are_dropped(checked: Callable[[str], Result]) -> None:
    full = checked("public")
    path = "routines/publikt/riktlinje.md"
    extra = [Finding("error", "duplicate-id", path, 2, f"Id:t finns också i {other}.", "PUB-001", "id")
             for other in ("routines/publikt/hjalp.md (PUB-002)", "routines/intern-qx7dir/gammal-qx7.md",
                           "QX7-id-hemlig", "Qx7gammal upphävd riktlinje")]
    shown = publish(dataclasses.replace(full, findings=[*full.findings, *extra], _by_path=None))
    kept = [f.message for f in shown.findings_for(path) if f.code == "duplicate-id"]
    assert kept == ["Id:t finns också i routines/publikt/hjalp.md (PUB-002)."]


def test_public_links_internal_findings(checked: Callable[[str], Result]) -> None:
    found = [f for f in checked("public").findings if f.code == "public-links-internal"
             and f.path != "routines/publikt/hjalp.md"]  # links to the public draft: the next test
    assert all(f.severity == "warning" and f.path == "routines/publikt/riktlinje.md" and f.document == "PUB-001"
               for f in found)
    assert [(f.field, f.line) for f in found if f.field] == [("related", 12), ("supersedes", 13)]
    body = [f for f in found if f.field is None]
    # Inline link with an anchor, reference link, HTML link to the page's address; the link to
    # the public PUB-002 and the internal document's own link to a public one are no finding.
    assert [f.line for f in body] == [21, 21, 23]
    assert "QX7-ID-HEMLIG" in body[0].message and "vanlig text" in body[0].message
    assert "QX7-ID-GAMMAL" in found[1].message and "supersedes" in found[1].message


def test_a_public_draft_is_not_published() -> None:
    """A guideline the nämnd has not decided yet stays off the public site: it is published
    once `status: active`. A repealed public document stays, with its banner, for the record."""
    def doc(status: str, visibility: str = "public") -> Document:
        return Document("routines/d.md", id="D", status=status, visibility=visibility, front_matter=True)

    assert is_published(doc("active")) and is_published(doc("repealed"))
    assert not is_published(doc("draft")) and not is_published(doc("active", "internal"))
    assert Unpublished.of([doc("draft")]).hides("routines/p.md", "d.md")


def test_public_links_to_a_public_draft_and_the_draft_itself(checked: Callable[[str], Result]) -> None:
    findings = checked("public").findings
    found = [f for f in findings if f.code == "public-links-internal" and f.path == "routines/publikt/hjalp.md"]
    assert [(f.severity, f.line, f.field) for f in found] == [("warning", 10, "related"), ("warning", 17, None)]
    assert all("QX7-ID-UTKAST" in f.message and "utkast" in f.message and "internt" not in f.message
               for f in found)
    [draft] = [f for f in findings if f.code == "public-draft"]
    assert (draft.severity, draft.path, draft.line, draft.document) == (
        "info", "routines/publikt/utkast-qx7.md", 5, "QX7-ID-UTKAST")
    assert "publiceras inte" in draft.message


def test_links_are_read_from_what_the_site_publishes() -> None:
    """Markup Python's HTML parser cannot read (`<![b`) does not stop the check, and a link
    the sanitiser removes is no link to warn about."""
    public = Document("routines/p.md", id="P", visibility="public", front_matter=True,
                      body="<![b](i.md) [a](i.md) <a href=\"javascript:x\">j</a>\n")
    internal = Document("routines/i.md", id="I", front_matter=True)
    found = check_public_links([public, internal], BodyRenderer())
    assert [(f.code, f.document) for f in found] == [("public-links-internal", "P")]


def test_no_finding_when_nothing_is_public(checked: Callable[[str], Result]) -> None:
    assert not [f for f in checked("basic").findings if f.code == "public-links-internal"]


def test_unlink_html_and_nav() -> None:
    hidden = Unpublished(frozenset({"routines/int/y"}))
    html = ('<p><a href="../int/y.md">A</a> <a href="../pub/z/">B</a> <A HREF=\'../int/y/\'>C<em>!</em></a> '
            '<a href="../int/y.md#x">D</a> <a href="https://int/y.md">E</a></p>')
    out = unlink_html(html, "routines/pub/x.md", hidden)
    assert out == ('<p><span>A</span> <a href="../pub/z/">B</a> <span>C<em>!</em></span> '
                   '<span>D</span> <a href="https://int/y.md">E</a></p>')
    nav = ["index.md", {"Rutiner": ["routines/int/y.md", {"Z": "routines/pub/z.md"}]},
           {"Intern": ["routines/int/y.md"]}]
    assert unlink_nav(nav, hidden) == ["index.md", {"Rutiner": [{"Z": "routines/pub/z.md"}]}]


# Both sites from one source -----------------------------------------------------------


def _build(root: Path, site: Path, strict: bool = False, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY", "HANDBOK_VISIBILITY")}
    env.update({"HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", **extra})
    strictly = ["--strict"] if strict else []
    return subprocess.run([str(MKDOCS), "build", *strictly, "-d", str(site)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture in a git repository whose commit also carries the marker, built twice."""
    base = tmp_path_factory.mktemp("public")
    root = base / "handbok"
    shutil.copytree(FIXTURES / "public", root)
    git = ["git", "-c", "user.name=Qx7 Författare", "-c", "user.email=qx7@kommun.example"]
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-01-10T10:00:00", "GIT_COMMITTER_DATE": "2026-01-10T10:00:00"}
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "qx7: nya rutiner"], cwd=root, check=True, env=env)
    internal, public = base / "internal", base / "public-site"
    run = _build(root, internal)
    assert run.returncode == 0, run.stderr
    run = _build(root, public, strict=True, HANDBOK_VISIBILITY="public")
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr, run.stderr  # --strict: no link to a missing page
    return internal, public


def _contents(site: Path) -> dict[str, bytes]:
    """Every file of a site as bytes, gzip and zip (xlsx) members unpacked."""
    out: dict[str, bytes] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        out[rel] = data
        if path.suffix == ".gz":
            out[f"{rel}!"] = gzip.decompress(data)
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    out[f"{rel}!{name}"] = archive.read(name)
    return out


def test_no_trace_of_an_internal_document_in_any_file_of_the_public_site(sites: tuple[Path, Path]) -> None:
    internal, public = sites
    everything = b"\n".join(_contents(internal).values()).decode("utf-8", "replace")
    for value in INTERNAL_VALUES:  # the markers are real: the internal site shows each of them
        assert value in everything, value
    files = _contents(public)
    assert {"sitemap.xml.gz!", "search/search_index.json", "handbok.json", "dokumentforteckning.csv",
            "404.html", "oversikt/lagar-och-foreskrifter/index.html", "oversikt/senast-andrade/index.html",
            "revisionsplan.ics"} <= set(files)
    assert any(name.startswith("dokumentforteckning.xlsx!") for name in files)
    leaks = [name for name, data in files.items() if MARK in data.lower()]
    assert leaks == []
    names = "\n".join(files).lower()
    assert "qx7" not in names and "chef-qx7" not in names


def test_attachments_are_published_only_with_a_published_document(
        sites: tuple[Path, Path], checked: Callable[[str], Result]) -> None:
    """A form is published with the documents that link to it: the public site has the
    public routine's form, never the one beside the internal routine."""
    internal, public = sites
    form, secret = "routines/publikt/ansokan.pdf", "routines/intern-qx7dir/blankett-qx7.pdf"
    assert (internal / form).is_file() and (internal / secret).is_file()
    assert (public / form).is_file() and not (public / secret).exists()
    assert 'href="../ansokan.pdf"' in (public / "routines/publikt/hjalp/index.html").read_text(encoding="utf-8")
    full = checked("public")
    assert set(full.attachments) == {form, secret}
    assert publish(full).attachments == {form: ("routines/publikt/hjalp.md",)}


def test_public_site_links_to_internal_documents_become_text(sites: tuple[Path, Path]) -> None:
    internal, public = sites
    page = (public / "routines/publikt/riktlinje/index.html").read_text(encoding="utf-8")
    assert '<a href="../hjalp/">hur vi handlägger</a>' in page
    assert "<span>den interna arbetsgången</span>" in page and "<span>samma sak</span>" in page
    assert "<span>arbetsgången</span>" in page
    page = (public / "routines/publikt/hjalp/index.html").read_text(encoding="utf-8")
    assert "<span>den nya riktlinjen för boende</span>" in page  # a public draft is not published yet
    assert not (public / "routines/publikt/utkast-qx7").exists()
    start = (public / "index.html").read_text(encoding="utf-8")
    assert 'href="routines/publikt/riktlinje/"' in start and "<span>Den interna rutinen</span>" in start
    assert "<span>Samma rutin, som HTML</span>" in start
    assert "<span>Förslaget till riktlinje</span>" in start
    assert 'href="routines/publikt/utkast-qx7/"' in (internal / "index.html").read_text(encoding="utf-8")
    # The internal site keeps the links and tells the public document's readers nothing new,
    # but its editors see the warning.
    page = (internal / "routines/publikt/riktlinje/index.html").read_text(encoding="utf-8")
    assert 'href="../../intern-qx7dir/hemlig-qx7fil/#steg"' in page
    assert "som är internt" in page


def test_public_overview_pages_count_only_what_is_published(sites: tuple[Path, Path]) -> None:
    internal, public = sites
    data = json.loads((public / "handbok.json").read_text(encoding="utf-8"))
    assert sorted(d["id"] for d in data["documents"]) == ["PUB-001", "PUB-002"]
    assert data["summary"]["documents"] == 2 and data["summary"]["overdue"] == 0
    register = (public / "oversikt/dokumentforteckning/index.html").read_text(encoding="utf-8")
    assert "Visar 2 av 2 dokument" in register
    assert "Handboken har 2 gällande dokument" in (public / "index.html").read_text(encoding="utf-8")
    assert "Handboken har 4 gällande dokument" in (internal / "index.html").read_text(encoding="utf-8")
    assert (public / "tillganglighetsredogorelse/index.html").is_file()  # docs/ and site pages stay
    assert not (public / "oversikt/ansvariga/chef-qx7").exists()


def test_both_registers_link_their_exports_and_only_the_intranet_tells_editors_what_to_do(
        sites: tuple[Path, Path]) -> None:
    """The register links the CSV, the workbook and handbok.json relative to its own page, on
    both sites (the public files hold only what is published); how to record a review is
    for the intranet's editors, not for the public site's readers."""
    for site in sites:
        page = site / "oversikt/dokumentforteckning/index.html"
        html = page.read_text(encoding="utf-8")
        hrefs = [h for h in re.findall(r'href="([^"]+)"', html)
                 if h.endswith(("dokumentforteckning.csv", "dokumentforteckning.xlsx", "handbok.json"))]
        assert sorted(h.rsplit("/", 1)[-1] for h in hrefs) == [
            "dokumentforteckning.csv", "dokumentforteckning.xlsx", "handbok.json"]
        assert all(not h.startswith(("/", "http")) and (page.parent / h).resolve().is_file() for h in hrefs)
    internal, public = sites
    for page in ("oversikt/revisionsplan", "oversikt/ansvariga/enhetschef-publik"):
        assert "handbok review ID" in (internal / page / "index.html").read_text(encoding="utf-8")
        assert "handbok review" not in (public / page / "index.html").read_text(encoding="utf-8")


def test_public_build_does_not_stop_for_internal_documents(tmp_path: Path) -> None:
    """CI=true fails on overdue documents: the internal ones stop the internal build only."""
    root = tmp_path / "handbok"
    shutil.copytree(FIXTURES / "public", root)
    assert _build(root, tmp_path / "public", CI="true", HANDBOK_VISIBILITY="public").returncode == 0
    run = _build(root, tmp_path / "internal", CI="true")
    assert run.returncode == 1 and "QX7-ID-STANDARD" in run.stderr


def test_plugin_option_and_a_wrong_environment_value(tmp_path: Path) -> None:
    root = tmp_path / "handbok"
    shutil.copytree(FIXTURES / "public", root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - handbok:\n", "  - handbok:\n      visibility: public\n"), encoding="utf-8")
    assert _build(root, tmp_path / "site").returncode == 0
    assert not (tmp_path / "site/routines/intern-qx7dir").exists()
    assert json.loads((tmp_path / "site/handbok.json").read_text(encoding="utf-8"))["summary"]["documents"] == 2
    run = _build(root, tmp_path / "bad", HANDBOK_VISIBILITY="extern")
    assert run.returncode == 1 and "HANDBOK_VISIBILITY är 'extern'" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_guide_explains_the_public_site() -> None:
    guide = (FIXTURES.parent.parent / "docs/guide/skriva-styrdokument.md").read_text(encoding="utf-8")
    assert "\n### public-links-internal\n" in guide and "\n### public-draft\n" in guide
    assert "HANDBOK_VISIBILITY=public" in guide and "## Tillgänglighetsredogörelse" in guide


def test_the_example_public_site_has_no_internal_document(tmp_path: Path) -> None:
    """The example handbook built as its public site: no file names an internal document
    (id, path or page address) or the holder or e-mail of a role that owns only internal
    ones. The editor's guide (which uses example ids and names) says `visibility: internal`
    and is left out, and the links to it become text. Titles are not looked for: the example's process steps carry their routines' names."""
    root = FIXTURES.parent.parent
    full = check_handbook(root, dt.date(2026, 11, 22))
    shown = [d for d in full.documents if is_published(d)]
    hidden = [d for d in full.documents if not is_published(d)]
    assert shown and hidden
    named = {k for d in shown for k in (d.owner, d.decided_by)}
    secrets = {v for d in hidden for v in (d.id, d.path, d.path.removesuffix(".md")) if v}
    secrets |= {v for k, r in (full.org.roles or {}).items() if k not in named
                and any(d.owner == k for d in hidden) for v in (r.holder, r.email) if v}
    site = tmp_path / "site"
    env = {k: v for k, v in os.environ.items() if k not in ("CI",)}
    env.update({"HANDBOK_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", "HANDBOK_VISIBILITY": "public"})
    run = subprocess.run([str(MKDOCS), "build", "--strict", "-d", str(site)], cwd=root, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    files = _contents(site)
    assert not any(name.startswith("guide/") for name in files)
    assert b"guide/skriva-styrdokument" not in files["index.html"]
    leaks = sorted({(secret, name) for name, data in files.items() for secret in secrets if secret.encode() in data})
    assert leaks == []
