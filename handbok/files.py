"""The only place that walks a handbook's folders and reads its files.

Nothing outside the handbook's root is read: a symbolic link whose target lies
outside it is a finding and is neither read nor listed; a link inside it is
followed once (a loop is a finding). Only regular files are opened, and no more
than a set number of bytes is read of any file (a link to /dev/zero must not
fill the memory, a FIFO must not block the build).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from . import messages as msg
from .model import Document, Finding

__all__ = [
    "Root",
    "folders_outside",
    "path_collisions",
    "shown",
    "site_address",
    "unsafe_source",
    "walk_markdown",
]

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CHUNK = 1 << 20


def shown(text: str) -> str:
    """A path as it can be shown: bytes that are not UTF-8 (os gives them as lone
    surrogates) are written as \\xNN."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _within(real: str, base: str) -> bool:
    return real == base or os.path.commonpath([real, base]) == base


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode):
        return "char"
    if stat.S_ISBLK(mode):
        return "block"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISDIR(mode):
        return "dir"
    return "other"


class Root:
    """The resolved root of a handbook (the folder with mkdocs.yml)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.real = os.path.realpath(self.path)
        base = os.fspath(self.path)
        self._prefix = "" if base in ("", ".") else os.path.join(base, "")  # Path("./x") is "x"

    def inside(self, path: Path | str) -> bool:
        """Whether `path`, every link on the way resolved, lies in the root."""
        return _within(os.path.realpath(path), self.real)

    def rel(self, path: Path | str) -> str:
        """`path` relative to the root, with `/`, bad bytes shown as \\xNN."""
        return shown(self.raw_rel(path))

    def raw_rel(self, path: Path | str) -> str:
        """`path` relative to the root, with `/`, as the file system gave it."""
        text = os.fspath(path)
        if text.startswith(self._prefix) and not os.path.isabs(text[len(self._prefix):]):
            # every path a walk yields: no pathlib per file
            rel = text[len(self._prefix):]
            return rel.replace(os.sep, "/") if os.sep != "/" else rel
        try:
            return Path(path).relative_to(self.path).as_posix()
        except ValueError:
            return Path(os.path.relpath(path, self.path)).as_posix()

    def read(self, path: Path, max_bytes: int, walked: bool = False, rel: str | None = None) -> bytes | Finding:
        """The bytes of a regular file in the root, or the finding why it is not read.

        `walked`: the folders on the way were checked by `walk_markdown`, so only the
        file itself can be a link (saves resolving every component of every document).
        """
        rel = self.rel(path) if rel is None else rel
        try:
            st = os.lstat(path)
        except OSError as exc:
            return Finding("error", "unreadable", rel, None, msg.unreadable(exc.strerror or str(exc)))
        target = str(path)
        if stat.S_ISLNK(st.st_mode) or not walked:
            target = os.path.realpath(path)
            if not _within(target, self.real):
                link = stat.S_ISLNK(st.st_mode)
                return Finding("error", "outside-root", rel, None,
                               msg.outside_root(_link_text(path) if link else shown(target), link))
            if stat.S_ISLNK(st.st_mode):
                try:
                    st = os.stat(target)
                except OSError as exc:
                    return _broken_link(rel, path, exc)
        if not stat.S_ISREG(st.st_mode):
            return Finding("error", "not-a-file", rel, None, msg.not_a_file(_kind(st.st_mode)))
        return _read_regular(target, rel, max_bytes)


def _link_text(path: Path | str) -> str:
    try:
        return shown(os.readlink(path))
    except OSError:
        return shown(os.path.realpath(path))


def _broken_link(rel: str, path: Path | str, exc: OSError) -> Finding:
    if exc.errno == errno.ELOOP:
        return Finding("error", "symlink-loop", rel, None, msg.SYMLINK_CHAIN_LOOP)
    if exc.errno == errno.ENOENT:
        return Finding("error", "unreadable", rel, None, msg.dangling_link(_link_text(path)))
    return Finding("error", "unreadable", rel, None, msg.unreadable(exc.strerror or str(exc)))


def _read_regular(target: str, rel: str, max_bytes: int) -> bytes | Finding:
    """Open a file that should be regular without following a link or blocking; read at
    most max_bytes + 1 bytes."""
    too_large = Finding("error", "file-too-large", rel, None, msg.file_too_large(max(max_bytes // 1024, 1)))
    try:
        fd = os.open(target, _OPEN_FLAGS | _NOFOLLOW)
    except OSError as exc:
        return Finding("error", "unreadable", rel, None, msg.unreadable(exc.strerror or str(exc)))
    try:
        st = os.fstat(fd)  # what was opened, not what was looked at before
        if not stat.S_ISREG(st.st_mode):
            return Finding("error", "not-a-file", rel, None, msg.not_a_file(_kind(st.st_mode)))
        if st.st_size > max_bytes:
            return too_large
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(max_bytes + 1 - total, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        return Finding("error", "unreadable", rel, None, msg.unreadable(exc.strerror or str(exc)))
    finally:
        os.close(fd)
    if total > max_bytes:
        return too_large
    return b"".join(chunks)


class _Walk:
    """One walk of a folder: every real folder is read once; links to folders are followed
    after the real folders, so that a folder is listed under its own name first."""

    def __init__(self, root: Root) -> None:
        self.root = root
        self.found: list[Path] = []
        self.findings: list[Finding] = []
        self.visited: set[str] = set()
        self.links: list[tuple[Path, str]] = []  # (link, its real target folder)
        self.followed = False  # a folder was reached through a link (after the real ones)

    def error(self, code: str, path: Path | str, message: str, severity: str = "error") -> None:
        self.findings.append(Finding(severity, code, self.root.rel(path), None, message))  # type: ignore[arg-type]

    def run(self, base: Path) -> None:
        self.folder(base, os.path.realpath(base))
        while self.links:
            self.links.sort(key=lambda item: _order(item[0]))
            link, real = self.links.pop(0)
            self.followed = True
            ancestor = _within(os.path.realpath(link.parent), real)  # e.g. a link to `..`
            if ancestor or real in self.visited:
                self.error("symlink-loop", link, msg.symlink_loop(self._shown_target(real), ancestor))
                continue
            self.folder(link, real)

    def _shown_target(self, real: str) -> str:
        if _within(real, self.root.real):
            rel = Path(os.path.relpath(real, self.root.real)).as_posix()
            return shown(rel) + "/" if rel != "." else "./"
        return shown(real)

    def folder(self, path: Path, real: str) -> None:
        stack = [(path, real)]
        while stack:
            path, real = stack.pop()
            if real in self.visited:
                continue  # reached again inside a folder a link led to: read once only
            self.visited.add(real)
            try:
                entries = sorted(os.scandir(path), key=lambda e: e.name)
            except OSError as exc:
                self.error("unreadable", path, msg.unreadable(exc.strerror or str(exc)))
                continue
            subfolders: list[tuple[Path, str]] = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                child = path / entry.name
                if entry.is_symlink():
                    self.link(child, entry.name)
                elif entry.is_dir(follow_symlinks=False):
                    subfolders.append((child, os.path.join(real, entry.name)))
                elif self.document_name(child, entry.name):
                    if entry.is_file(follow_symlinks=False):
                        self.found.append(child)
                    else:
                        self.not_a_file(child, entry.stat(follow_symlinks=False).st_mode)
            stack.extend(reversed(subfolders))

    def document_name(self, path: Path, name: str) -> bool:
        """Whether a file of this name is a document; a finding when it almost is."""
        if not name.endswith(".md"):
            if name.lower().endswith(".md"):
                self.error("skipped-file", path, msg.skipped_file(name[-3:]), "warning")
            return False
        if not _is_utf8(self.root.raw_rel(path)):
            self.error("file-name", path, msg.FILE_NAME_NOT_UTF8)
            return False
        return True

    def not_a_file(self, path: Path, mode: int) -> None:
        self.error("not-a-file", path, msg.not_a_file(_kind(mode)))

    def link(self, path: Path, name: str) -> None:
        real = os.path.realpath(path)
        if not _within(real, self.root.real):
            if name.lower().endswith(".md") or os.path.isdir(path):
                self.error("outside-root", path, msg.outside_root(_link_text(path)))
            return
        try:
            st = os.stat(path)
        except OSError as exc:
            if self.document_name(path, name):
                if exc.errno == errno.ENOENT:
                    self.found.append(path)  # listed: reading it says where the link leads
                else:
                    self.findings.append(_broken_link(self.root.rel(path), path, exc))
            return
        if stat.S_ISDIR(st.st_mode):
            self.links.append((path, real))
        elif self.document_name(path, name):
            if stat.S_ISREG(st.st_mode):
                self.found.append(path)
            else:
                self.not_a_file(path, st.st_mode)


def _order(path: Path) -> tuple[tuple[int, str], ...]:
    """The order of os.walk with sorted names: a folder's files, then its subfolders."""
    parts = path.parts
    return (*((1, p) for p in parts[:-1]), (0, parts[-1]))


