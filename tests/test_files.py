"""Hostile files: links out of the handbook, /dev/zero, /proc/self/environ, FIFOs, loops,
names that are not UTF-8, `.MD`, two routines on one address, bad data files.

Each class is a handbook made at test time (git cannot hold links, FIFOs or such names),
run through `handbok check` in every format and through a real `mkdocs build`, in
subprocesses with a memory cap and a timeout: a regression that reads /dev/zero or
opens a FIFO fails instead of eating the machine or hanging.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, HANDBOK, TODAY, CopyFixture

from handbok.core import check_handbook
from handbok.files import Root, path_collisions, site_address, walk_markdown
from handbok.load import load_documents
from handbok.model import Document, Finding
from handbok.organisation import load_organisation

MKDOCS = Path(sys.executable).with_name("mkdocs")
SECRET = f"HEMLIGT-{uuid.uuid4().hex}"  # in every outside file and in the environment
MEMORY = 1536 * 1024 * 1024
FORMATS = ("text", "json", "github", "junit")
FILE_CODES = {"outside-root", "symlink-loop", "not-a-file", "file-too-large", "skipped-file",
              "file-name", "path-collision", "unreadable", "encoding", "data-file"}
BASIC_DOCUMENTS = ["routines/current.md", "routines/overdue.md", "routines/sub/draft.md",
                   "routines/sub/due-soon.md", "routines/sub/repealed.md"]
BASIC_PAGES = ["routines/current", "routines/overdue", "routines/sub/draft", "routines/sub/due-soon",
               "routines/sub/repealed", "oversikt/dokumentforteckning"]
ROUTINE = (FIXTURES / "basic/routines/current.md").read_text(encoding="utf-8")


def _limits() -> None:
    """In the child: a regression that reads /dev/zero hits this cap and fails."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY")}
    env.update({"HANDBOK_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1",
                "HANDBOK_TEST_SECRET": SECRET})
    return env


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    raw: bytes  # stdout and stderr as bytes, to look for the secret


def run(cmd: list[str], cwd: Path | None = None, timeout: float = 60) -> Run:
    """A subprocess with a memory cap and a timeout; never a traceback."""
    done = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, timeout=timeout,
                          preexec_fn=_limits)
    stdout = done.stdout.decode("utf-8", "backslashreplace")
    stderr = done.stderr.decode("utf-8", "backslashreplace")
    assert "Traceback" not in stdout and "Traceback" not in stderr, stderr[-3000:]
    return Run(done.returncode, stdout, stderr, done.stdout + done.stderr)


def check(root: Path, fmt: str) -> Run:
    return run([str(HANDBOK), "check", str(root), "--format", fmt, "--fail-on", "never"], timeout=30)


def build(root: Path, site: Path) -> Run:
    return run([str(MKDOCS), "build", "-d", str(site)], cwd=root, timeout=180)


def snapshot(*folders: Path) -> dict[str, tuple[int, int | None, bytes | str | None]]:
    """Every entry under the folders, links not followed, FIFOs not opened."""
    out: dict[str, tuple[int, int | None, bytes | str | None]] = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            if dirpath == str(folder) and ".cache" in dirnames:  # the check's cache: the one place it writes
                dirnames.remove(".cache")
            for name in dirnames + filenames:
                path = os.path.join(dirpath, name)
                st = os.lstat(path)
                content: bytes | str | None = None
                if stat.S_ISREG(st.st_mode):
                    content = Path(path).read_bytes()
                elif stat.S_ISLNK(st.st_mode):
                    content = os.readlink(path)
                mtime = None if stat.S_ISDIR(st.st_mode) else st.st_mtime_ns
                out[path] = (st.st_mode, mtime, content)
    return out


def site_bytes(site: Path) -> Iterator[tuple[Path, bytes]]:
    for path in site.rglob("*"):
        if path.is_file():
            yield path, path.read_bytes()


# The hostile inputs, one class each. `outside` is a folder next to the handbook, outside it.

def _outside_document(outside: Path) -> Path:
    target = outside / "hemlig.md"
    target.write_text(ROUTINE.replace("T-001", "T-666").replace(
        "Ansökan om ekonomiskt bistånd", f"Hemlig {SECRET}") + f"\n{SECRET}\n", encoding="utf-8")
    return target


def link_to_outside_file(root: Path, outside: Path) -> None:
    os.symlink(_outside_document(outside), root / "routines/lank.md")


def link_to_outside_folder(root: Path, outside: Path) -> None:
    folder = outside / "mapp"
    folder.mkdir()
    (folder / "hemlig.md").write_bytes(_outside_document(outside).read_bytes())
    os.symlink(folder, root / "routines/extern")


