"""Attachments (issue 9, item 16): files beside a routine are published with it, links to
them and to other routines work, and a link that leads nowhere is `broken-link`.

The fixture `attachments`: routines/ansokan/rutin.md links to a PDF, a DOCX with a space
in its name, a clean SVG flowchart, a PDF in a subfolder with parentheses and an anchor,
a CSV through a reference definition and another routine; links in code do not count.
routines/utredning.md has one broken link of each kind, each on its own line.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import FIXTURES, TODAY, CopyFixture, RunCli

from handbok.attachments import ATTACHMENT_TYPES, links_in, svg_risk
from handbok.core import Result, check_handbook

MKDOCS = Path(sys.executable).with_name("mkdocs")
ROOT = FIXTURES.parent.parent

LINKED = {
    "routines/ansokan/blankett.pdf",
    "routines/ansokan/Blankett B.docx",
    "routines/ansokan/flode.svg",
    "routines/ansokan/bilagor/bilaga(1).pdf",
    "routines/ansokan/lista.csv",
}
# utredning.md: file line -> what the finding must say
BROKEN = {
    16: "routines/saknas.pdf, som inte finns",
    17: "dokumentet routines/ansokan/beslut.md, som inte finns",
    18: "../../../etc/passwd leder ut ur handbokens mapp",
    19: "routines/farlig.svg innehåller elementet <script>",
    20: "filtypen .exe publiceras inte",
    21: "routines/.hemlig.pdf, en dold fil",
    24: "routines/gamla blanketter/blankett.pdf, som inte finns",
}


def _broken(result: Result) -> list[tuple[str, int | None, str, str]]:
    return [(f.path, f.line, f.severity, f.message) for f in result.findings if f.code == "broken-link"]


# The core --------------------------------------------------------------------------


def test_links_are_read_from_inline_links_images_and_references_not_code() -> None:
    body = (
        "Fyll i [blanketten](blankett.pdf \"PDF\") och se ![flödet](<flode med mellanslag.svg>).\n"
        "Skriv inte `[x](i-kod.pdf)` här.\n"
        "```\n[y](i-block.pdf)\n```\n"
        "~~~~ text\n[z](i-tilde.pdf)\n~~~~\n"
        "  [ref]: bilagor/lista.csv \"Lista\"\n"
        "[^1]: En fotnot, ingen länk.\n"
        "[Intyg](bilaga(1).pdf#sida) och [mer](https://exempel.example/a.pdf).\n"
    )
    assert list(links_in(body)) == [
        (1, "blankett.pdf"), (1, "flode med mellanslag.svg"), (9, "bilagor/lista.csv"),
        (11, "bilaga(1).pdf#sida"), (11, "https://exempel.example/a.pdf"),
    ]
    assert list(links_in("Ingen länk alls, bara [hakparenteser] och (parenteser).")) == []


def test_broken_links_are_warnings_at_their_lines(checked: Callable[[str], Result]) -> None:
    result = checked("attachments")
    broken = _broken(result)
    assert {path for path, *_ in broken} == {"routines/utredning.md"}  # none in rutin.md
    assert {severity for _, _, severity, _ in broken} == {"warning"}
    assert sorted(line for _, line, _, _ in broken) == sorted(BROKEN)
    for _, line, _, message in broken:
        assert BROKEN[line or 0] in message, message
    found = {f.code for f in result.findings if f.severity == "error"}
    assert found == set()


def test_every_message_says_what_to_write_instead(checked: Callable[[str], Result]) -> None:
    for _, line, _, message in _broken(checked("attachments")):
        assert any(word in message for word in ("Lägg filen", "Skriv sökvägen", "Spara", "Byt namn")), (line, message)


def test_attachments_are_those_linked_and_safe(checked: Callable[[str], Result]) -> None:
    result = checked("attachments")
    assert set(result.attachments) == LINKED
    assert all(docs == ("routines/ansokan/rutin.md",) for docs in result.attachments.values())
    assert "routines/ansokan/olankad.pdf" not in result.attachments  # beside, but nothing links to it


def test_a_deleted_routine_or_attachment_is_a_finding(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("attachments")
    assert not [f for f in _broken(check_handbook(root, TODAY)) if f[0] == "routines/ansokan/rutin.md"]
    (root / "routines/ansokan/blankett.pdf").unlink()
    (root / "routines/utredning.md").unlink()
    result = check_handbook(root, TODAY)
    lines = {line: message for path, line, _, message in _broken(result) if path == "routines/ansokan/rutin.md"}
    assert sorted(lines) == [12, 18]  # the body line in the file, not in the body
    assert "routines/ansokan/blankett.pdf, som inte finns" in lines[12]
    assert "dokumentet routines/utredning.md" in lines[18]
    assert "routines/ansokan/blankett.pdf" not in result.attachments


def test_a_link_out_of_the_root_is_never_followed(copy_fixture: CopyFixture, tmp_path: Path) -> None:
    root = copy_fixture("attachments")
    secret = tmp_path / "hemlig.pdf"
    secret.write_bytes(b"%PDF-1.4 hemligt")
    os.symlink(secret, root / "routines/ansokan/lank.pdf")
    os.symlink(tmp_path, root / "routines/ansokan/mapp")
    doc = root / "routines/ansokan/rutin.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n[A](lank.pdf) och [B](mapp/hemlig.pdf)\n", encoding="utf-8")
    result = check_handbook(root, TODAY)
    messages = [m for path, _, _, m in _broken(result) if path == "routines/ansokan/rutin.md"]
    assert len(messages) == 2 and all("utanför handboken" in m for m in messages), messages
    assert not {"routines/ansokan/lank.pdf", "routines/ansokan/mapp/hemlig.pdf"} & set(result.attachments)


def test_a_large_attachment_and_a_folder_are_not_published(copy_fixture: CopyFixture) -> None:
    from handbok.attachments import MAX_ATTACHMENT_KB

    root = copy_fixture("attachments")
    with open(root / "routines/ansokan/stor.pdf", "wb") as big:
        big.truncate(MAX_ATTACHMENT_KB * 1024 + 1)  # sparse: nothing is read to find it too large
    (root / "routines/ansokan/mapp.pdf").mkdir()
    doc = root / "routines/ansokan/rutin.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n[Stor](stor.pdf)\n\n[Mapp](mapp.pdf)\n", encoding="utf-8")
    result = check_handbook(root, TODAY)
    messages = {line: m for path, line, _, m in _broken(result) if path == "routines/ansokan/rutin.md"}
    assert any("större än 20 MB" in m for m in messages.values()), messages
    assert any("inte är en vanlig fil" in m for m in messages.values()), messages
    assert not {"routines/ansokan/stor.pdf", "routines/ansokan/mapp.pdf"} & set(result.attachments)


CLEAN_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
             b'<defs><path id="p" d="M0 0h4"/></defs><use xlink:href="#p"/><rect fill="url(#g)"/>'
             b'<image href="data:image/png;base64,iVBORw0KGgo="/><text>on the way = fine</text></svg>')


@pytest.mark.parametrize("svg", [
    b'<svg><script>alert(1)</script></svg>',
    b'<svg><SCRIPT xlink:href="x.js"/></svg>',
    b'<svg onload="alert(1)"/>',
    b'<svg><rect\nonclick =alert(1) /></svg>',
    b'<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
    b'<svg><a href="&#106;avascript:alert(1)">x</a></svg>',
    b'<svg><a href="java\tscript:alert(1)">x</a></svg>',
    b'<svg><image href="https://sparning.example/pixel.png"/></svg>',
    b'<svg><use xlink:href="annan.svg#a"/></svg>',
    b'<svg><image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>',
    b'<svg><style>rect { fill: url(https://x.example/a) }</style></svg>',
    b'<svg><style>@import "x.css";</style></svg>',
    b'<svg><foreignObject><div>x</div></foreignObject></svg>',
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg>&a;</svg>',
    b'<svg><set attributeName="href" to="#x"/></svg>',
    '<svg><text>ö</text></svg>'.encode("utf-16"),
])
def test_svg_with_script_or_references_is_refused(svg: bytes) -> None:
    assert svg_risk(svg) is not None


def test_a_plain_svg_drawing_is_published() -> None:
    assert svg_risk(CLEAN_SVG) is None
    assert svg_risk((FIXTURES / "attachments/routines/ansokan/flode.svg").read_bytes()) is None
    assert {"pdf", "docx", "png", "svg"} <= set(ATTACHMENT_TYPES)


def test_check_reports_broken_link_in_every_format(cli: RunCli) -> None:
    run = cli("check", FIXTURES / "attachments", "--today", "2026-11-22", "--format", "json")
    assert run.returncode == 0, run.stderr  # a warning: the gate does not fail on it
    data = json.loads(run.stdout)
    found = [(f["path"], f["line"]) for f in data["findings"] if f["code"] == "broken-link"]
    assert found == [("routines/utredning.md", line) for line in sorted(BROKEN)]
    run = cli("check", FIXTURES / "attachments", "--today", "2026-11-22", "--format", "github")
    assert "::warning file=routines/utredning.md,line=16" in run.stdout


# The site --------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (tag, name) in (("a", "href"), ("img", "src")):
                self.targets.append(value)


def _build(root: Path, site: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY")}
    full.update({"HANDBOK_TODAY": "2026-11-22", "NO_MKDOCS_2_WARNING": "1", **env})
    return subprocess.run([str(MKDOCS), "build", "-d", str(site)], cwd=root, env=full,
                          capture_output=True, text=True, timeout=300)


def _resolves(site: Path, page: str, href: str) -> Path | None:
    """The file in the site that `href` on the page at `page` (e.g. routines/a/b/) opens."""
    path = unquote(urlsplit(urljoin(f"http://site/{page}", href)).path).lstrip("/")
    target = site / posixpath.normpath(path) if path else site
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


@pytest.mark.site
def test_attachments_are_published_and_the_links_to_them_work(tmp_path: Path) -> None:
    root = tmp_path / "handbok"
    shutil.copytree(FIXTURES / "attachments", root)
    site = tmp_path / "site"
    run = _build(root, site)
    assert run.returncode == 0, run.stderr
    for rel in LINKED:  # published byte for byte, where the routine's folder is
        assert (site / rel).read_bytes() == (root / rel).read_bytes(), rel
    html = (site / "routines/ansokan/rutin/index.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(html[html.index("<article"):html.index("</article>")])
    targets = {t for t in parser.targets if not t.startswith(("#", "https:", "mailto:"))}
    wanted = {"blankett.pdf", "Blankett B.docx", "flode.svg", "bilaga(1).pdf", "lista.csv", "utredning/index.html"}
    opened = {}
    for href in targets:
        target = _resolves(site, "routines/ansokan/rutin/", href)
        if target is not None:
            opened[target.name if target.name != "index.html" else f"{target.parent.name}/index.html"] = href
    assert wanted <= set(opened), (targets, opened)
    # not linked, or not publishable: not in the site
    for rel in ("routines/ansokan/olankad.pdf", "routines/farlig.svg", "routines/verktyg.exe",
                "routines/.hemlig.pdf"):
        assert not (site / rel).exists(), rel


@pytest.mark.site
def test_an_attachment_swapped_for_a_link_out_of_the_root_is_not_published(tmp_path: Path) -> None:
    """What the check accepted is read again through handbok.files when the site is written."""
    from handbok.files import Root
    from handbok.mkdocs_attachments import AttachmentFile

    root = tmp_path / "handbok"
    shutil.copytree(FIXTURES / "attachments", root)
    secret = tmp_path / "hemlig.txt"
    secret.write_text("hemligt", encoding="utf-8")
    file = AttachmentFile("routines/ansokan/lista.csv", src_dir=None, dest_dir=str(tmp_path / "site"),
                          use_directory_urls=True)
    file.abs_src_path = str(root / "routines/ansokan/lista.csv")
    file.handbok_root = Root(root)
    written = tmp_path / "site/routines/ansokan/lista.csv"
    file.copy_file()
    assert written.read_bytes() == (root / "routines/ansokan/lista.csv").read_bytes()
    written.unlink()
    (root / "routines/ansokan/lista.csv").unlink()
    os.symlink(secret, root / "routines/ansokan/lista.csv")
    file.copy_file()
    assert not written.exists()


# The example handbook --------------------------------------------------------------


def test_the_example_links_a_form_and_has_no_broken_link() -> None:
    result = check_handbook(ROOT, TODAY)
    assert [f for f in result.findings if f.code == "broken-link"] == []
    assert any(rel.endswith(".pdf") for rel in result.attachments), result.attachments


def test_the_guide_explains_broken_link_and_attachments() -> None:
    guide = (ROOT / "docs/guide/skriva-styrdokument.md").read_text(encoding="utf-8")
    assert "### broken-link" in guide and "## Bilagor: blanketter och bilder" in guide
    assert ", ".join(ATTACHMENT_TYPES[:-1]) + " och " + ATTACHMENT_TYPES[-1] in guide.replace("\n", " ")