class _FileWalk(_Walk):
    """A walk that lists the files whose names end with one of `suffixes` (any case),
    quietly: what it leaves out is not a document."""

    def __init__(self, root: Root, suffixes: tuple[str, ...]) -> None:
        super().__init__(root)
        self.suffixes = suffixes

    def document_name(self, path: Path, name: str) -> bool:
        return name.lower().endswith(self.suffixes) and _is_utf8(self.root.raw_rel(path))


def walk_files(root: Root, folder: str, suffixes: tuple[str, ...]) -> list[Path]:
    """Every file under root/folder whose name ends with one of `suffixes` (lower case),
    as `walk_markdown` lists documents: inside the root, hidden ones skipped, in order."""
    base = root.path / folder
    if not os.path.isdir(base) or not root.inside(base):
        return []
    walk = _FileWalk(root, suffixes)
    walk.run(base)
    if walk.followed:
        walk.found.sort(key=_order)
    return walk.found


def walk_markdown(root: Root, folder: str) -> tuple[list[Path], list[Finding]]:
    """Every `.md` file under root/folder, any depth, in a stable order, and the findings
    about what was not listed: links out of the root, loops, files that are not regular,
    names that are not UTF-8, `.MD` files. Hidden files and folders are skipped."""
    base = root.path / folder
    if not os.path.isdir(base):
        return [], []
    if not root.inside(base):
        return [], [Finding("error", "outside-root", shown(folder), None,
                            msg.folder_outside_root("routines_dir", shown(folder)))]
    walk = _Walk(root)
    walk.run(base)
    if walk.followed:  # else the walk (sorted names, a folder's files first) is in order already
        walk.found.sort(key=_order)
    return walk.found, walk.findings