def link_to_dev_zero(root: Path, outside: Path) -> None:
    os.symlink("/dev/zero", root / "routines/noll.md")


def link_to_environ(root: Path, outside: Path) -> None:
    os.symlink("/proc/self/environ", root / "routines/miljo.md")


def data_link_outside(root: Path, outside: Path) -> None:
    target = outside / "organisation.yml"
    text = (root / "data/organisation.yml").read_text(encoding="utf-8")
    target.write_text(text.replace("Förvaltningschef", f"Chef {SECRET}"), encoding="utf-8")
    (root / "data/organisation.yml").unlink()
    os.symlink(target, root / "data/organisation.yml")


def docs_link_outside(root: Path, outside: Path) -> None:
    target = _outside_document(outside)
    os.symlink(target, root / "docs/lank.md")
    os.symlink(target, root / "docs/lank.txt")


def fifo(root: Path, outside: Path) -> None:
    os.mkfifo(root / "routines/ror.md")
    os.mkfifo(root / "docs/ror.md")


def dangling_link(root: Path, outside: Path) -> None:
    os.symlink("finns-inte.md", root / "routines/borta.md")


def folder_loop(root: Path, outside: Path) -> None:
    os.symlink("..", root / "routines/sub/varv")


def link_inside(root: Path, outside: Path) -> None:
    (root / "delat").mkdir()
    (root / "delat/extra.md").write_text(ROUTINE.replace("T-001", "T-100"), encoding="utf-8")
    os.symlink("../delat", root / "routines/delad")


def too_large(root: Path, outside: Path) -> None:
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  - handbok\n", "  - handbok:\n      max_file_kb: 1\n"),
                                     encoding="utf-8")
    (root / "routines/stor.md").write_text(ROUTINE.replace("T-001", "T-200") + "Lång text. " * 200,
                                           encoding="utf-8")


def name_not_utf8(root: Path, outside: Path) -> None:
    name = os.fsdecode(b"r\xe4kning.md")  # Latin-1, as unzipped from an old archive
    (root / "routines" / name).write_text(ROUTINE.replace("T-001", "T-300"), encoding="utf-8")
    (root / "docs" / name).write_text("# Gammal sida\n", encoding="utf-8")


def upper_case_md(root: Path, outside: Path) -> None:
    (root / "routines/GAMMAL.MD").write_text(ROUTINE.replace("T-001", "T-400"), encoding="utf-8")


def collision(root: Path, outside: Path) -> None:
    (root / "routines/krock").mkdir()
    (root / "routines/krock.md").write_text(ROUTINE.replace("T-001", "T-501"), encoding="utf-8")
    (root / "routines/krock/index.md").write_text(ROUTINE.replace("T-001", "T-502"), encoding="utf-8")


def data_bad_byte(root: Path, outside: Path) -> None:
    path = root / "data/organisation.yml"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4] + b" # Socialn\xe4mnden"  # cp1252 on line 5
    path.write_bytes(b"\n".join(lines))


def empty_organisation(root: Path, outside: Path) -> None:
    (root / "data/organisation.yml").write_text("# Fylls i senare\n", encoding="utf-8")


@dataclass
class Case:
    make: Callable[[Path, Path], None]
    findings: list[tuple[Any, ...]]
    """(code, path) or (code, path, line): exactly the file-level findings of the check."""
    logged: list[str] = field(default_factory=list)
    """What the build must say (the check says nothing about docs/)."""
    documents: list[str] = field(default_factory=list)
    """Documents besides the fixture's own."""
    pages: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    message: str = ""
    """Said in the message of every file-level finding."""


