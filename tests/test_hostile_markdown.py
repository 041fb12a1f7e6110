"""Routine bodies written to get script onto the page or to stop the build, one shape per
file (tests/fixtures/hostile-markdown): the check names each, the build publishes none
of it and builds every other page."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import TODAY, run_handbok
from htmlscan import scan_fragment, scan_site

from handbok.config import read_config
from handbok.core import Result, check_handbook

FIXTURE = Path(__file__).parent / "fixtures" / "hostile-markdown"
MKDOCS = Path(sys.executable).with_name("mkdocs")

# file -> the codes the check must report for it (and no other body finding)
EXPECTED = {
    "routines/ren.md": set(),
    "routines/oavslutat-staket.md": {"raw-html"},
    "routines/blandade-staket.md": {"raw-html", "unsafe-link"},
    "routines/indraget-staket.md": {"raw-html", "unsafe-link"},
    "routines/fortsattning.md": {"raw-html", "unsafe-link"},
    "routines/backtick.md": {"raw-html", "unsafe-link"},
    "routines/autolank.md": {"raw-html", "unsafe-link"},
    "routines/attribut.md": {"raw-html", "unsafe-link"},
    "routines/rubrik.md": {"raw-html", "unsafe-link"},
    "routines/djup.md": {"render-failed"},
    "routines/hakparenteser.md": {"render-failed"},
}
BODY_CODES = {"raw-html", "unsafe-link", "render-failed", "control-character"}


def _limited() -> None:
    """A child that reads without bound must fail, not take the machine with it."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def _build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """A real `mkdocs build` of the handbook at `root`, bounded in time and memory."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY")}
    env.update({"HANDBOK_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"})
    return subprocess.run([str(MKDOCS), "build", "-d", str(site)], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300, preexec_fn=_limited)


def _tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.relative_to(root).parts[0] != ".cache"}


@pytest.fixture(scope="module")
def result() -> Result:
    config, _ = read_config(FIXTURE)  # the handbook's own Markdown extensions, as the CLI reads them
    assert "attr_list" in config.markdown_extensions
    return check_handbook(FIXTURE, TODAY, config)


def test_the_check_names_every_shape(result: Result) -> None:
    found: dict[str, set[str]] = {path: set() for path in EXPECTED}
    for f in result.findings:
        if f.code in BODY_CODES:
            found.setdefault(f.path, set()).add(f.code)
    # Python-Markdown escapes some shapes (an unquoted attribute is not raw HTML to it):
    # what must hold is that every script-capable shape the renderer lets through is named.
    for path, codes in EXPECTED.items():
        assert found[path] <= codes | {"raw-html"}, (path, found[path])
        if codes:
            assert found[path], path
    assert found["routines/ren.md"] == set()
    assert {"raw-html", "unsafe-link"} <= found["routines/attribut.md"]
    attr = next(f for f in result.findings if f.path == "routines/attribut.md" and f.code == "unsafe-link")
    assert "onclick" in attr.message  # attr_list is on in this handbook's mkdocs.yml
    assert "unsafe-link" in found["routines/autolank.md"]


def test_findings_point_at_the_line(result: Result) -> None:
    by_path = {(f.path, f.code): f for f in result.findings}
    lines = (FIXTURE / "routines/oavslutat-staket.md").read_text(encoding="utf-8").split("\n")
    line = by_path[("routines/oavslutat-staket.md", "raw-html")].line
    assert line is not None and "<script>" in lines[line - 1]
    assert by_path[("routines/djup.md", "render-failed")].severity == "error"


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit"])
def test_every_format_reports_without_a_traceback(fmt: str) -> None:
    run = run_handbok("check", FIXTURE, "--today", "2026-11-22", "--format", fmt, "--fail-on", "error")
    assert run.returncode == 1  # the two texts that cannot be shown are errors
    if fmt == "json":
        data = json.loads(run.stdout)
        assert len(data["documents"]) == len(EXPECTED)
        assert {f["code"] for f in data["findings"]} >= {"raw-html", "unsafe-link", "render-failed"}
    else:
        assert "render-failed" in run.stdout and "unsafe-link" in run.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    tmp = tmp_path_factory.mktemp("hostile-markdown")
    root = tmp / "handbook"
    shutil.copytree(FIXTURE, root)
    before = _tree_digest(root)
    site = tmp / "site"
    run = _build(root, site)
    assert _tree_digest(root) == before  # the build changed no source
    return run, site, root


