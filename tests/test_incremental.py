"""Incremental rebuilds while serving: after every kind of change, the site built
incrementally (`mkdocs serve --dirty`, driven by tests/serve_steps.py) equals a full
build of the same sources, file for file, search index included; and a change to one
routine rebuilds only the pages it affects."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.site

REPO = Path(__file__).resolve().parents[1]
STEPS = Path(__file__).with_name("serve_steps.py")
URL = "http://127.0.0.1:8000/"
REBUILT_RE = re.compile(r"handbok: (\d+) sidor byggs om, (\d+) dokumentsidor är oförändrade")


def _env(visibility: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_VISIBILITY")}
    env.update({"HANDBOK_TODAY": "2026-11-23", "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1",
                "HANDBOK_VISIBILITY": visibility})
    return env


class Server:
    """A handbook served with --dirty: `build()` rebuilds as a save would, and returns
    how many document pages were left as they were (None when every page was built);
    `rebuilt` is then the number of pages rendered again."""

    def __init__(self, root: Path, site: Path, visibility: str) -> None:
        self.visibility = visibility
        self.log = site.with_suffix(".log")
        self.errors = self.log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, str(STEPS), "mkdocs.yml", str(site), URL, "--dirty"], cwd=root, env=_env(visibility),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, text=True)

    def build(self) -> int | None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        before = self.log.read_text(encoding="utf-8")
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        log = self.log.read_text(encoding="utf-8")[len(before):]
        assert answer == "built", f"{answer}\n{log}"
        found = REBUILT_RE.findall(log)
        self.rebuilt = int(found[-1][0]) if found else None
        return int(found[-1][1]) if found else None

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.errors.close()


def full_build(root: Path, site: Path, visibility: str) -> None:
    shutil.rmtree(site, ignore_errors=True)
    run = subprocess.run([sys.executable, str(STEPS), "mkdocs.yml", str(site), URL], cwd=root, env=_env(visibility),
                         input="\n", capture_output=True, text=True, timeout=300)
    assert run.stdout.strip() == "built", run.stdout + run.stderr


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(served: Path, full: Path) -> None:
    a, b = site_files(served), site_files(full)
    assert sorted(a) == sorted(b), (sorted(set(a) ^ set(b)))[:20]
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, differ[:20]


@pytest.fixture(params=["internal", "public"])  # one source, two sites: both rebuilt alike
def handbook(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, Server, Callable[[], None]]]:
    visibility = request.param
    root = tmp_path / "handbok"
    root.mkdir()
    for name in ("mkdocs.yml", "docs", "routines", "data", "macros"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, symlinks=True)
        else:
            shutil.copy2(source, root / name)
    served = tmp_path / "served"
    server = Server(root, served, visibility)

    def compare() -> None:
        full_build(root, tmp_path / "full", visibility)
        assert_same_site(served, tmp_path / "full")

    yield root, server, compare
    server.close()


def _published(path: Path, public: bool) -> bool:
    """Whether the site shows this file's page: on the public site only decided public ones."""
    head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
    return not public or ("\nvisibility: public" in head and "\nstatus: draft" not in head)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first_line_starting(path: Path, prefix: str) -> str:
    return next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith(prefix))


def test_every_kind_of_change_gives_the_full_builds_site(handbook: tuple[Path, Server, Callable[[], None]]) -> None:
    root, server, compare = handbook
    public = server.visibility == "public"
    routines = sorted((root / "routines").rglob("*.md"))
    shown = [p for p in routines if _published(p, public)]
    count = len(shown)
    pages = [p for p in (root / "docs").rglob("*.md") if not public or "visibility: internal" not in p.read_text()]
    assert server.build() is None  # the first build builds everything
    compare()

    assert server.build() == count  # nothing changed: no document page is rebuilt
    compare()

    body = shown[0]  # a body: that page, and the handbook's own pages (macros); no overview page
    _edit(body, "\n## ", "\nEn ny mening om rutinen.\n\n## ")
    assert server.build() == count - 1
    assert server.rebuilt == 1 + len(pages)
    compare()

    # a title that other documents show (related, supersedes, referring documents)
    named = [p for p in shown if any(
        _first_line_starting(p, "id:").split(":", 1)[1].strip() in q.read_text(encoding="utf-8")
        for q in shown if q != p)]
    if named:
        title = _first_line_starting(named[0], "title:")
        _edit(named[0], title, "title: En helt ny titel på rutinen")
        unchanged = server.build()
        assert unchanged is not None and unchanged < count - 1  # the page and those that name it
        compare()

    renamed = routines[1].with_name("omdopt-" + routines[1].name)  # the old page goes away
    routines[1].rename(renamed)
    server.build()
    compare()

    routines[2].unlink()  # deleted
    server.build()
    compare()

    text = routines[3].read_text(encoding="utf-8")  # added: a copy with a new id
    doc_id = _first_line_starting(routines[3], "id:").split(":", 1)[1].strip()
    (routines[3].parent / "ny-rutin.md").write_text(text.replace(doc_id, doc_id + "-NY"), encoding="utf-8")
    server.build()
    compare()

    organisation = root / "data" / "organisation.yml"  # data/: every page
    _edit(organisation, "title: ", "title: Ny ")
    assert server.build() is None
    compare()

    _edit(root / "docs" / "index.md", "\n", "\nEn ny rad på startsidan.\n")  # docs/: every page
    assert server.build() is None
    compare()
