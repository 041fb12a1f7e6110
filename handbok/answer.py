"""A check's whole answer, kept for the next run that has exactly the same inputs.

`handbok check` as a pre-commit hook runs again and again on a handbook that has not
changed since the last run. Its answer (what it printed and its exit code) depends on
the files under the handbook's root, the options, the day and the tool; when none of
them changed, the answer is the same, and it is written as it was instead of checked
again (issue 12: a warm check of 10,000 documents at a fraction of parsing them).

What is compared, every run, before anything is trusted:

- the tool: this package's files, the Python version and the libraries that parse and
  render (`_LIBRARIES`), each by its files' `lstat` (a reinstall writes new files);
- the options: the format, `--fail-on`, `--warn-days` and the day (`--today`, else
  HANDBOK_TODAY, else the real date), and the root's own path;
- every entry under the root (`_signature`): its relative name, type, permissions,
  size, modification and change times (`st_ctime_ns`, which no one can set by hand) and
  inode, in sorted order, so an added, removed, renamed, edited or re-permissioned
  file anywhere changes it. A link also by where it leads (`readlink`, the real path
  and what is there). Only `.git` and `.cache` at the top are left out: the check reads
  nothing there, and an answer is not kept when a folder it reads (`routines_dir`,
  `data_dir`, `docs_dir`) or a link leads into them.

Racy files. A file changed less than `RACY_NS` before the entries were listed could
change again within the same tick of the clock without its times changing; such a
file is also compared by the hash of its content, then and on every later lookup of
that answer (git's index does the same). When more than `_MAX_RACY_FILES` files or
`_MAX_RACY_BYTES` are that recent (just after a checkout), no answer is kept.

Trust. The entries are listed before the check reads anything, so a file changed
while the check runs makes the kept answer not match the next time. The answer file
carries a checksum of its content; a corrupt, truncated or foreign file is ignored.
An answer is kept only for a completed check (exit 0 or 1), never with `--base`
(it reads git) or `--no-cache`. It is written to a temporary file that then replaces
the old one; when `.cache/handbok/` cannot be written, nothing is kept and nothing is
said. The module imports almost nothing, so that a warm run does not pay for the
check's own modules.

Results. When the answer does not match, the listing is not wasted: `Pending.entries`
holds each entry's line, and `handbok.recheck` compares them with those of the last
whole check's kept result (`result-*.bin`, the same kind of file: `open_kept`,
`write_kept`), whose racy files are hashed again here (`also`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import sys
import time
from importlib.util import find_spec
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["Answer", "Pending", "lookup"]

FORMAT = 1
_FOLDER = (".cache", "handbok")
_SKIPPED = frozenset({".git", ".cache"})
RACY_NS = 2_000_000_000
"""A file changed this close before it was listed or read may change again unseen (also
`handbok.cache`)."""
_MAX_RACY_FILES = 64
_MAX_RACY_BYTES = 16 << 20
_MAX_ANSWER_BYTES = 1 << 30
_KEEP = 4  # answers kept per handbook (one per combination of options in use)
_LIBRARIES = ("yaml", "markdown", "nh3", "pymdownx")
_TRAILER = 20  # the header's length, 19 digits and a line break, ends the file
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)


class Unsigned(Exception):
    """The tree cannot be compared cheaply and exactly: no answer is kept."""


# ------------------------------------------------------------------ keys

def _tool() -> str:
    """This package and the libraries it parses and renders with, by their files."""
    parts = [f"{FORMAT}", sys.version, sys.executable]
    package = os.path.dirname(os.path.abspath(__file__))
    for dirpath, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            st = os.lstat(os.path.join(dirpath, name))
            parts.append(f"{os.path.relpath(dirpath, package)}/{name} {st.st_size} {st.st_mtime_ns} "
                         f"{st.st_ctime_ns} {st.st_ino}")
    for name in _LIBRARIES:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            parts.append(f"{name} -")
            continue
        folder = os.path.dirname(origin)
        for path in (origin, folder):
            st = os.stat(path)
            parts.append(f"{name} {path} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}")
    return _hash("\n".join(parts))


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


def _day(today: str | None, environ: os._Environ[str] | dict[str, str]) -> tuple[str, str | None]:
    """The day the check judges on, as given (the same text gives the same day; an
    unreadable one ends the check before an answer is kept), and the real date when
    that is the day (the check reads the clock again: `Pending.keep` compares)."""
    for source, value in (("--today", today), ("HANDBOK_TODAY", environ.get("HANDBOK_TODAY"))):
        if value:
            return f"{source}={value}", None
    date = dt.date.today().isoformat()
    return date, date


# ------------------------------------------------------------------ the tree

def _signature(root: str, racy: frozenset[str], now_ns: int,
               also: frozenset[str] = frozenset()) -> tuple[str, list[str], dict[str, str]]:
    """The digest of every entry under `root` (see the module docstring), the files
    compared by content, and what the digest holds of each entry (by its relative name:
    `handbok.recheck` compares them one by one), with the content hash of the files
    `also` (racy for a kept result: not part of the digest). Raises Unsigned."""
    parts: list[str] = []
    entries: dict[str, str] = {}
    hashed: list[str] = []
    hashed_bytes = 0
    real = os.path.realpath(root)  # what a link's real path is compared with
    skipped = [os.path.join(real, name) for name in _SKIPPED]
    recent = now_ns - RACY_NS
    stack = [("", root)]
    while stack:
        rel, folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                listed = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            parts.append(f"{rel}\0! {exc.errno}")
            entries[rel] = f"{entries.get(rel, '')}\n! {exc.errno}"
            continue
        for entry in listed:
            name = entry.name
            if not rel and name in _SKIPPED:
                continue
            path = f"{rel}/{name}" if rel else name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                parts.append(f"{path}\0! {exc.errno}")
                entries[path] = f"! {exc.errno}"
                continue
            mode = st.st_mode
            line = f"{mode} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}"  # the entry: in parts
            parts.append(f"{path}\0{line}")  # after its name, in entries by it
            if stat.S_ISDIR(mode):
                stack.append((path, entry.path))
            elif stat.S_ISLNK(mode):
                parts.append(_link(entry.path, skipped))
                line = f"{line}\n{parts[-1]}"
            elif stat.S_ISREG(mode) and (path in racy or st.st_mtime_ns >= recent or st.st_ctime_ns >= recent):
                hashed_bytes += st.st_size
                if len(hashed) >= _MAX_RACY_FILES or hashed_bytes > _MAX_RACY_BYTES:
                    raise Unsigned
                content = f"# {_content(entry.path)}"
                parts.append(f"{path}\0{content}")
                line = f"{line}\n{content}"
                hashed.append(path)
            elif path in also and stat.S_ISREG(mode):
                line = f"{line}\n# {_content(entry.path)}"
            entries[path] = line
    return _hash("\n".join(parts)), hashed, entries


def _link(path: str, skipped: list[str]) -> str:
    """Where a link leads. The check follows links that stay inside the root; one that
    leads into a folder left out of the signature would hide a change."""
    target = os.readlink(path)
    real = os.path.realpath(path)
    if any(real == s or real.startswith(s + os.sep) for s in skipped):
        raise Unsigned
    try:
        st = os.stat(path)
        there = f"{st.st_mode} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}"
    except OSError as exc:
        there = f"! {exc.errno}"
    return f"{path}\0-> {target}\0{real}\0{there}"


def _content(path: str) -> str:
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError as exc:
        return f"! {exc.errno}"
    with open(fd, "rb") as stream:
        return hashlib.blake2b(stream.read(_MAX_RACY_BYTES + 1), digest_size=20).hexdigest()


# ------------------------------------------------------------------ lookup and keeping

class Answer:
    """A kept answer that matches: what the check printed, and its exit code."""

    def __init__(self, output: bytes, code: int) -> None:
        self.output = output
        self.code = code

    def write(self) -> None:
        sys.stdout.flush()
        if os.linesep == "\n":
            sys.stdout.buffer.write(self.output)
        else:
            sys.stdout.write(self.output.decode("utf-8"))
        sys.stdout.flush()


class Pending:
    """The check runs: what it prints is written (`add`) to a temporary file beside the
    answers, which `keep` completes and puts in place when the check ends (`close`
    removes it otherwise). Nothing is held in memory: the JSON of 30,000 documents is
    33 MB."""

    def __init__(self, root: str, name: str, key: str, signature: str, racy: list[str],
                 clock: str | None = None, entries: dict[str, str] | None = None, result_key: str = "") -> None:
        self.root = root
        self.entries = entries or {}
        """What the signature holds of each entry under the root (`_signature`)."""
        self.result_key = result_key
        """The tool, `--warn-days`, the day and the root: what a kept result
        (`handbok.recheck`) depends on besides the entries."""
        self.clock = clock  # the real date the key holds, when the check takes today's
        self.name = name
        self.key = key
        self.signature = signature
        self.racy = racy
        self._digest = hashlib.blake2b(digest_size=20)
        self._size = 0
        self._temp = os.path.join(root, *_FOLDER, f".{name}.{os.getpid()}.tmp")
        self._out: BinaryIO | None = None
        self._failed = False

    def add(self, text: str) -> None:
        if self._failed:
            return
        data = text.encode("utf-8", "backslashreplace")  # as the reconfigured stdout writes it
        try:
            if self._out is None:
                if not _plain_folder(self.root):
                    raise OSError("no folder")
                fd = os.open(self._temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o644)
                self._out = open(fd, "wb")  # noqa: SIM115 - closed by keep or close
            self._out.write(data)
        except OSError:
            self.close()
            self._failed = True
            return
        self._digest.update(data)
        self._size += len(data)

    def keep(self, code: int, day: dt.date, folders: tuple[str, ...]) -> bool:
        """Put the answer of a check on `day` in place, unless a folder it read is one the
        signature leaves out, or midnight passed between the key and the check; whether
        it was (only then may the check's result be kept too: `handbok.recheck`)."""
        if (self._failed or code not in (0, 1) or any(_left_out(folder) for folder in folders)
                or self.clock is not None and day.isoformat() != self.clock):
            self.close()
            return False
        if self._out is None:
            self.add("")  # a check that printed nothing: the file still holds its code
            if self._out is None:
                return False
        try:
            write_kept(self._out, {"key": self.key, "signature": self.signature, "racy": self.racy, "code": code,
                                   "size": self._size, "checksum": self._digest.hexdigest()})
            self._out.close()
            self._out = None
            os.replace(self._temp, os.path.join(self.root, *_FOLDER, self.name))
            _prune(os.path.join(self.root, *_FOLDER))
        except OSError:
            self.close()
            return False
        return True

    def close(self) -> None:
        """Let go of the temporary file (the check did not end as one that is kept)."""
        if self._out is not None:
            try:
                self._out.close()
            except OSError:
                pass
            self._out = None
        _remove(self._temp)


def _left_out(folder: str) -> bool:
    first = os.path.normpath(folder).replace(os.sep, "/").split("/", 1)[0]
    return first in _SKIPPED or first == ".."


def _plain_folder(root: str, make: bool = True) -> bool:
    """Whether `.cache/handbok` is real folders inside the root, never links (with `make`,
    made when missing): an answer is never read from or written to outside the root."""
    path = root
    for part in _FOLDER:
        path = os.path.join(path, part)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            if not make:
                return False
            try:
                os.mkdir(path)
            except OSError:
                return False
            continue
        if not stat.S_ISDIR(st.st_mode):
            return False
    return True


def _prune(folder: str) -> None:
    """The `_KEEP` latest answers stay; temporary files of checks that ended an hour ago
    without removing theirs (killed) go."""
    answers = []
    stale = time.time_ns() - 3600 * 10**9
    with os.scandir(folder) as listing:
        for entry in listing:
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.name.startswith(("answer-", "result-")) and entry.name.endswith(".bin"):
                answers.append((entry.name[:6], entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
            elif entry.name.startswith((".answer-", ".result-")) and entry.name.endswith(".tmp") \
                    and entry.stat(follow_symlinks=False).st_mtime_ns < stale:
                _remove(entry.path)
    for kind in ("answer", "result"):
        for _, _, path in sorted((a for a in answers if a[0] == kind), reverse=True)[_KEEP:]:
            _remove(path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def lookup(root: Path, fmt: str, fail_on: str, warn_days: int | None, today: str | None,
           environ: os._Environ[str] | dict[str, str] | None = None) -> Answer | Pending | None:
    """The kept answer for these inputs, else a `Pending` to keep this run's answer,
    else None (nothing can be kept: see `Unsigned`)."""
    env = os.environ if environ is None else environ
    base = os.path.abspath(root)
    day, clock = _day(today, env)
    options = json.dumps([fmt, fail_on, warn_days, day, base])
    name = f"answer-{_hash(options)[:20]}.bin"
    now = time.time_ns()
    plain = _plain_folder(base, make=False)
    kept = _open(os.path.join(base, *_FOLDER, name)) if plain else None
    try:
        try:
            tool = _tool()
            key = _hash(tool + "\0" + options)
            result_key = _hash(tool + "\0" + json.dumps([warn_days, day, base]))
            racy = frozenset(kept[0]["racy"]) if kept is not None else frozenset()
            also = frozenset(_result_racy(os.path.join(base, *_FOLDER, result_name(result_key)))) - racy \
                if plain else frozenset()
            signature, hashed, entries = _signature(base, racy, now, also)
        except (Unsigned, OSError):
            return None
        if kept is not None and kept[0]["key"] == key and kept[0]["signature"] == signature:
            output = _output(*kept)
            if output is not None:
                return Answer(output, kept[0]["code"])
        return Pending(base, name, key, signature, hashed, clock, entries, result_key)
    finally:
        if kept is not None:
            os.close(kept[1])


def result_name(result_key: str) -> str:
    """The file of the result kept for `handbok.recheck`."""
    return f"result-{result_key[:20]}.bin"


def _result_racy(path: str) -> list[str]:
    """The files that were racy when the result at `path` was kept (from its header)."""
    kept = open_kept(path)
    if kept is None:
        return []
    os.close(kept[1])
    racy: list[str] = kept[0]["racy"]
    return racy if len(racy) <= _MAX_RACY_FILES else []


def _open(path: str) -> tuple[dict[str, Any], int] | None:
    """The header of an answer file and the file, open (only the header is read: the
    output only when the header matches), or None when there is none or it is not ours."""
    kept = open_kept(path)
    if kept is not None and (kept[0].get("code") not in (0, 1) or not isinstance(kept[0].get("signature"), str)):
        os.close(kept[1])
        return None
    return kept


def open_kept(path: str) -> tuple[dict[str, Any], int] | None:
    """A file kept in `.cache/handbok/` (an answer, a result of `handbok.recheck`): its
    content, then its header as a line of JSON (format, key, racy files, size and
    checksum of the content), then the header's length in `_TRAILER` bytes. The header
    and the file, open; None when there is none or it is not one."""
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError:
        return None
    try:
        size = os.fstat(fd).st_size
        if not stat.S_ISREG(os.fstat(fd).st_mode) or not _TRAILER < size <= _MAX_ANSWER_BYTES:
            raise ValueError("not an answer")
        tail = os.pread(fd, _TRAILER, size - _TRAILER)
        if len(tail) != _TRAILER or not tail.endswith(b"\n") or not tail[:-1].isdigit():
            raise ValueError("no length")
        length = int(tail[:-1])
        if not 0 < length <= min(size - _TRAILER, 1 << 20):
            raise ValueError("length")
        header = json.loads(os.pread(fd, length, size - _TRAILER - length))
        if (not isinstance(header, dict) or header.get("format") != FORMAT
                or header.get("size") != size - _TRAILER - length
                or not all(isinstance(header.get(k), str) for k in ("key", "checksum"))
                or not isinstance(header.get("racy"), list)
                or not all(isinstance(p, str) for p in header["racy"])):
            raise ValueError("header")
    except (OSError, ValueError, RecursionError):
        os.close(fd)
        return None
    return header, fd


def write_kept(out: BinaryIO, header: dict[str, Any]) -> None:
    """End a kept file whose content is written (`open_kept`)."""
    line = json.dumps({"format": FORMAT, **header}).encode() + b"\n"
    out.write(line)
    out.write(f"{len(line):019d}\n".encode())


def _output(header: dict[str, Any], fd: int) -> bytes | None:
    """The output of an open answer file, if its checksum is right."""
    size = header["size"]
    try:
        chunks = []
        at = 0
        while at < size:
            chunk = os.pread(fd, min(size - at, 1 << 24), at)
            if not chunk:
                return None
            chunks.append(chunk)
            at += len(chunk)
    except OSError:
        return None
    output = b"".join(chunks)
    if hashlib.blake2b(output, digest_size=20).hexdigest() != header["checksum"]:
        return None
    return output