def test_the_build_publishes_no_script_capable_markup(built: tuple[subprocess.CompletedProcess[str], Path, Path],
                                                       ) -> None:
    run, site, _ = built
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert scan_site(site) == []


def test_every_other_page_is_built(built: tuple[subprocess.CompletedProcess[str], Path, Path]) -> None:
    _, site, _ = built
    for path in EXPECTED:
        page = site / path.removesuffix(".md") / "index.html"
        assert page.is_file(), path
    ren = (site / "routines/ren/index.html").read_text(encoding="utf-8")
    assert "Inget konstigt här" in ren and "Belopp &lt; 500 kr" in ren


@pytest.mark.parametrize("name", ["djup", "hakparenteser"])
def test_a_text_that_cannot_be_rendered_becomes_a_notice(built: tuple[subprocess.CompletedProcess[str], Path, Path],
                                                         name: str) -> None:
    _, site, _ = built
    html = (site / f"routines/{name}/index.html").read_text(encoding="utf-8")
    assert "Dokumentet kunde inte visas" in html
    assert "Förenkla texten" in html  # the reason, for the editor


def test_the_search_index_holds_the_sanitised_text(built: tuple[subprocess.CompletedProcess[str], Path, Path],
                                                    ) -> None:
    _, site, _ = built
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    texts = [d["text"] for d in index["docs"] if d["location"].startswith("routines/")]
    assert texts and not any("<script" in t or "<iframe" in t for t in texts)
    assert any("Inget konstigt här" in t for t in texts)


def test_control_characters_are_a_finding_and_never_published(copy_fixture: Callable[[str], Path],
                                                              tmp_path: Path) -> None:
    root = copy_fixture("hostile-markdown")
    source = (root / "routines/ren.md").read_text(encoding="utf-8")
    (root / "routines/ren.md").write_text(source + "\nNoll\x00byte och \x1b[31mfärg\x1b[0m.\n", encoding="utf-8")
    result = check_handbook(root, TODAY)
    found = [f for f in result.findings if f.path == "routines/ren.md" and f.code == "control-character"]
    assert len(found) == 1 and found[0].severity == "warning"
    lines = (root / "routines/ren.md").read_text(encoding="utf-8").split("\n")
    assert "\x00" in lines[found[0].line - 1]  # type: ignore[operator]
    site = tmp_path / "site"
    run = _build(root, site)
    assert run.returncode == 0, run.stderr
    page = (site / "routines/ren/index.html").read_text(encoding="utf-8")
    assert "Nollbyte och [31mfärg[0m." in page and "\x00" not in page and "\x1b" not in page


def test_scan_finds_what_it_must() -> None:
    """The scanner itself: it would see what the sanitiser is there to stop."""
    assert scan_fragment('<p><img src="x" onerror="alert(1)"></p>')
    assert scan_fragment('<a href=" java&#9;script:alert(1)">x</a>')
    assert scan_fragment("<iframe></iframe>")
    assert not scan_fragment('<p><a href="https://exempel.se/">x</a></p>')


def test_an_id_that_is_markup_is_no_search_tag(copy_fixture: Callable[[str], Path], tmp_path: Path) -> None:
    """The id becomes a search tag (so that it finds its document first) only when it is a
    valid id: a tag is not escaped by the theme."""
    root = copy_fixture("hostile-markdown")
    source = (root / "routines/ren.md").read_text(encoding="utf-8")
    (root / "routines/ren.md").write_text(
        source.replace("id: HM-000", "id: \"<img src=x onerror=alert('id')>\""), encoding="utf-8")
    site = tmp_path / "site"
    run = _build(root, site)
    assert run.returncode == 0, run.stderr
    assert scan_site(site) == []
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not any("onerror" in json.dumps(d.get("tags", [])) for d in index["docs"])
