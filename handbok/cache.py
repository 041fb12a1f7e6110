"""The check's cache: parsed documents and their own findings, kept between runs.

A check of 10,000 documents spends most of its time parsing front matter. What a
document's file alone decides is kept in `.cache/handbok/` under the handbook's root
(git-ignored) and reused while the file is unchanged:

- the parsed `Document` and the findings of reading it (`load_document`),
- the findings about its body (`render.body_findings`),
- its personnummer findings (keyed also by the allow-list, `data/personnummer-allow.yml`).

Everything that looks at more than one document (duplicate ids, references,
supersession, process gaps, path collisions, CODEOWNERS), at data/ (organisation,
legal register) or at the day (review status, repealed law) is computed afresh on
every run from the documents, so a cached run gives exactly the result of a cold run.

Trust. The cache is never a way around `handbok.files`: every document is walked and
read through `Root.read` on every run (nothing outside the root, only regular files,
the size cap), and an entry is used only when the bytes just read have the content
hash it was made from. An entry is also bound to the file's inode, device, size,
modification and change times (`st_ctime_ns`, which no one can set by hand): a cache
that was copied, committed or planted from elsewhere matches no file and is never
used. The whole cache is keyed by the tool (its version and the hash of its own
source and data files, and the versions of PyYAML, Markdown, nh3 and
pymdown-extensions) and by the options that change a document's findings
(`max_file_kb`, `markdown_extensions` and their configs, `render_timeout`). Each
line carries a checksum; a corrupt, truncated or foreign file is ignored and
rewritten. It is JSON, never pickle: reading a cache can never run code.

Writing. The cache is written only when something changed, to a temporary file
that then replaces the old one (a reader sees the old cache or the new one, never
half of one). When the folder cannot be written (a read-only checkout, a `.cache`
that is a link or a file) the check runs on without a cache and says nothing: it
never modifies anything else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .files import Root, walk_markdown
from .load import decode, load_document
from .model import Document, Finding, HistoryEntry, Interval
from .personnummer import load_allow_list, personnummer_findings

if TYPE_CHECKING:
    from .core import Config

__all__ = ["CACHE_DIR", "DocumentCache", "cached_personnummer", "config_key", "tool_key"]

CACHE_DIR = ".cache/handbok"
FORMAT = 1
_MAX_NODES = 20_000  # front matter values of one document worth caching
_LINE_SLACK = 1 << 16
_MAX_CACHE_BYTES = 1 << 30
_PACKAGES = ("PyYAML", "Markdown", "nh3", "pymdown-extensions")
_DOC_FIELDS = tuple(f.name for f in fields(Document))
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)


# ------------------------------------------------------------------ keys

@lru_cache(maxsize=1)
def tool_key() -> str:
    """The tool that made a cache: its version, the hash of every file of the package
    (so that a changed rule invalidates the cache during development too) and the
    versions of the libraries that parse and render."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{FORMAT}\0{__version__}\0{sys.version}\0{_DOC_FIELDS}\0".encode())
    for name in _PACKAGES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix == ".py" and path.is_file():  # what a cached finding can depend on
            digest.update(path.relative_to(package).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


def _stable(value: Any) -> Any:
    """A value for a key: options as mkdocs.yml gives them; a function or an extension
    instance by its qualified name (its repr holds an address that changes every run)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _stable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    kind = value if isinstance(value, type) or callable(value) and hasattr(value, "__qualname__") else type(value)
    name = f"{getattr(kind, '__module__', '?')}.{getattr(kind, '__qualname__', '?')}"
    state = getattr(value, "getConfigs", None)  # a Markdown extension instance: its options
    if callable(state) and not isinstance(value, type):
        try:
            return [name, _stable(state())]
        except Exception:  # noqa: BLE001 - an extension's own method: never fatal for a key
            return [name, None]
    return name


def config_key(max_file_kb: int, markdown_extensions: tuple[Any, ...], mdx_configs: dict[str, Any],
               render_timeout: float) -> str:
    """The options a document's cached findings depend on."""
    text = json.dumps([max_file_kb, _stable(markdown_extensions), _stable(mdx_configs), render_timeout],
                      sort_keys=True, default=repr)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _file_key(st: os.stat_result, data: bytes) -> str:
    return _dumps([st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev,
                   hashlib.blake2b(data, digest_size=20).hexdigest()])


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _checksum(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


# ------------------------------------------------------------------ documents as JSON

class _NotPlain(Exception):
    """A value that JSON would not give back exactly (such a document is not cached)."""


class _Encoder:
    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.nodes = 0

    def value(self, v: Any) -> Any:
        self.nodes += 1
        if self.nodes > _MAX_NODES:
            raise _NotPlain
        kind = type(v)
        if v is None or kind is str or kind is bool or kind is int:
            return v
        if kind is float:
            if not math.isfinite(v):
                raise _NotPlain
            return v
        if kind is dt.date:
            return {"$d": v.isoformat()}
        if kind is Interval:
            return {"$i": v.months}
        if kind is HistoryEntry:
            return {"$h": [self.value(v.date), self.value(v.note), self.value(v.version)]}
        if kind is list or kind is dict:
            if id(v) in self.seen:  # shared by a YAML alias: kept apart it would no longer be shared
                raise _NotPlain
            self.seen.add(id(v))
            if kind is list:
                return [self.value(x) for x in v]
            out = {}
            for k, x in v.items():
                if type(k) is not str or k.startswith("$"):
                    raise _NotPlain
                out[k] = self.value(x)
            return out
        raise _NotPlain


def _untag(v: Any) -> Any:
    """A tagged value back to its type (a field of a Document; front matter (`raw`) and
    `lines` never hold a tag: a mapping with a key starting with `$` is not cached)."""
    kind = type(v)
    if kind is dict and len(v) == 1:
        tag, inner = next(iter(v.items()))
        if tag == "$d":
            return dt.date.fromisoformat(inner)
        if tag == "$i":
            return Interval(int(inner))
        if tag == "$h":
            date, note, version = inner
            return HistoryEntry(_untag(date), note, version)
    elif kind is list and v and type(v[0]) is dict:
        return [_untag(x) for x in v]
    return v


_PLAIN_FIELDS = ("raw", "lines", "body")


def _encode_document(doc: Document, text: str | None) -> list[Any]:
    """The document's fields in their order (`_DOC_FIELDS`, part of the tool's key); its
    body, as the suffix of the file's text it always is, by length only (the file is read
    on every run anyway)."""
    encoder = _Encoder()
    out: list[Any] = []
    for name in _DOC_FIELDS:
        value = getattr(doc, name)
        if name == "body" and text is not None and text.endswith(value):
            out.append({"$s": len(value)})
        else:
            out.append(encoder.value(value))
    return out


def _decode_document(data: list[Any], text: str | None) -> Document:
    if type(data) is not list or len(data) != len(_DOC_FIELDS):
        raise ValueError("other fields")
    values = {name: value if name in _PLAIN_FIELDS else _untag(value)
              for name, value in zip(_DOC_FIELDS, data, strict=True)}
    body = values["body"]
    if type(body) is dict:
        length = body.get("$s")
        if text is None or type(length) is not int or not 0 <= length <= len(text):
            raise ValueError("body")
        values["body"] = text[len(text) - length:] if length else ""
    elif type(body) is not str:
        raise ValueError("body")
    return Document(**values)


def _encode_findings(findings: list[Finding]) -> list[list[Any]]:
    return [[f.severity, f.code, f.path, f.line, f.message, f.document, f.field] for f in findings]


def _decode_findings(data: Any) -> list[Finding]:
    out = []
    for item in data:
        severity, code, path, line, message, document, field = item
        if severity not in ("error", "warning", "info") or type(code) is not str or type(path) is not str:
            raise ValueError("finding")
        out.append(Finding(severity, code, path, line, message, document, field))
    return out


# ------------------------------------------------------------------ the cache

@dataclass
class _Entry:
    """One line of the cache: `checksum path<TAB>key<TAB>document<TAB>load findings<TAB>
    other findings`, each part JSON (which writes a tab or newline in a text as `\\t`,
    `\\n`). A document taken from the cache keeps only where its line is in the old file
    (`at`), so that a warm run holds no second copy of the cache in memory."""

    key: str
    doc: str | None  # JSON; None while the line in the old file (`at`) says it
    load: str | None
    findings: dict[str, list[list[Any]]]  # kind -> encoded findings
    at: tuple[int, int] | None = None  # (offset, length) of the unchanged line in the old file
    dirty: bool = False  # findings changed: the line must be written anew


class DocumentCache:
    """One handbook's cache for one run: `load_documents`, then `findings` per document
    and kind, then `save` (which also closes the old file)."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = Root(root)
        key = config_key(config.max_file_kb, config.markdown_extensions, config.mdx_configs,
                         config.render_timeout)
        self.header = {"format": FORMAT, "tool": tool_key(), "config": key}
        self.line_limit = 6 * 1024 * max(config.max_file_kb, 1) + _LINE_SLACK  # JSON escapes a character in up to 6
        self.folder = self.root.path / CACHE_DIR
        self.file = self.folder / f"check-{key[:16]}.jsonl"
        self.old: dict[str, tuple[int, int]] = {}  # path (as JSON) -> where its line is in the old file
        self.new: dict[str, _Entry] = {}  # path (as JSON) -> entry, for the documents of this run
        self.fd = -1  # the old file, open until `save` (a replaced file stays readable)
        self.changed = False
        self.hits = 0
        self.misses = 0
        self._read()

    # reading the cache ------------------------------------------------

    def _read(self) -> None:
        """Where each line of a cache made by this tool with these options is; nothing
        from any other file (a wrong header, a line too long: the cache is empty). Each
        line's checksum is verified when it is used."""
        index: dict[str, tuple[int, int]] = {}
        fd = -1
        try:
            if not _plain_folder(self.root, self.folder):
                self.changed = True
                return
            fd = os.open(self.file, _OPEN_FLAGS)
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_CACHE_BYTES:
                self.changed = True
                return
            with open(fd, "rb", closefd=False) as stream:
                header = stream.readline(4096)
                if not header.endswith(b"\n") or _json_or_none(header) != self.header:
                    self.changed = True
                    return
                offset = len(header)
                while line := stream.readline(self.line_limit + 1):
                    if len(line) > self.line_limit or not line.endswith(b"\n"):
                        self.changed = True
                        return
                    space = line.find(b" ")
                    tab = line.find(b"\t", space)
                    if space < 0 or tab < 0:
                        self.changed = True
                        return
                    index[line[space + 1:tab].decode("utf-8")] = (offset + space + 1, len(line) - space - 1)
                    offset += len(line)
            self.fd, fd = fd, -1
            self.old = index
        except (OSError, UnicodeDecodeError, ValueError):
            self.changed = True
        finally:
            if fd >= 0:
                os.close(fd)

    def _line(self, at: tuple[int, int]) -> str | None:
        """The line (after its checksum) at `at` in the old file, if its checksum is right."""
        offset, length = at
        try:
            data = os.pread(self.fd, length, offset)
            check = os.pread(self.fd, 25, offset - 25)
            rest = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if len(data) != length or check[-1:] != b" " or check[:-1].decode("ascii", "replace") != _checksum(rest):
            return None
        return rest

    # using it ---------------------------------------------------------

    def load_documents(self, routines_dir: str, max_file_kb: int) -> tuple[list[Document], list[Finding]]:
        """As `load.load_documents`, reusing the documents whose files are unchanged."""
        handbook = self.root
        paths, findings = walk_markdown(handbook, routines_dir)
        documents: list[Document] = []
        for path in paths:
            rel = handbook.rel(path)
            name = _dumps(rel)
            try:
                st = os.stat(path)
            except OSError:
                st = None
            data = handbook.read(path, max_file_kb * 1024, walked=True, rel=rel)
            if isinstance(data, Finding):
                findings.append(data)
                documents.append(Document(path=rel, readable=False))
                continue
            key = _file_key(st, data) if st is not None and stat.S_ISREG(st.st_mode) else None
            text = decode(data)
            cached = self._hit(name, rel, key, text) if key is not None else None
            if cached is not None:
                doc, found = cached
                self.hits += 1
            else:
                doc, found = load_document(rel, data)
                self.misses += 1
                self._remember(name, key, doc, found, text)
            documents.append(doc)
            findings.extend(found)
        if set(self.old) - set(self.new):
            self.changed = True  # a document deleted or renamed
        return documents, findings

    def _hit(self, name: str, rel: str, key: str, text: str | None) -> tuple[Document, list[Finding]] | None:
        at = self.old.get(name)
        if at is None:
            return None
        line = self._line(at)
        if line is None:
            return None
        try:
            _, line_key, doc_json, load_json, kinds_json = line.rstrip("\n").split("\t")
            if line_key != key:
                return None
            doc = _decode_document(json.loads(doc_json), text)
            found = _decode_findings(json.loads(load_json))
            kinds = json.loads(kinds_json)
            if doc.path != rel or any(f.path != rel for f in found) or type(kinds) is not dict:
                return None
            self.new[name] = _Entry(key, None, None, kinds, at)
            return doc, found
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def _remember(self, name: str, key: str | None, doc: Document, found: list[Finding],
                  text: str | None) -> None:
        self.changed = True
        if key is None:
            return
        try:
            encoded = _dumps(_encode_document(doc, text))
        except (_NotPlain, RecursionError):
            return
        self.new[name] = _Entry(key, encoded, _dumps(_encode_findings(found)), {}, dirty=True)

    def findings(self, doc: Document, kind: str, compute: Callable[[], list[Finding]]) -> list[Finding]:
        """The document's findings of `kind` (e.g. "body"), from the cache when its file is
        unchanged, else computed and kept. Findings that depend on time (a rendering cut
        off by the time budget) are never kept."""
        entry = self.new.get(_dumps(doc.path))
        if entry is not None and kind in entry.findings:
            try:
                return _decode_findings(entry.findings[kind])
            except (ValueError, TypeError):
                pass
        found = compute()
        if entry is not None and not any(f.code == "render-failed" for f in found):
            entry.findings[kind] = _encode_findings(found)
            entry.dirty = self.changed = True
        return found

    def retain(self, kinds: set[str]) -> None:
        """Forget findings of kinds not asked for this run (e.g. under an old allow-list)."""
        for entry in self.new.values():
            for kind in [k for k in entry.findings if k not in kinds]:
                del entry.findings[kind]
                entry.dirty = self.changed = True

    # writing it -------------------------------------------------------

    def save(self) -> None:
        """Write the cache when something changed; silently not when it cannot be."""
        tmp: Path | None = None
        try:
            if not self.changed or not _make_folder(self.root, self.folder):
                return
            fd, name = _temp_file(self.folder)
            tmp = Path(name)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                out.write(json.dumps(self.header, sort_keys=True) + "\n")
                for path, entry in self.new.items():
                    rest = self._rest(path, entry)
                    if rest is not None:
                        out.write(f"{_checksum(rest)} {rest}")
            os.replace(tmp, self.file)
            tmp = None
        except (OSError, UnicodeEncodeError):
            pass
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
            self.close()

    def _rest(self, path: str, entry: _Entry) -> str | None:
        if entry.at is not None:
            line = self._line(entry.at)
            if line is None:
                return None
            if not entry.dirty:
                return line
            _, _, entry.doc, entry.load, _ = line.rstrip("\n").split("\t")
        return f"{path}\t{entry.key}\t{entry.doc}\t{entry.load}\t{_dumps(entry.findings)}\n"

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __del__(self) -> None:
        self.close()


def _json_or_none(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _plain_folder(root: Root, folder: Path) -> bool:
    """Whether `.cache/handbok` is a real folder in the root, no link on the way."""
    path = root.path
    for part in Path(CACHE_DIR).parts:
        path = path / part
        st = os.lstat(path)
        if not stat.S_ISDIR(st.st_mode):
            return False
    return root.inside(folder)


def _make_folder(root: Root, folder: Path) -> bool:
    """Make `.cache/handbok` if need be; never through a link (which could lead anywhere)."""
    path = root.path
    for part in Path(CACHE_DIR).parts:
        path = path / part
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            os.mkdir(path, 0o755)
            continue
        if not stat.S_ISDIR(st.st_mode):
            return False
    try:
        return _plain_folder(root, folder)
    except OSError:
        return False


def _temp_file(folder: Path) -> tuple[int, str]:
    for attempt in range(100):
        name = os.path.join(folder, f".check-{os.getpid()}-{attempt}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644), name
        except FileExistsError:
            continue
    raise OSError("no temporary name")


def cached_personnummer(cache: DocumentCache, root: Path, data_dir: str, max_file_kb: int,
                        documents: list[Document]) -> list[Finding]:
    """As `personnummer.check_personnummer`, each document's findings kept under the
    allow-list they were found with."""
    allowed, findings = load_allow_list(root, data_dir, max_file_kb)
    kind = "personnummer:" + hashlib.blake2b("\n".join(sorted(allowed)).encode(), digest_size=12).hexdigest()
    cache.retain({"body", kind})
    for doc in documents:
        findings.extend(cache.findings(doc, kind, lambda d=doc: personnummer_findings([d], allowed)))  # type: ignore[misc]
    return findings
