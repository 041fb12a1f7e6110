"""A check's kept answer (`handbok.answer`): written again only while nothing it depends
on changed; after every kind of change the answer equals a cold run (`--no-cache`)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, TODAY, RunCli

from handbok import answer

DAY = TODAY.isoformat()
PERSONNUMMER = "19121212-1212"  # Skatteverket's test number: a valid check digit
LINKED = "---\nid: LNK-1\ntitle: Länkad\ntype: rutin\n---\nSe [blanketten](blankett.pdf).\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The `faults` fixture (a finding of each kind), a linked attachment, a link to a
    file elsewhere in the root and a page in docs/."""
    handbook = tmp_path / "handbok"
    shutil.copytree(FIXTURES / "faults", handbook, ignore=shutil.ignore_patterns(".cache"))
    (handbook / "routines/lankad.md").write_text(LINKED, encoding="utf-8")
    (handbook / "routines/blankett.pdf").write_bytes(b"%PDF-1.4\n")
    (handbook / "delat").mkdir()
    (handbook / "delat/gemensam.md").write_text("---\nid: GEM-1\ntitle: Gemensam\ntype: rutin\n---\nText.\n",
                                                encoding="utf-8")
    (handbook / "routines/gemensam.md").symlink_to("../delat/gemensam.md")
    (handbook / "docs").mkdir(exist_ok=True)
    (handbook / "docs/om.md").write_text("# Om handboken\n", encoding="utf-8")
    return handbook


def check(cli: RunCli, root: Path, *options: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    run = cli("check", root, "--today", DAY, "--format", "json", *options, env=env)
    return run.returncode, run.stdout, run.stderr


def kept(root: Path, fmt: str = "json", today: str | None = DAY) -> bool:
    """Whether the next check with these options writes a kept answer."""
    return isinstance(answer.lookup(root, fmt, "overdue", None, today, {}), answer.Answer)


def answers(root: Path) -> list[Path]:
    return sorted((root / ".cache/handbok").glob("answer-*.bin"))


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _same_size_same_time(root: Path) -> None:
    """An edit that keeps the size and the modification time: the change time tells."""
    path = root / "routines/ok.md"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = text.replace("\nid: ", "\nid: X", 1).replace("\n\n", "\n", 1)
    assert len(changed.encode()) == before.st_size
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _retarget(root: Path) -> None:
    link = root / "routines/gemensam.md"
    link.unlink()
    link.symlink_to("../routines/ok.md")  # the same document twice: a duplicate id


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit-body": lambda r: _append(r / "routines/ok.md", f"\nKlienten {PERSONNUMMER} ringde.\n"),
    "edit-front-matter": lambda r: (r / "routines/ok.md").write_text(
        (r / "routines/ok.md").read_text(encoding="utf-8").replace("---\n", "---\nunit: okand-enhet\n", 1),
        encoding="utf-8"),
    "same-size-same-time": _same_size_same_time,
    "rename": lambda r: (r / "routines/overdue.md").rename(r / "routines/sub/flyttad.md"),
    "delete": lambda r: (r / "routines/due-soon.md").unlink(),
    "add": lambda r: shutil.copy(r / "routines/ok.md", r / "routines/kopia.md"),
    "data": lambda r: _append(r / "data/organisation.yml", "\n  # ändrad\n"),
    "mkdocs-yml": lambda r: (r / "mkdocs.yml").write_text(
        "site_name: Handbok\nplugins:\n  - handbok:\n      warn_days: 400\n", encoding="utf-8"),
    "docs-page": lambda r: _append(r / "docs/om.md", f"\nKlienten {PERSONNUMMER} kom.\n"),
    "attachment-deleted": lambda r: (r / "routines/blankett.pdf").unlink(),
    "link-target-edited": lambda r: _append(r / "delat/gemensam.md", f"\n{PERSONNUMMER}\n"),
    "link-retargeted": _retarget,
    "codeowners": lambda r: (r / ".github").mkdir() or (r / ".github/CODEOWNERS").write_text(
        "/routines/ @nagon\n", encoding="utf-8"),
}
UNCHANGED_OUTPUT = {"data", "codeowners"}  # the check's answer is the same, found afresh


@pytest.mark.parametrize("change", list(CHANGES))
def test_after_each_change_the_answer_equals_a_cold_run(cli: RunCli, root: Path, change: str) -> None:
    first = check(cli, root)
    assert first[0] in (0, 1) and first[1].startswith("{")
    assert kept(root)
    assert check(cli, root) == first  # written from the kept answer
    CHANGES[change](root)
    assert not kept(root)  # the change is seen before anything is trusted
    after = check(cli, root)
    assert after == check(cli, root, "--no-cache")
    if change not in UNCHANGED_OUTPUT:
        assert after[1] != first[1]  # the change shows: a stale answer would be caught
    assert kept(root)
    assert check(cli, root) == after  # and the answer kept after the change is right


