"""A check after only routine bodies changed (`handbok.recheck`): the kept result with
those documents' body findings computed again equals a whole cold check, in every
format; any other change, and a damaged or foreign kept result, gives a whole check."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES, TODAY, RunCli

from handbok import answer, recheck
from handbok.cli import CHECK_FORMATS
from handbok.config import read_config
from handbok.core import check_handbook
from handbok.formats import render

DAY = TODAY.isoformat()
PERSONNUMMER = "19121212-1212"  # Skatteverket's test number: a valid check digit


def copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root, ignore=shutil.ignore_patterns(".cache"))
    return root


def whole(cli: RunCli, root: Path, fmt: str = "json") -> str:
    """A check with the cache: keeps the answer and the result."""
    return cli("check", root, "--today", DAY, "--format", fmt).stdout


def cold(cli: RunCli, root: Path, fmt: str) -> tuple[int, str]:
    run = cli("check", root, "--today", DAY, "--format", fmt, "--no-cache")
    return run.returncode, run.stdout


def rechecked(root: Path, fmt: str = "json") -> bool:
    """Whether the next check puts its result together from the kept one."""
    pending = answer.lookup(root, fmt, "overdue", None, DAY, {})
    assert isinstance(pending, answer.Pending)
    config, _ = read_config(root)
    return recheck.recheck(root, TODAY, config, pending) is not None


def assert_all_formats_equal_cold(cli: RunCli, root: Path) -> None:
    for fmt in CHECK_FORMATS:
        for kept in (root / ".cache/handbok").glob("answer-*.bin"):
            kept.unlink()  # else the second run of a format writes its kept answer
        run = cli("check", root, "--today", DAY, "--format", fmt)
        assert (run.returncode, run.stdout) == cold(cli, root, fmt), fmt


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _save_by_renaming(path: Path, text: str) -> None:
    """As many editors save: a new file renamed over the old one (a new inode; the
    folder's times change)."""
    temp = path.with_name(f".{path.name}.swp")
    temp.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    os.replace(temp, path)


# (fixture, what is done to it): each changes only bodies of routines.
BODY_EDITS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "personnummer": ("faults", lambda r: _append(r / "routines/ok.md", f"\nKlienten {PERSONNUMMER} ringde.\n")),
    "raw-html-and-broken-link": ("faults", lambda r: _append(
        r / "routines/ok.md", "\nSe <script>x()</script> och [blanketten](saknas.pdf).\n")),
    "finding-removed": ("faults", lambda r: (r / "routines/raw-html.md").write_text(
        (r / "routines/raw-html.md").read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n\nRen text.\n",
        encoding="utf-8")),
    "two-files": ("faults", lambda r: (_append(r / "routines/ok.md", "\n[Fel](finns-inte.md)\n"),
                                       _append(r / "routines/overdue.md", f"\n{PERSONNUMMER}\n"))),
    "touched-only": ("faults", lambda r: os.utime(r / "routines/ok.md", ns=(1, 1))),
    "saved-by-renaming": ("faults", lambda r: _save_by_renaming(r / "routines/ok.md", "\nEn rad till.\n")),
    "public-links-internal": ("public", lambda r: _append(
        r / "routines/publikt/hjalp.md", "\nSe [den interna](../intern-qx7dir/hemlig-qx7fil.md).\n")),
    "public-link-removed": ("public", lambda r: (r / "routines/publikt/riktlinje.md").write_text(
        (r / "routines/publikt/riktlinje.md").read_text(encoding="utf-8").split("# Riktlinje", 1)[0]
        + "# Riktlinje för ekonomiskt bistånd\n\nInga länkar.\n", encoding="utf-8")),
    "attachment-linked": ("attachments", lambda r: _append(
        next(p for p in sorted((r / "routines").rglob("*.md"))), "\n![Farlig](../farlig.svg)\n[x](verktyg.exe)\n")),
}


@pytest.mark.parametrize("edit", list(BODY_EDITS))
def test_a_body_edit_is_rechecked_and_equals_a_cold_check_in_every_format(
        cli: RunCli, tmp_path: Path, edit: str) -> None:
    fixture, change = BODY_EDITS[edit]
    root = copy(tmp_path, fixture)
    before = whole(cli, root)
    assert list((root / ".cache/handbok").glob("result-*.bin"))
    change(root)
    assert rechecked(root)
    assert_all_formats_equal_cold(cli, root)
    if edit not in ("touched-only", "saved-by-renaming"):
        assert whole(cli, root) != before  # the edit was seen


