"""The check's cache (`handbok.cache`): a cached run gives byte for byte the JSON of a cold
run after every kind of change, reuses what it may, and trusts nothing it should not."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, TODAY, RunCli

import handbok.cache
from handbok.config import read_config
from handbok.core import check_handbook
from handbok.formats import render
from handbok.load import load_document
from handbok.model import Document

PERSONNUMMER = "19121212-1212"  # Skatteverket's test number: a valid check digit

ALIASED = """\
---
id: ALIAS-1
title: Delade värden
type: rutin
tags: &t [a, b]
audience: *t
---
Text.
"""

EXTRA = {
    "routines/pnr.md": f"---\nid: PNR-1\ntitle: Med nummer\ntype: rutin\n---\nKlienten {PERSONNUMMER} ringde.\n",
    "routines/aliased.md": ALIASED,
    "routines/script.md": "---\nid: SCR-1\ntitle: Skript\ntype: rutin\n---\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n",
    "routines/bad-yaml.md": "---\nid: [unclosed\n---\nText\n",
    "routines/windows.md": "\ufeff---\r\nid: WIN-1\r\ntitle: CRLF\r\ntype: rutin\r\n---\r\nRad ett\r\n",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The `faults` fixture (a finding of each kind) and a few more odd documents."""
    handbook = tmp_path / "handbok"
    shutil.copytree(FIXTURES / "faults", handbook, ignore=shutil.ignore_patterns(".cache"))
    for rel, text in EXTRA.items():
        (handbook / rel).write_bytes(text.encode("utf-8"))
    (handbook / "routines/latin1.md").write_bytes("---\ntitle: Rättelse\n---\n".encode("cp1252"))
    return handbook


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths the cached check parsed (a cache hit parses nothing)."""
    seen: list[str] = []

    def counting(rel: str, data: bytes):  # type: ignore[no-untyped-def]
        seen.append(rel)
        return load_document(rel, data)

    monkeypatch.setattr(handbok.cache, "load_document", counting)
    yield seen


def output(root: Path, cache: bool) -> str:
    config, _ = read_config(root)
    return render(check_handbook(root, TODAY, config, cache=cache), "json", "overdue")


def same(root: Path) -> str:
    """Run cached, then cold; they must be identical (returns the JSON)."""
    cached = output(root, True)
    cold = output(root, False)
    assert cached == cold
    return cold


def documents(root: Path) -> int:
    return sum(1 for _ in (root / "routines").rglob("*.md"))


def test_a_warm_run_parses_nothing_and_equals_a_cold_run(root: Path, parses: list[str]) -> None:
    same(root)
    assert len(parses) == documents(root)  # the first run fills the cache
    parses.clear()
    same(root)
    # only the document whose shared YAML values JSON cannot keep apart is parsed again
    assert parses == ["routines/aliased.md"]
    assert (root / ".cache/handbok").is_dir()


def _edit_body(root: Path) -> None:
    path = root / "routines/ok.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\nNy rad med {PERSONNUMMER} och <iframe>.\n",
                    encoding="utf-8")


def _edit_front_matter(root: Path) -> None:
    path = root / "routines/ok.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\nunit: okand-enhet\n", 1),
                    encoding="utf-8")


def _rename(root: Path) -> None:
    (root / "routines/overdue.md").rename(root / "routines/sub/flyttad.md")


def _delete(root: Path) -> None:
    (root / "routines/due-soon.md").unlink()


def _add(root: Path) -> None:
    shutil.copy(root / "routines/ok.md", root / "routines/kopia.md")  # also a duplicate id


def _change_organisation(root: Path) -> None:
    path = root / "data/organisation.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# ändrad\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("roles:", "roles:\n  ny-roll: {title: Ny roll}", 1), encoding="utf-8")


def _allow_personnummer(root: Path) -> None:
    (root / "data/personnummer-allow.yml").write_text(f"- {PERSONNUMMER}\n", encoding="utf-8")


def _same_size_same_time(root: Path) -> None:
    """An edit that keeps the size and the modification time (a racy save, a tool that
    restores times): the content hash still tells."""
    path = root / "routines/ok.md"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = text.replace("\nid: ", "\nid: X", 1).replace("\n\n", "\n", 1)  # a new id, as long
    assert len(changed.encode()) == before.st_size
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit-body": _edit_body,
    "edit-front-matter": _edit_front_matter,
    "rename": _rename,
    "delete": _delete,
    "add": _add,
    "data-organisation": _change_organisation,
    "data-personnummer-allow": _allow_personnummer,
    "same-size-same-time": _same_size_same_time,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_after_each_change_cached_equals_cold(root: Path, parses: list[str], change: str) -> None:
    before = same(root)
    CHANGES[change](root)
    parses.clear()
    after = same(root)
    if change != "data-organisation":
        assert after != before  # the change shows: the test would catch a stale cache
    assert len(parses) <= 3  # only what changed (and the aliased document) is parsed again
    parses.clear()
    assert output(root, True) == after  # and the cache written after the change is right too
    assert parses == ["routines/aliased.md"]


def test_a_deleted_attachment_or_linked_routine_shows_at_once(root: Path, parses: list[str]) -> None:
    """Which files exist spans documents: `broken-link` is never taken from the cache, also
    when the document with the link is unchanged and taken from it."""
    (root / "routines/blankett.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "routines/bilagor.md").write_text(
        "---\nid: BIL-1\ntitle: Med bilagor\ntype: rutin\n---\n\nFyll i [blanketten](blankett.pdf).\n\n"
        "L\u00e4s [utkastet](draft.md#syfte).\n", encoding="utf-8")
    assert '"broken-link"' not in same(root)
    (root / "routines/blankett.pdf").unlink()
    parses.clear()
    after = same(root)
    assert after.count('"broken-link"') == 1
    assert parses == ["routines/aliased.md"]  # routines/bilagor.md came from the cache
    (root / "routines/draft.md").unlink()
    assert same(root).count('"broken-link"') == 2


def test_every_change_at_once_then_back(root: Path) -> None:
    original = same(root)
    saved = {p: p.read_bytes() for p in (root / "routines").rglob("*.md")}
    for change in CHANGES.values():
        change(root)
        same(root)
    for p in (root / "routines").rglob("*.md"):
        p.unlink()
    for p, data in saved.items():
        p.write_bytes(data)
    (root / "data/personnummer-allow.yml").unlink()
    shutil.copy(FIXTURES / "faults/data/organisation.yml", root / "data/organisation.yml")
    assert same(root) == original


def test_another_tool_version_invalidates_the_cache(root: Path, parses: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    same(root)
    monkeypatch.setattr(handbok.cache, "tool_key", lambda: "another version")
    parses.clear()
    same(root)
    assert len(parses) == documents(root)


def test_other_markdown_options_use_another_cache(root: Path, parses: list[str]) -> None:
    same(root)
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "markdown_extensions:\n  - attr_list\n  - md_in_html\n",
                      encoding="utf-8")
    parses.clear()
    same(root)
    assert len(parses) == documents(root)
    assert len(list((root / ".cache/handbok").iterdir())) == 2


def _cache_file(root: Path) -> Path:
    (file,) = (root / ".cache/handbok").glob("check-*.jsonl")
    return file


@pytest.mark.parametrize("damage", ["flip", "truncate", "header", "garbage", "empty", "long-line", "folder"])
def test_a_corrupt_cache_is_ignored_and_rewritten(root: Path, parses: list[str], damage: str) -> None:
    cold = same(root)
    file = _cache_file(root)
    data = file.read_bytes()
    if damage == "flip":
        middle = len(data) // 2
        file.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:])
    elif damage == "truncate":
        file.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "header":
        current = f'"format": {handbok.cache.FORMAT}'.encode()
        assert current in data
        file.write_bytes(data.replace(current, b'"format": 0', 1))
    elif damage == "garbage":
        file.write_bytes(os.urandom(5000))
    elif damage == "empty":
        file.write_bytes(b"")
    elif damage == "long-line":
        file.write_bytes(data.split(b"\n")[0] + b"\n" + b"x" * (8 << 20) + b"\n")
    else:
        file.unlink()
        file.mkdir()
    parses.clear()
    assert output(root, True) == cold
    if damage != "flip":
        assert len(parses) >= documents(root) - 1
    if damage != "folder":
        parses.clear()
        assert output(root, True) == cold  # rewritten: warm again
        assert parses == ["routines/aliased.md"]


def test_a_copied_or_planted_cache_is_never_used(root: Path, tmp_path: Path, parses: list[str]) -> None:
    """The entries are bound to the files' inodes and change times: a cache that comes
    with a copy of the handbook (or in a commit) matches no file, even where the
    documents are byte for byte the same."""
    same(root)
    copy = tmp_path / "kopia"
    shutil.copytree(root, copy)  # copies .cache/ and the modification times
    forged = _cache_file(copy)
    forged.write_text(forged.read_text(encoding="utf-8").replace("Skript", "Ofarligt"), encoding="utf-8")
    parses.clear()
    assert output(copy, True) == output(copy, False)
    assert len(parses) == documents(copy)


def test_a_file_that_is_no_longer_safe_is_not_taken_from_the_cache(root: Path, tmp_path: Path) -> None:
    """The cache is no way around the file rules: a document replaced by a link out of the
    root, a FIFO or a file past max_file_kb is a finding, as in a cold run."""
    same(root)
    outside = tmp_path / "utanfor.md"
    shutil.copy(root / "routines/ok.md", outside)
    (root / "routines/ok.md").unlink()
    (root / "routines/ok.md").symlink_to(outside)
    (root / "routines/draft.md").unlink()
    os.mkfifo(root / "routines/draft.md")
    big = root / "routines/history.md"
    big.write_text(big.read_text(encoding="utf-8") + "x" * (1100 * 1024), encoding="utf-8")
    result = same(root)
    for code in ("outside-root", "not-a-file", "file-too-large"):
        assert f'"code": "{code}"' in result


def test_no_cache_where_it_cannot_be_written(root: Path, tmp_path: Path) -> None:
    """A `.cache` that is a file, or a link out of the root: the check runs, quietly
    without a cache, and writes nothing anywhere."""
    (root / ".cache").write_text("not a folder", encoding="utf-8")
    same(root)
    assert (root / ".cache").read_text(encoding="utf-8") == "not a folder"
    (root / ".cache").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".cache").symlink_to(elsewhere)
    same(root)
    assert list(elsewhere.iterdir()) == []


def test_read_only_handbook(root: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anyway")
    os.chmod(root, 0o555)
    try:
        same(root)
        assert not (root / ".cache").exists()
    finally:
        os.chmod(root, 0o755)


def test_the_command_line_uses_the_cache_unless_told_not_to(cli: RunCli, root: Path) -> None:
    args = ("check", root, "--today", TODAY.isoformat(), "--format", "json", "--fail-on", "never")
    cold = cli(*args, "--no-cache")
    assert not (root / ".cache").exists()
    first = cli(*args)
    warm = cli(*args)
    assert cold.stdout == first.stdout == warm.stdout
    assert cold.returncode == first.returncode == warm.returncode == 0
    assert _cache_file(root).is_file()


def _site_files(site: Path) -> dict[str, object]:
    """Every built file; a zip (the .xlsx export) by its members, gzip without its time."""
    out: dict[str, object] = {}
    for p in sorted(site.rglob("*")):
        if p.is_file():
            if p.suffix == ".xlsx":
                with zipfile.ZipFile(p) as z:
                    out[p.relative_to(site).as_posix()] = [(i.filename, z.read(i)) for i in z.infolist()
                                                           if i.filename != "docProps/core.xml"]  # its time
            else:
                data = p.read_bytes()
                out[p.relative_to(site).as_posix()] = gzip.decompress(data) if p.suffix == ".gz" else data
    return out


@pytest.mark.site
def test_the_site_built_from_the_cache_equals_a_cold_build(root: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY")}
    env.update({"HANDBOK_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"})
    mkdocs = Path(sys.executable).with_name("mkdocs")
    sites = []
    for name in ("kall", "varm"):
        site = tmp_path / name
        subprocess.run([str(mkdocs), "build", "-d", str(site)], cwd=root, env=env, check=True,
                       capture_output=True, timeout=300)
        sites.append(_site_files(site))
        assert _cache_file(root).is_file()  # the plugin uses the cache too
    assert sites[0] == sites[1]


def test_a_cache_that_cannot_be_replaced_is_skipped_quietly(root: Path, parses: list[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(handbok.cache.os, "replace", refuse)
    same(root)
    assert list((root / ".cache/handbok").iterdir()) == []  # no temporary file left behind


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The documents (routines/…) whose files the check read."""
    seen: list[str] = []
    original = handbok.cache.Root.read

    def counting(self, path, max_bytes, walked=False, rel=None):  # type: ignore[no-untyped-def]
        if rel is not None and rel.startswith("routines/"):
            seen.append(rel)
        return original(self, path, max_bytes, walked, rel)

    monkeypatch.setattr(handbok.cache.Root, "read", counting)
    yield seen