CASES = {
    "link-to-outside-file": Case(link_to_outside_file, [("outside-root", "routines/lank.md")],
                                 absent=["routines/lank"]),
    "link-to-outside-folder": Case(link_to_outside_folder, [("outside-root", "routines/extern")],
                                   absent=["routines/extern/hemlig"]),
    "link-to-dev-zero": Case(link_to_dev_zero, [("outside-root", "routines/noll.md")],
                             absent=["routines/noll"]),
    "link-to-proc-self-environ": Case(link_to_environ, [("outside-root", "routines/miljo.md")],
                                      absent=["routines/miljo"]),
    "data-file-linked-outside": Case(data_link_outside, [("outside-root", "data/organisation.yml")]),
    "docs-file-linked-outside": Case(docs_link_outside, [], logged=["docs/lank.md", "docs/lank.txt"],
                                     absent=["lank"]),
    "fifo": Case(fifo, [("not-a-file", "routines/ror.md")], logged=["docs/ror.md"],
                 absent=["routines/ror", "ror"]),
    "dangling-link": Case(dangling_link, [("unreadable", "routines/borta.md")],
                          documents=["routines/borta.md"], message="finns-inte.md"),
    "folder-loop": Case(folder_loop, [("symlink-loop", "routines/sub/varv")]),
    "link-inside-followed": Case(link_inside, [], documents=["routines/delad/extra.md"],
                                 pages=["routines/delad/extra"]),
    "too-large": Case(too_large, [("file-too-large", "routines/stor.md")], documents=["routines/stor.md"]),
    "name-not-utf8": Case(name_not_utf8, [("file-name", "routines/r\\xe4kning.md")],
                          logged=["docs/r\\xe4kning.md"]),
    "upper-case-md": Case(upper_case_md, [("skipped-file", "routines/GAMMAL.MD")]),
    "collision": Case(collision, [("path-collision", "routines/krock.md"),
                                  ("path-collision", "routines/krock/index.md")],
                      logged=["routines/krock/index.md"],
                      documents=["routines/krock.md", "routines/krock/index.md"], pages=["routines/krock"]),
    "data-bad-byte": Case(data_bad_byte, [("encoding", "data/organisation.yml", 5)]),
    "empty-organisation": Case(empty_organisation, [("data-file", "data/organisation.yml", 1)],
                               message="tom"),
}
CHECKED = sorted(name for name in CASES if name != "docs-file-linked-outside")  # the check reads no docs/


@pytest.fixture
def hostile(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, Path, Case]:
    """A copy of the basic handbook with one class of hostile input, and the outside folder."""
    case = CASES[request.param]
    root = tmp_path / "handbok"
    shutil.copytree(FIXTURES / "basic", root)
    outside = tmp_path / "utanfor"
    outside.mkdir()
    case.make(root, outside)
    return root, outside, case


def assert_findings(findings: list[dict[str, Any]], case: Case) -> None:
    """Exactly the expected file-level findings, with their lines and words."""
    found = [f for f in findings if f["code"] in FILE_CODES]
    assert sorted((f["code"], f["path"]) for f in found) == sorted(e[:2] for e in case.findings), found
    for code, path, *line in case.findings:
        assert all(f["line"] == line[0] for f in found if (f["code"], f["path"]) == (code, path) and line)
    for f in found:
        assert case.message in f["message"]
        assert f["severity"] == ("warning" if f["code"] == "skipped-file" else "error")


@pytest.mark.parametrize("hostile", CHECKED, indirect=True)
def test_check_in_every_format(hostile: tuple[Path, Path, Case]) -> None:
    root, outside, case = hostile
    before = snapshot(root, outside)
    runs = {fmt: check(root, fmt) for fmt in FORMATS}
    for fmt, done in runs.items():
        assert done.returncode == 0, (fmt, done.stderr)
        assert SECRET.encode() not in done.raw, fmt
    data = json.loads(runs["json"].stdout)
    assert_findings(data["findings"], case)
    for f in data["findings"]:
        for fmt in ("text", "github", "junit"):
            assert f["path"] in runs[fmt].stdout, (fmt, f["path"])
    paths = [d["path"] for d in data["documents"]]
    assert sorted(paths) == sorted([*BASIC_DOCUMENTS, *case.documents])  # the others are still checked
    assert snapshot(root, outside) == before


@pytest.mark.site
@pytest.mark.parametrize("hostile", sorted(CASES), indirect=True)
def test_build(hostile: tuple[Path, Path, Case], tmp_path: Path) -> None:
    root, outside, case = hostile
    before = snapshot(root, outside)
    site = tmp_path / "site"
    done = build(root, site)
    assert done.returncode == 0, done.stderr[-3000:]
    assert SECRET.encode() not in done.raw
    for path, data in site_bytes(site):
        assert SECRET.encode() not in data, path
    for page in [*BASIC_PAGES, *case.pages]:
        assert (site / page / "index.html").is_file(), page
    for page in case.absent:
        assert not (site / page / "index.html").exists(), page
    for name in case.logged:
        assert name in done.stderr
    assert_findings(json.loads((site / "handbok.json").read_text(encoding="utf-8"))["findings"], case)
    for code, path, *line in case.findings:  # errors are logged, with their line
        assert code == "skipped-file" or f"{path}{f':{line[0]}' if line else ')'}" in done.stderr
    assert snapshot(root, outside) == before


# The folders of mkdocs.yml