def test_edited_back_and_forth_every_recheck_equals_a_cold_check(cli: RunCli, tmp_path: Path) -> None:
    root = copy(tmp_path, "faults")
    whole(cli, root)
    path = root / "routines/ok.md"
    original = path.read_text(encoding="utf-8")
    for text in (original + f"\n{PERSONNUMMER}\n", original, original + "\n<b>fet</b>\n", original):
        path.write_text(text, encoding="utf-8")
        assert rechecked(root)
        assert whole(cli, root) == cold(cli, root, "json")[1]


def test_nothing_changed_in_another_format_is_put_together_from_the_kept_result(
        cli: RunCli, tmp_path: Path) -> None:
    root = copy(tmp_path, "faults")
    whole(cli, root, "json")
    assert rechecked(root, "text")
    assert whole(cli, root, "text") == cold(cli, root, "text")[1]


def _front_matter(r: Path) -> None:
    path = r / "routines/ok.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\nunit: okand-enhet\n", 1), encoding="utf-8")


def _heading_title(r: Path) -> None:
    """A document without a title in its front matter takes its first heading: a body
    edit that changes a field."""
    path = r / "routines/ok.md"
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if not line.startswith("title:")]
    path.write_text("\n".join(lines) + "\n# Första rubriken\n", encoding="utf-8")


# Changes a recheck must not take: after each, the check is a whole one.
OTHER_CHANGES: dict[str, Callable[[Path], None]] = {
    "front-matter": _front_matter,
    "title-from-heading": _heading_title,
    "added": lambda r: (r / "routines/ny.md").write_text("---\nid: NY-1\ntitle: Ny\ntype: rutin\n---\nText.\n",
                                                         encoding="utf-8"),
    "removed": lambda r: (r / "routines/overdue.md").unlink(),
    "renamed": lambda r: (r / "routines/overdue.md").rename(r / "routines/sub/flyttad.md"),
    "data": lambda r: _append(next(p for p in sorted((r / "data").glob("*.yml"))), "\n# ändrad\n"),
    "mkdocs-yml": lambda r: _append(r / "mkdocs.yml", "\n# ändrad\n"),
    "docs-page": lambda r: (r / "docs").mkdir(exist_ok=True) or (r / "docs/ny.md").write_text(
        f"# Sida\n\n{PERSONNUMMER}\n", encoding="utf-8"),
    "attachment": lambda r: (r / "routines/bilaga.pdf").write_bytes(b"%PDF-1.4\n"),
    "link-made": lambda r: (r / "routines/lank.md").symlink_to("ok.md"),
    "folder-permissions": lambda r: (r / "routines/sub").chmod(0o700),
    "file-permissions": lambda r: (r / "routines/ok.md").chmod(0o600),
    "hidden-file": lambda r: (r / "routines/.utkast.md").write_text("---\nid: X\n---\n", encoding="utf-8"),
    "not-utf-8-any-more": lambda r: (r / "routines/ok.md").write_bytes(
        (r / "routines/ok.md").read_bytes() + b"\nTrasig \xff byte.\n"),
}


@pytest.mark.parametrize("change", list(OTHER_CHANGES))
def test_any_other_change_gives_a_whole_check(cli: RunCli, tmp_path: Path, change: str) -> None:
    root = copy(tmp_path, "faults")
    whole(cli, root)
    OTHER_CHANGES[change](root)
    assert not rechecked(root)
    assert whole(cli, root) == cold(cli, root, "json")[1]


def test_another_day_or_warn_days_is_another_kept_result(cli: RunCli, tmp_path: Path) -> None:
    root = copy(tmp_path, "faults")
    whole(cli, root)
    _append(root / "routines/ok.md", "\nText.\n")
    assert rechecked(root)
    for today, warn_days in (("2027-03-01", None), (DAY, 5)):
        pending = answer.lookup(root, "json", "overdue", warn_days, today, {})
        assert isinstance(pending, answer.Pending)
        config, _ = read_config(root)
        config = replace(config, warn_days=warn_days or config.warn_days)
        assert recheck.recheck(root, dt.date.fromisoformat(today), config, pending) is None