def _bodies_needed(root: Path) -> set[str]:
    """The documents whose bodies a check reads, cached or not: the aliased one (never
    cached), those with links (`handbok.attachments`) and the public ones."""
    config, _ = read_config(root)
    return {"routines/aliased.md"} | {d.path for d in check_handbook(root, TODAY, config).documents
                                      if d.body_contains("](", "]:") or d.visibility == "public"}


def test_a_file_changed_just_before_it_was_read_is_read_again(root: Path, reads: list[str]) -> None:
    """Racy git: a file whose times lie within `RACY_NS` of the run that read it could
    change again unseen within one tick of the file system's clock; its times are not
    trusted, its content hash is compared (every file of this fixture is that new)."""
    same(root)
    reads.clear()
    output(root, True)
    assert len(reads) == documents(root)


@pytest.mark.parametrize("change", list(CHANGES))
def test_unchanged_files_are_not_read_and_every_change_shows(root: Path, reads: list[str], parses: list[str],
                                                             change: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With settled files (no racy window here), a warm run reads only the documents whose
    `lstat` changed (and the aliased one, which is not cached), yet gives the cold JSON."""
    monkeypatch.setattr(handbok.cache, "RACY_NS", 0)
    before = same(root)
    needed = _bodies_needed(root)
    assert len(needed) < documents(root) // 2
    reads.clear()
    assert output(root, True) == before
    assert set(reads) == needed
    CHANGES[change](root)
    after = same(root)
    if change != "data-organisation":
        assert after != before
    reads.clear()
    parses.clear()
    assert output(root, True) == after
    assert set(reads) == _bodies_needed(root) and parses == ["routines/aliased.md"]


def test_a_cached_document_reads_its_body_when_asked(root: Path, reads: list[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handbok.cache, "RACY_NS", 0)
    config, _ = read_config(root)
    cold = {d.path: d for d in check_handbook(root, TODAY, config).documents}
    check_handbook(root, TODAY, config, cache=True)
    reads.clear()
    warm = check_handbook(root, TODAY, config, cache=True).documents
    assert set(reads) == _bodies_needed(root)
    assert [d.path for d in warm] == list(cold)
    reads.clear()
    for doc in warm:
        assert doc.body_contains("](", "]:") == cold[doc.path].body_contains("](", "]:")
    assert reads == []  # known without reading
    for doc in warm:
        assert doc.body_contains("<iframe") == cold[doc.path].body_contains("<iframe")
    assert 0 < len(reads) < documents(root)  # a marker the cache does not know: read when asked
    assert all(doc == cold[doc.path] for doc in warm)  # every field, the body read from the file now
    lazy = next(d for d in warm if d.path == "routines/ok.md")
    assert type(lazy) is not type(cold["routines/ok.md"])  # taken from the cache
    path = root / "routines/ok.md"
    fresh = check_handbook(root, TODAY, config, cache=True).documents
    doc = next(d for d in fresh if d.path == "routines/ok.md")
    path.write_text(path.read_text(encoding="utf-8") + "\nEn ny sista rad.\n", encoding="utf-8")
    assert doc.body.endswith("En ny sista rad.\n")  # read after the change: the file as it is now


@pytest.mark.parametrize("fixture", ["faults", "hostile", "long-values", "odd-names", "far-dates", "public"])
def test_every_field_of_every_document_comes_back_from_the_cache(fixture: str) -> None:
    """Not only what the JSON shows: raw front matter, lines, history, body, every field
    (those written as the front matter's own value too)."""
    from handbok.cache import _BODY, _decode_fields, _encode_document, _NotPlain
    from handbok.load import decode, load_documents

    documents, _ = load_documents(FIXTURES / fixture)
    assert documents
    for doc in documents:
        if not doc.readable and not doc.front_matter:
            continue
        text = decode((FIXTURES / fixture / doc.path).read_bytes())
        try:
            encoded = _encode_document(doc, text)
        except _NotPlain:
            continue
        values = _decode_fields(json.loads(json.dumps(encoded, ensure_ascii=False)))
        if type(values[_BODY]) is int:
            values[_BODY] = text[len(text) - values[_BODY]:] if values[_BODY] else ""
        assert Document(*values) == doc