def folders_outside(root: Path, folders: dict[str, str]) -> str | None:
    """The message about the first folder (option -> folder, e.g. routines_dir -> ../x)
    that lies outside the root (after resolving every link), or None."""
    handbook = Root(root)
    for option, folder in folders.items():
        path = handbook.path / folder
        if not handbook.inside(path):
            link = os.path.islink(path) and not os.path.isabs(folder) and ".." not in Path(folder).parts
            target = shown(os.path.realpath(path)) if link else None
            return msg.folder_outside_root(option, shown(folder), target)
    return None


def unsafe_source(root: Root, path: str, name: str) -> str | None:
    """Why a file that MkDocs found in docs/ must not be published (a link out of the root,
    not a regular file, a name that is not UTF-8), as the message to log; None if it may."""
    shown_name = shown(name)
    if not _is_utf8(name):
        return msg.docs_file_name(shown_name)
    if not root.inside(path):
        return msg.docs_outside_root(shown_name)
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return None  # MkDocs says itself that it cannot read it
    return None if regular else msg.docs_not_a_file(shown_name)


def site_address(path: str) -> str:
    """The address MkDocs gives a page (use_directory_urls): `a/b.md` -> `a/b/`,
    `a/index.md` and `a/README.md` -> `a/`."""
    parent, _, name = path.rpartition("/")
    stem = name[:-3] if name.endswith(".md") else name
    prefix = f"{parent}/" if parent else ""
    if stem in ("index", "README"):
        return prefix
    return f"{prefix}{stem}/"


def path_collisions(documents: Iterable[Document]) -> list[Finding]:
    """`path-collision` on every document whose site address another one also gets
    (compared without case too: many web servers and file systems do not tell them apart)."""
    groups: dict[str, list[tuple[Document, str]]] = {}
    for doc in documents:
        address = site_address(doc.path)
        groups.setdefault(address.casefold(), []).append((doc, address))
    findings: list[Finding] = []
    for group in groups.values():
        if len(group) < 2:
            continue
        for doc, address in group:
            others = [o for o, _ in group if o is not doc]
            same_case = all(a == address for o, a in group if o is not doc)
            names = ", ".join(o.path for o in others)
            findings.append(Finding("error", "path-collision", doc.path, None,
                                    msg.path_collision(names, address or "/", same_case), doc.id))
    return findings