@pytest.mark.parametrize("damage", ["flipped", "truncated", "empty", "garbage"])
def test_a_damaged_kept_result_is_ignored(cli: RunCli, tmp_path: Path, damage: str) -> None:
    root = copy(tmp_path, "faults")
    whole(cli, root)
    [kept] = (root / ".cache/handbok").glob("result-*.bin")
    data = kept.read_bytes()
    kept.write_bytes({"flipped": data[:-10] + bytes([data[-10] ^ 1]) + data[-9:], "truncated": data[: len(data) // 2],
                      "empty": b"", "garbage": b"\x00\xff" * 100}[damage])
    _append(root / "routines/ok.md", f"\n{PERSONNUMMER}\n")
    assert not rechecked(root)
    assert whole(cli, root) == cold(cli, root, "json")[1]


def test_a_result_kept_elsewhere_is_never_used(cli: RunCli, tmp_path: Path) -> None:
    """A copied handbook with its .cache: every entry differs (inodes, times)."""
    root = copy(tmp_path, "faults")
    whole(cli, root)
    other = tmp_path / "kopia"
    shutil.copytree(root, other)
    _append(other / "routines/ok.md", f"\n{PERSONNUMMER}\n")
    assert not rechecked(other)


def test_a_file_racy_when_kept_is_compared_again(cli: RunCli, tmp_path: Path) -> None:
    """Every file of the copy was written just before the whole check (racy when the
    result was kept: data/ and mkdocs.yml too). They are compared by content again, so
    they neither hide a change nor stop a recheck."""
    root = copy(tmp_path, "faults")
    path = root / "routines/ok.md"
    _append(path, "\nFörst.\n")
    whole(cli, root)
    before = path.stat()
    text = path.read_text(encoding="utf-8").replace("Först.", "Sedan")  # one byte shorter
    path.write_text(text + " ", encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert rechecked(root)
    assert whole(cli, root) == cold(cli, root, "json")[1]


def test_a_result_kept_from_the_document_cache_is_rechecked(cli: RunCli, tmp_path: Path) -> None:
    """The whole check that keeps the result read its documents from the cache: their
    digests are those of the documents read afresh."""
    root = copy(tmp_path, "faults")
    whole(cli, root)  # fills the document cache
    for kept in (root / ".cache/handbok").glob("*-*.bin"):
        kept.unlink()
    whole(cli, root, "text")  # a whole check from the document cache keeps the result
    _append(root / "routines/ok.md", f"\n{PERSONNUMMER}\n")
    assert rechecked(root)
    assert whole(cli, root) == cold(cli, root, "json")[1]


EDITS = (
    f"\nKlienten {PERSONNUMMER}, <script>x()</script>, [saknas](saknas.md), [blankett](../x.pdf),"
    " [intern](../intern-qx7dir/hemlig-qx7fil.md) och <a href=\"javascript:x()\">y</a>.\n",
    "\n```\n[inte en länk](saknas.md)\n```\nText \x07 med en kontrolltecken.\n",
)


def _in_process(root: Path) -> None:
    """A whole check that keeps its result, as the command line does."""
    pending = answer.lookup(root, "json", "overdue", None, DAY, {})
    assert isinstance(pending, answer.Pending)
    config, _ = read_config(root)
    recheck.keep(pending, check_handbook(root, TODAY, config, cache=True))


@pytest.mark.parametrize("fixture", ["faults", "public", "attachments", "legal", "hostile", "supersession", "basic"])
def test_every_routine_edited_rechecks_to_a_cold_check(tmp_path: Path, fixture: str) -> None:
    """Each routine of the fixture in turn, its body edited (links, personnummer, markup,
    code, emptied): the recheck's result equals a whole check's in every format."""
    root = copy(tmp_path, fixture)
    config, _ = read_config(root)
    routines = sorted(p for p in (root / config.routines_dir).rglob("*.md") if not p.is_symlink())
    _in_process(root)
    rechecked_any = False
    for path in routines:
        data = path.read_bytes()
        head, fence, _ = data.partition(b"\n---\n")  # the body after the front matter, when it has one
        for edit in (*EDITS, ""):
            text = edit.encode() if fence else b""
            path.write_bytes(head + fence + text if fence else data + edit.encode())
            pending = answer.lookup(root, "json", "overdue", None, DAY, {})
            assert isinstance(pending, answer.Pending)
            got = recheck.recheck(root, TODAY, config, pending)
            if got is None:
                continue  # the edit changed what the file's front matter says (no front matter)
            rechecked_any = True
            want = check_handbook(root, TODAY, config, cache=True)  # a whole check (equal to a cold one:
            # tests/test_cache.py), that renders only what changed
            for fmt in CHECK_FORMATS:
                assert render(got, fmt, "overdue") == render(want, fmt, "overdue"), (path, edit, fmt)
    assert rechecked_any  # (each routine is left emptied: its hostile body is not rendered again)