def test_each_combination_of_options_has_its_own_answer(cli: RunCli, root: Path) -> None:
    json_answer = check(cli, root)
    text = cli("check", root, "--today", DAY)
    assert kept(root, "json") and kept(root, "text")
    assert cli("check", root, "--today", DAY).stdout == text.stdout != json_answer[1]
    later = check(cli, root, "--fail-on", "never")
    assert later[0] == 0 and later[1] == json_answer[1]
    other_day = cli("check", root, "--today", "2030-01-01", "--format", "json")
    assert other_day.stdout != json_answer[1]
    assert other_day.stdout == cli("check", root, "--today", "2030-01-01", "--format", "json", "--no-cache").stdout
    from_env = cli("check", root, "--format", "json", env={"HANDBOK_TODAY": "2030-01-01"})
    assert from_env.stdout == other_day.stdout
    fewer_days = check(cli, root, "--warn-days", "0")
    assert fewer_days[1] != json_answer[1] and fewer_days == check(cli, root, "--warn-days", "0", "--no-cache")
    assert len(answers(root)) == 4  # the four latest kept


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty"])
def test_a_damaged_answer_is_ignored_and_written_again(cli: RunCli, root: Path, damage: str) -> None:
    good = check(cli, root)
    (path,) = answers(root)
    data = path.read_bytes()
    damaged = {"truncated": data[: len(data) // 2], "flipped": data[:10] + bytes([data[10] ^ 1]) + data[11:],
               "garbage": b"\x00\xff" * 40, "empty": b""}[damage]
    path.write_bytes(damaged)
    assert not kept(root)
    assert check(cli, root) == good
    assert path.read_bytes() == data and kept(root)


def test_a_copied_answer_is_never_used(cli: RunCli, root: Path, tmp_path: Path) -> None:
    """An answer, even a whole and well-formed one, matches only the files it was made from."""
    good = check(cli, root)
    (path,) = answers(root)
    forged = path.read_bytes().replace(b'"status": "overdue"', b'"status": "current"')
    assert forged != path.read_bytes()
    copy = tmp_path / "kopia"
    shutil.copytree(root, copy, symlinks=True)
    for other in answers(copy):
        other.write_bytes(forged)  # a length and checksum that no longer match
    assert not kept(copy)
    assert check(cli, copy)[1] == check(cli, copy, "--no-cache")[1]
    assert check(cli, root) == good


def test_no_answer_is_kept_without_the_cache_or_for_a_pull_request(cli: RunCli, root: Path) -> None:
    check(cli, root, "--no-cache")
    assert not (root / ".cache/handbok").exists() or not answers(root)


def test_nothing_is_kept_when_a_link_leads_into_a_folder_left_out(cli: RunCli, root: Path) -> None:
    (root / ".cache").mkdir()
    (root / ".cache/gomd.md").write_text("---\nid: G-1\ntitle: Gömd\ntype: rutin\n---\n", encoding="utf-8")
    (root / "routines/gomd.md").symlink_to("../.cache/gomd.md")
    first = check(cli, root)
    assert not answers(root) and not kept(root)
    _append(root / ".cache/gomd.md", f"{PERSONNUMMER}\n")
    assert check(cli, root) == check(cli, root, "--no-cache") != first


def test_nothing_is_kept_when_too_many_files_just_changed(cli: RunCli, root: Path) -> None:
    """After a checkout every file is recent: comparing them all by content would cost more
    than the check saves."""
    (root / "bilder").mkdir()
    for number in range(answer._MAX_RACY_FILES + 1):
        (root / f"bilder/{number}.txt").write_text("x", encoding="utf-8")
    assert check(cli, root) == check(cli, root, "--no-cache")
    assert not answers(root)


def test_a_recent_file_is_compared_by_content(cli: RunCli, root: Path) -> None:
    """A file changed within `RACY_NS` of the listing is named in the answer and hashed on
    every lookup, so an edit within the same clock tick is still seen."""
    check(cli, root)
    (path,) = answers(root)
    opened = answer._open(str(path))
    assert opened is not None and "routines/ok.md" in opened[0]["racy"]  # copied just now
    os.close(opened[1])
    assert kept(root)


def test_another_tool_is_another_key(cli: RunCli, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(cli, root)
    assert kept(root)
    monkeypatch.setattr(answer, "_tool", lambda: "en annan version")
    assert not kept(root)


def test_an_answer_behind_a_link_out_of_the_root_is_never_read(cli: RunCli, root: Path, tmp_path: Path) -> None:
    good = check(cli, root)
    assert kept(root)
    outside = tmp_path / "utanfor"
    (root / ".cache").rename(outside)
    (root / ".cache").symlink_to(outside)
    before = {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()}
    assert not kept(root)  # the answer there would match: it is not read
    assert check(cli, root) == good
    assert {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()} == before  # nor written


def test_no_answer_is_kept_when_midnight_passes_during_the_check(root: Path) -> None:
    pending = answer.lookup(root, "json", "overdue", None, None, {})  # the real date
    assert isinstance(pending, answer.Pending)
    pending.add("{}\n")
    real = dt.date.fromisoformat(pending.clock or "")
    assert not pending.keep(0, real + dt.timedelta(days=1), ("routines", "data", "docs"))
    assert not answers(root) and not list((root / ".cache/handbok").glob(".answer-*"))
    again = answer.lookup(root, "json", "overdue", None, None, {})
    assert isinstance(again, answer.Pending)
    again.add("{}\n")
    assert again.keep(0, real, ("routines", "data", "docs"))
    assert len(answers(root)) == 1 and not list((root / ".cache/handbok").glob(".answer-*"))


def test_no_answer_is_kept_for_a_folder_the_signature_leaves_out(root: Path) -> None:
    pending = answer.lookup(root, "json", "overdue", None, DAY, {})
    assert isinstance(pending, answer.Pending)
    pending.add("{}\n")
    assert not pending.keep(0, TODAY, (".cache/rutiner", "data", "docs"))  # nor its result (`handbok.recheck`)
    assert not answers(root) and not list((root / ".cache/handbok").glob(".answer-*"))