def _with_options(root: Path, options: str) -> None:
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  - handbok\n", f"  - handbok:\n{options}"),
                                     encoding="utf-8")


@pytest.mark.site
@pytest.mark.parametrize("setting", ["relative", "absolute", "link"])
def test_routines_dir_outside_the_root_refuses_to_run(copy_fixture: CopyFixture, tmp_path: Path,
                                                      setting: str) -> None:
    root = copy_fixture("basic")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(root / "routines", elsewhere)
    (elsewhere / "hemlig.md").write_text(ROUTINE.replace("T-001", f"T-{SECRET}"), encoding="utf-8")
    if setting == "link":
        shutil.rmtree(root / "routines")
        os.symlink(elsewhere, root / "routines")
    else:
        folder = "../elsewhere" if setting == "relative" else str(elsewhere)
        _with_options(root, f"      routines_dir: {folder}\n")
    for fmt in FORMATS:
        done = check(root, fmt)
        assert done.returncode == 2, done.stdout
        assert "routines_dir" in done.stderr and "utanför handboken" in done.stderr
        assert SECRET.encode() not in done.raw
    site = tmp_path / "site"
    done = build(root, site)
    assert done.returncode != 0
    assert "routines_dir" in done.stderr and "utanför handboken" in done.stderr
    assert not any(SECRET.encode() in data for _, data in site_bytes(site)) if site.exists() else True


@pytest.mark.site
def test_data_dir_outside_the_root_refuses_to_run(copy_fixture: CopyFixture, tmp_path: Path) -> None:
    root = copy_fixture("basic")
    shutil.move(root / "data", tmp_path / "data-elsewhere")
    _with_options(root, "      data_dir: ../data-elsewhere\n")
    done = check(root, "json")
    assert done.returncode == 2 and done.stdout == ""
    assert "data_dir: ../data-elsewhere" in done.stderr and "utanför handboken" in done.stderr
    done = build(root, tmp_path / "site")
    assert done.returncode != 0 and "data_dir" in done.stderr and "utanför handboken" in done.stderr


def test_max_file_kb_must_be_a_positive_number(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("basic")
    _with_options(root, "      max_file_kb: noll\n")
    done = check(root, "text")
    assert done.returncode == 2 and "max_file_kb" in done.stderr


# The core, without subprocesses

def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "ror.md")
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("reading a FIFO blocked"))
    signal.alarm(5)
    try:
        result = Root(tmp_path).read(tmp_path / "ror.md", 1024)
    finally:
        signal.alarm(0)
    assert isinstance(result, Finding) and result.code == "not-a-file"
    assert "FIFO" in result.message


def test_read_is_capped(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"x" * 2048)
    root = Root(tmp_path)
    assert root.read(tmp_path / "a.md", 2048) == b"x" * 2048
    too_large = root.read(tmp_path / "a.md", 2047)
    assert isinstance(too_large, Finding) and too_large.code == "file-too-large"
    assert "max_file_kb" in too_large.message


def test_outside_link_finding_names_the_link_target_not_its_content(tmp_path: Path) -> None:
    root = tmp_path / "handbok"
    (root / "routines").mkdir(parents=True)
    (tmp_path / "hemlig.txt").write_text(SECRET, encoding="utf-8")
    os.symlink("../../hemlig.txt", root / "routines/a.md")
    paths, findings = walk_markdown(Root(root), "routines")
    assert paths == []
    assert [(f.code, f.path) for f in findings] == [("outside-root", "routines/a.md")]
    assert "../../hemlig.txt" in findings[0].message and SECRET not in findings[0].message


def test_a_link_chain_that_loops_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "routines").mkdir()
    os.symlink("b.md", tmp_path / "routines/a.md")
    os.symlink("a.md", tmp_path / "routines/b.md")
    paths, findings = walk_markdown(Root(tmp_path), "routines")
    assert paths == [] and [(f.code, f.path) for f in findings] == [
        ("symlink-loop", "routines/a.md"), ("symlink-loop", "routines/b.md")]


def test_a_second_link_to_a_folder_already_read_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "routines/riktig").mkdir(parents=True)
    (tmp_path / "routines/riktig/a.md").write_text(ROUTINE, encoding="utf-8")
    os.symlink("riktig", tmp_path / "routines/alias")  # sorts first, but the real folder wins
    paths, findings = walk_markdown(Root(tmp_path), "routines")
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["routines/riktig/a.md"]
    assert [(f.code, f.path) for f in findings] == [("symlink-loop", "routines/alias")]
    assert "redan" in findings[0].message


def test_stable_order_files_before_folders(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("basic")
    (root / "routines/a").mkdir()
    (root / "routines/a/x.md").write_text(ROUTINE, encoding="utf-8")
    (root / "routines/z.md").write_text(ROUTINE, encoding="utf-8")
    paths, _ = walk_markdown(Root(root), "routines")
    assert [p.relative_to(root).as_posix() for p in paths] == [
        "routines/current.md", "routines/overdue.md", "routines/z.md", "routines/a/x.md",
        *BASIC_DOCUMENTS[2:]]


def test_load_documents_reads_through_a_link_inside(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("basic")
    os.symlink("current.md", root / "routines/kopia.md")
    documents, findings = load_documents(root)
    assert {d.path: d.id for d in documents}["routines/kopia.md"] == "T-001"
    assert findings == []


def test_site_addresses() -> None:
    assert site_address("routines/a/b.md") == "routines/a/b/"
    assert site_address("routines/a/index.md") == "routines/a/"
    assert site_address("routines/a/README.md") == "routines/a/"
    assert site_address("index.md") == ""


def test_collisions_also_without_case() -> None:
    docs = [Document("routines/Krock.md", id="A"), Document("routines/krock/README.md", id="B"),
            Document("routines/annan.md", id="C")]
    findings = path_collisions(docs)
    assert [(f.path, f.document, f.code) for f in findings] == [
        ("routines/Krock.md", "A", "path-collision"), ("routines/krock/README.md", "B", "path-collision")]
    assert "routines/krock/README.md" in findings[0].message and "stora och små" in findings[0].message


def test_encoding_finding_of_a_data_file_has_the_line(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("basic")
    data_bad_byte(root, root)
    _, findings = load_organisation(root)
    assert [(f.code, f.line) for f in findings if f.path == "data/organisation.yml"] == [("encoding", 5)]


def test_empty_organisation_says_what_to_write(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("basic")
    empty_organisation(root, root)
    org, findings = load_organisation(root)
    assert org.roles is None  # references into it are not checked: one finding says why
    [finding] = [f for f in findings if f.path == "data/organisation.yml"]
    assert (finding.code, finding.severity) == ("data-file", "error")
    assert "tom" in finding.message and "roles" in finding.message
    result = check_handbook(root, TODAY)
    assert not [f for f in result.findings if f.code == "unknown-owner"]


def test_data_files_are_capped(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("basic")
    _, findings = load_organisation(root, max_file_kb=0)
    assert {(f.code, f.path) for f in findings} >= {("file-too-large", "data/organisation.yml")}


def test_a_link_to_an_ancestor_of_the_folder_is_a_loop(tmp_path: Path) -> None:
    (tmp_path / "routines").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/sida.md").write_text(ROUTINE, encoding="utf-8")
    os.symlink("..", tmp_path / "routines/allt")  # the handbook root: not read a second time
    paths, findings = walk_markdown(Root(tmp_path), "routines")
    assert paths == [] and [(f.code, f.path) for f in findings] == [("symlink-loop", "routines/allt")]
    assert "slinga" in findings[0].message


def test_a_mkdocs_yml_linked_from_outside_is_not_read(copy_fixture: CopyFixture, tmp_path: Path) -> None:
    root = copy_fixture("basic")
    secret = tmp_path / "hemlig.yml"
    secret.write_text("site_name: HEMLIG-7F3A\n", encoding="utf-8")
    (root / "mkdocs.yml").unlink()
    (root / "mkdocs.yml").symlink_to(secret)
    run = subprocess.run([str(HANDBOK), "check", str(root), "--today", TODAY.isoformat()],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "utanför handboken" in run.stderr
    assert "HEMLIG-7F3A" not in run.stdout + run.stderr


def test_a_walk_without_folder_links_is_in_order_without_sorting(tmp_path: Path) -> None:
    """walk_markdown sorts only when a folder was reached through a link: without one, the
    walk itself (sorted names, a folder's files before its subfolders) gives that order."""
    import random

    from handbok.files import Root, _order, walk_markdown

    rng = random.Random(7)
    names = ["a", "B", "a b", "ä", "z", "_x", "0", "a.b", "Z", "ab"]
    base = tmp_path / "routines"
    folders = [base]
    base.mkdir()
    for _ in range(60):
        parent = rng.choice(folders)
        child = parent / rng.choice(names)
        if rng.random() < 0.3 and not child.exists():
            child.mkdir()
            folders.append(child)
        elif not child.exists():
            (parent / (child.name + ".md")).write_text("x", encoding="utf-8")
    found, _ = walk_markdown(Root(tmp_path), "routines")
    assert len(found) > 20
    assert found == sorted(found, key=_order)
