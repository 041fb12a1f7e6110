"""The check's cache: parsed documents and their own findings, kept between runs.

A check of 10,000 documents spends most of its time parsing front matter. What a
document's file alone decides is kept in `.cache/handbok/` under the handbook's root
(git-ignored) and reused while the file is unchanged:

- the parsed `Document` and the findings of reading it (`load_document`),
- the findings about its body (`render.body_findings`),
- its personnummer findings (keyed also by the allow-list, `data/personnummer-allow.yml`).

Everything that looks at more than one document (duplicate ids, references,
supersession, process gaps, path collisions, CODEOWNERS, links and the files they
lead to), at data/ (organisation, legal register) or at the day (review status,
repealed law) is computed afresh on
every run from the documents, so a cached run gives exactly the result of a cold run.

Trust. The cache is never a way around `handbok.files`: every document is walked on
every run, and an entry is bound to its file's inode, device, size, modification and
change times (`st_ctime_ns`, which no one can set by hand) and content hash: a cache
that was copied, committed or planted from elsewhere matches no file and is never
used. As git's index does, a regular file (not a link) within the size cap whose
`lstat` still gives exactly those times is not read again (its body is read when
something asks for it, `_CachedDocument`). A file whose times lie less than
`RACY_NS` before the run that last read it could have changed again within the same
clock tick; it is read and its content hash compared, as is every link (read through
`Root.read`: nothing outside the root) and every file that is not plainly regular.
The whole cache is keyed by the tool (its version and the hash of its own source and
data files, and the versions of PyYAML, Markdown, nh3 and pymdown-extensions) and by
the options that change a document's findings (`max_file_kb`, `markdown_extensions`
and their configs, `render_timeout`). Each line carries a checksum; a corrupt,
truncated or foreign file is ignored and rewritten. It is JSON, never pickle: reading
a cache can never run code.

Writing. The cache is written only when something changed, to a temporary file
that then replaces the old one (a reader sees the old cache or the new one, never
half of one); the lines of unchanged documents, verified when they were read, are
copied as they are. When the folder cannot be written (a read-only checkout, a `.cache`
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
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .answer import OPEN_FLAGS, RACY_NS
from .files import Root, walk_markdown
from .forked import split_map
from .load import _DATE_KEYS, _LIST_KEYS, _TEXT_KEYS, decode, load_document
from .model import Document, Finding, HistoryEntry, Interval
from .personnummer import load_allow_list, personnummer_findings

if TYPE_CHECKING:
    from .core import Config

__all__ = ["BODY_MARKERS", "CACHE_DIR", "DocumentCache", "cached_personnummer", "config_key", "tool_key"]

CACHE_DIR = ".cache/handbok"
FORMAT = 2
_MAX_NODES = 20_000  # front matter values of one document worth caching
_LINE_SLACK = 1 << 16
_MAX_CACHE_BYTES = 1 << 30
BODY_MARKERS = ("](", "]:")
"""What a cached document knows whether its body holds without reading it
(`Document.body_contains`: the links of `handbok.attachments`)."""
_CHECKSUM_PREFIX = 25  # `_checksum` (24 hex digits) and a space before each line
_PARSED_AT_ONCE = 5000  # changed files whose bytes are held to be parsed together
_PACKAGES = ("PyYAML", "Markdown", "nh3", "pymdown-extensions")
_DOC_FIELDS = tuple(f.name for f in fields(Document))


# ------------------------------------------------------------------ keys

@lru_cache(maxsize=1)
def tool_key() -> str:
    """The tool that made a cache: its version, the hash of every file of the package
    (so that a changed rule invalidates the cache during development too) and the
    versions of the libraries that parse and render."""
    from importlib import metadata  # only here: a recheck (`handbok.recheck`) needs no key

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


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def _content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _checksum(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


# ------------------------------------------------------------------ documents as JSON

class _NotPlain(Exception):
    """A value that JSON would not give back exactly (such a document is not cached)."""


class _Encoder:
    """Front matter (`raw`) and the other plain fields as JSON: texts, numbers, lists and
    mappings with text keys only, no value shared (a YAML alias) and not too many."""

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
        if kind is list or kind is dict:
            if id(v) in self.seen:  # shared by a YAML alias: kept apart it would no longer be shared
                raise _NotPlain
            self.seen.add(id(v))
            if kind is list:
                return [self.value(x) for x in v]
            out = {}
            for k, x in v.items():
                if type(k) is not str:
                    raise _NotPlain
                out[k] = self.value(x)
            return out
        raise _NotPlain


def _date_out(v: Any, _: _Encoder) -> Any:
    if v is None:
        return None
    if type(v) is not dt.date:
        raise _NotPlain
    return v.isoformat()


def _date_in(v: Any) -> dt.date | None:
    return None if v is None else dt.date.fromisoformat(v)


def _interval_out(v: Any, _: _Encoder) -> Any:
    if v is None:
        return None
    if type(v) is not Interval or type(v.months) is not int:
        raise _NotPlain
    return v.months


def _interval_in(v: Any) -> Interval | None:
    return None if v is None else Interval(int(v))


def _history_out(v: Any, encoder: _Encoder) -> Any:
    if type(v) is not list or any(type(h) is not HistoryEntry for h in v):
        raise _NotPlain
    return [[_date_out(h.date, encoder), encoder.value(h.note), encoder.value(h.version)] for h in v]


def _history_in(v: Any) -> list[HistoryEntry]:
    return [HistoryEntry(_date_in(date), note, version) for date, note, version in v]


def _plain_out(v: Any, encoder: _Encoder) -> Any:
    return encoder.value(v)


# Each field of a Document by its declared type (the names and order are part of the
# tool's key): a date as its ISO text, an interval as its months, history as lists.
_CODECS: dict[str, tuple[Callable[[Any, _Encoder], Any], Callable[[Any], Any] | None]] = {
    "dt.date | None": (_date_out, _date_in),
    "Interval | None": (_interval_out, _interval_in),
    "list[HistoryEntry]": (_history_out, _history_in),
}
_FIELD_CODECS = tuple(_CODECS.get(str(f.type), (_plain_out, None)) for f in fields(Document))
_BODY = _DOC_FIELDS.index("body")


_RAW = _DOC_FIELDS.index("raw")
_LINES = _DOC_FIELDS.index("lines")
# Fields read from the front matter key of the same name: where the value is the front
# matter's own (the usual case), it is written as 0 (no such field is ever a number) and
# taken from `raw` again, so that the cache holds it once and memory once.
_FROM_RAW = {
    _DOC_FIELDS.index(name): kind
    for kind, names in (("text", _TEXT_KEYS), ("list", _LIST_KEYS), ("date", _DATE_KEYS))
    for name in names if name in _DOC_FIELDS
}
_SAME = 0
_INTERN_UP_TO = 40
_intern = sys.intern


def _from_raw(kind: str, value: Any, raw: Any) -> bool:
    if kind == "text":
        return type(value) is str and type(raw) is str and value == raw
    if kind == "list":
        return type(value) is list and type(raw) is list and value == raw and all(type(x) is str for x in raw)
    return type(value) is dt.date and type(raw) is str and value.isoformat() == raw


def _encoded(doc: Document, text: str | None) -> Any:
    """`_encode_document`, or None for a document the cache cannot hold."""
    try:
        return _encode_document(doc, text)
    except (_NotPlain, RecursionError):
        return None


def _encode_document(doc: Document, text: str | None) -> list[Any]:
    """The document's fields in their order (`_DOC_FIELDS`); its body, as the suffix of
    the file's text it always is, by length only (read again from the file when asked for);
    a field as in the front matter as `_SAME`; `lines` as a list when its keys are those
    of the front matter, in order."""
    encoder = _Encoder()
    out: list[Any] = []
    raw = doc.raw if type(doc.raw) is dict else {}
    for index, (name, (encode, _)) in enumerate(zip(_DOC_FIELDS, _FIELD_CODECS, strict=True)):
        value = getattr(doc, name)
        kind = _FROM_RAW.get(index)
        if kind is not None and name in raw and _from_raw(kind, value, raw[name]):
            out.append(_SAME)
        elif name == "body" and text is not None and text.endswith(value):
            out.append(len(value))
        elif name == "lines" and type(value) is dict and list(value) == list(raw) \
                and all(type(v) is int for v in value.values()):
            out.append(list(value.values()))
        else:
            out.append(encode(value, encoder))
    return out


# (index, name, how it may be taken from `raw`, decoder) of every field that needs more
# than JSON gives.
_PLAN = tuple((index, name, _FROM_RAW.get(index), codec[1])
              for index, (name, codec) in enumerate(zip(_DOC_FIELDS, _FIELD_CODECS, strict=True))
              if index in _FROM_RAW or codec[1] is not None)


def _shared(value: Any) -> Any:
    """A front matter value with its short texts (and those of its list's items, and the
    keys and texts of a list's flat mappings: history) shared (`sys.intern`)."""
    kind = type(value)
    if kind is str:
        return _intern(value) if len(value) <= _INTERN_UP_TO else value
    if kind is list:
        return [_intern(x) if type(x) is str and len(x) <= _INTERN_UP_TO
                else {_intern(k): _intern(v) if type(v) is str and len(v) <= _INTERN_UP_TO else v
                      for k, v in x.items()} if type(x) is dict else x
                for x in value]
    return value


def _decode_fields(data: Any) -> list[Any]:
    """The fields as `Document` takes them (`data`, fresh from JSON, is reused); the body as
    it was stored (a text or a length). The front matter's keys and short texts are shared
    with every other document (`sys.intern`), as a cold run's are (`handbok.yamlread`)."""
    if type(data) is not list or len(data) != len(_DOC_FIELDS):
        raise ValueError("other fields")
    raw = data[_RAW]
    if type(raw) is not dict:
        raise ValueError("raw")
    raw = data[_RAW] = {_intern(k): _shared(v) for k, v in raw.items()}
    for index, name, kind, convert in _PLAN:
        value = data[index]
        if value is None:
            continue
        if kind is not None and type(value) is int:  # _SAME: no field read from raw is a number
            value = raw[name]
            data[index] = value if kind == "text" else list(value) if kind == "list" else dt.date.fromisoformat(value)
        elif convert is not None:
            data[index] = convert(value)
    lines = data[_LINES]
    if type(lines) is list:
        if len(lines) != len(raw):
            raise ValueError("lines")
        data[_LINES] = dict(zip(raw, lines, strict=True))
    elif type(lines) is not dict:
        raise ValueError("lines")
    return data


def _body_of(text: str | None, length: Any) -> str:
    if text is None or type(length) is not int or not 0 <= length <= len(text):
        raise ValueError("body")
    return text[len(text) - length:] if length else ""


class _CachedDocument(Document):
    """A document taken from the cache without reading its file (its `lstat` matched):
    `body` is read from the file when something first asks for it, through `Root.read`.
    Should the file have changed since, the body is that of the file as it is now."""

    __slots__ = ("_lazy_body", "_source")  # (root, path, rel, max bytes, hash, body length, markers)

    @property  # type: ignore[override]
    def body(self) -> str:
        value = self._lazy_body
        if value is None:
            value = self._lazy_body = _read_body(*self._source)
            self._source = None
        return value

    @body.setter
    def body(self, value: str | None) -> None:
        self._lazy_body = value

    def body_contains(self, *markers: str) -> bool:
        if self._lazy_body is None and all(m in BODY_MARKERS for m in markers):
            present = self._source[-1]
            return any(m in present for m in markers)
        return super().body_contains(*markers)


    def __eq__(self, other: object) -> bool:
        """Equal to a `Document` with the same fields (a dataclass compares its own class only)."""
        if not isinstance(other, Document):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _DOC_FIELDS)

    __hash__ = None  # type: ignore[assignment]  # as Document's


def _read_body(root: Root, path: Path, rel: str, max_bytes: int, digest: str, length: int,
               present: list[str]) -> str:
    data = root.read(path, max_bytes, walked=True, rel=rel)
    if isinstance(data, Finding):
        return ""
    if _content_hash(data) == digest:
        try:
            return _body_of(decode(data), length)
        except ValueError:
            pass
    return load_document(rel, data)[0].body


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

@dataclass(slots=True)
class _Entry:
    """One line of the cache: `checksum path<TAB>[stat, content hash, read at, document,
    load findings, other findings, markers]`, the path and the list JSON (which writes a tab or
    newline in a text as `\\t`, `\\n`). `stat` is `_stat_key` of the file when it was
    read, `read at` the time (ns) of the start of that run, `markers` the `BODY_MARKERS`
    its body holds. A document taken from the
    cache keeps only where its line is in the old file (`at`), so that a warm run holds
    no second copy of the cache in memory."""

    name: str  # the path as JSON
    stat: list[int]
    digest: str
    read_at: int
    doc: Any  # the encoded document; None while the line in the old file (`at`) holds it
    load: Any
    findings: dict[str, list[list[Any]]]  # kind -> encoded findings
    markers: list[str]
    at: tuple[int, int] | None = None  # (offset, length) of the unchanged line in the old file
    dirty: bool = False  # changed: the line must be written anew


_Miss = tuple[int, int, str, str, "list[int] | None", str, bytes, "str | None"]
"""A file to parse: its place in documents and findings, name, path, stat key, hash, bytes, text."""


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
        self.new: dict[str, _Entry] = {}  # path -> entry, for the documents of this run
        self.sources: dict[str, str] = {}  # path -> content hash of each document read this run
        self.started = time.time_ns()  # before any file is looked at: what is read is at least this new
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
            fd = os.open(self.file, OPEN_FLAGS)
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
        if offset < _CHECKSUM_PREFIX:
            return None
        try:
            data = os.pread(self.fd, length + _CHECKSUM_PREFIX, offset - _CHECKSUM_PREFIX)  # checksum, space, line
            rest = data[_CHECKSUM_PREFIX:].decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        check = data[:_CHECKSUM_PREFIX]
        if len(data) != length + _CHECKSUM_PREFIX or check[-1:] != b" " \
                or check[:-1].decode("ascii", "replace") != _checksum(rest):
            return None
        return rest

    # using it ---------------------------------------------------------

    def load_documents(self, routines_dir: str, max_file_kb: int,
                       split: bool = False) -> tuple[list[Document], list[Finding]]:
        """As `load.load_documents`, reusing the documents whose files are unchanged; the
        others parsed on two cores when there are many (`split`, `handbok.forked`)."""
        handbook = self.root
        max_bytes = max_file_kb * 1024
        paths, findings = walk_markdown(handbook, routines_dir)
        documents: list[Document] = []
        # Files to parse: their place in documents and findings and what _remember needs,
        # parsed a few thousand at a time (on two cores when there are many).
        misses: list[_Miss] = []
        for path in paths:
            rel = handbook.rel(path)
            name = _dumps(rel)
            try:
                st: os.stat_result | None = os.lstat(path)
            except OSError:
                st = None
            line = self._old_line(name)
            plain = st is not None and stat.S_ISREG(st.st_mode) and st.st_size <= max_bytes
            if plain and line is not None and line[0] == _stat_key(st) and self._settled(st, line[2]):  # type: ignore[arg-type]
                hit = self._hit(name, rel, line, None, (handbook, path, rel, max_bytes))
                if hit is not None:
                    self.sources[rel] = line[1]
                    documents.append(hit[0])
                    findings.extend(hit[1])
                    continue
            data = handbook.read(path, max_bytes, walked=True, rel=rel)
            if isinstance(data, Finding):
                findings.append(data)
                documents.append(Document(path=rel, readable=False))
                continue
            if st is not None and stat.S_ISLNK(st.st_mode):
                try:
                    st = os.stat(path)  # the file the link leads to (read just now: inside the root)
                except OSError:
                    st = None
            key = _stat_key(st) if st is not None and stat.S_ISREG(st.st_mode) else None
            digest = self.sources[rel] = _content_hash(data)
            text = decode(data)
            hit = None
            if key is not None and line is not None and line[0] == key and line[1] == digest:
                hit = self._hit(name, rel, line, text, None)
            if hit is None:
                misses.append((len(documents), len(findings), name, rel, key, digest, data, text))
                documents.append(Document(path=rel))  # replaced when parsed
                self.new[rel] = None  # type: ignore[assignment]  # its place in the cache, kept or let go then
                if len(misses) == _PARSED_AT_ONCE:  # the bytes of a few thousand files held at most
                    self._parse(misses, documents, findings, split)
                    misses = []
                continue
            entry = self.new[rel]
            if plain and self._settled(st, self.started):  # type: ignore[arg-type]
                entry.read_at = self.started  # read again just now: its times can be trusted from now on
                entry.dirty = self.changed = True
            documents.append(hit[0])
            findings.extend(hit[1])
        if misses:
            self._parse(misses, documents, findings, split)
        kept = {entry.name for entry in self.new.values()}
        if any(name not in kept for name in self.old):
            self.changed = True  # a document deleted or renamed, or no longer cached
        return documents, findings

    def _parse(self, misses: list[_Miss], documents: list[Document], findings: list[Finding],
               split: bool) -> None:
        """Parse the files of `misses` (and encode them for the cache) and put each document
        and its findings in its place."""
        def parse(miss: _Miss) -> tuple[Document, list[Finding], Any]:
            doc, found = load_document(miss[3], miss[6])
            return doc, found, None if miss[4] is None else _encoded(doc, miss[7])

        parsed = split_map(parse, misses) if split else [parse(miss) for miss in misses]
        placed: list[Finding] = []
        start = misses[0][1]
        for (at, found_at, name, rel, key, digest, _, _), (doc, found, encoded) in zip(misses, parsed, strict=True):
            self.misses += 1
            if key is not None and encoded is not None:
                self._remember(name, rel, key, digest, doc, found, encoded)
            elif self.new.get(rel, True) is None:
                del self.new[rel]
            documents[at] = doc
            placed += findings[start:found_at]
            placed += found
            start = found_at
        findings[misses[0][1]:] = placed + findings[start:]

    @staticmethod
    def _settled(st: os.stat_result, read_at: Any) -> bool:
        """Whether the file was last changed well before it was read at `read_at` (else it
        may have changed again within the same tick of the file system's clock)."""
        return type(read_at) is int and max(st.st_mtime_ns, st.st_ctime_ns) < read_at - RACY_NS

    def _old_line(self, name: str) -> list[Any] | None:
        """The path's line in the old cache, decoded, if it is whole."""
        at = self.old.get(name)
        if at is None:
            return None
        line = self._line(at)
        if line is None:
            return None
        try:
            value = json.loads(line[line.index("\t") + 1:])
        except ValueError:
            return None
        if type(value) is not list or len(value) != 7 or type(value[5]) is not dict or type(value[6]) is not list:
            return None
        value.append(at)
        return value

    def _hit(self, name: str, rel: str, line: list[Any], text: str | None,
             source: tuple[Root, Path, str, int] | None) -> tuple[Document, list[Finding]] | None:
        """The document and its load findings from its old line: its body from `text`, or
        read when asked for (`source`)."""
        stat_key, digest, read_at, doc_json, load_json, kinds, markers, at = line
        try:
            values = _decode_fields(doc_json)
            length = values[_BODY]
            if type(length) is int:
                if source is None:
                    values[_BODY] = _body_of(text, length)
                    doc = Document(*values)
                else:
                    values[_BODY] = None
                    doc = _CachedDocument(*values)
                    doc._source = (*source, digest, length, markers)
            elif type(length) is str:
                doc = Document(*values)
            else:
                return None
            found = _decode_findings(load_json)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        if doc.path != rel or any(f.path != rel for f in found):
            return None
        kinds = {_intern(kind): items for kind, items in kinds.items()}
        self.new[rel] = _Entry(name, stat_key, digest, read_at, None, None, kinds, markers, at)
        self.hits += 1
        return doc, found

    def _remember(self, name: str, rel: str, key: list[int], digest: str, doc: Document,
                  found: list[Finding], encoded: Any) -> None:
        self.changed = True
        markers = [m for m in BODY_MARKERS if m in doc.body]
        self.new[rel] = _Entry(name, key, digest, self.started, encoded, _encode_findings(found), {},
                               markers, dirty=True)

    def cached(self, doc: Document, kind: str) -> bool:
        """Whether `findings` has the document's findings of `kind` without computing them."""
        entry = self.new.get(doc.path)
        return entry is not None and kind in entry.findings

    def findings(self, doc: Document, kind: str, compute: Callable[[], list[Finding]]) -> list[Finding]:
        """The document's findings of `kind` (e.g. "body"), from the cache when its file is
        unchanged, else computed and kept. Findings that depend on time (a rendering cut
        off by the time budget) are never kept."""
        entry = self.new.get(doc.path)
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
            with os.fdopen(fd, "wb") as out:
                out.write((json.dumps(self.header, sort_keys=True) + "\n").encode())
                start = end = 0  # the run of unchanged lines of the old file to copy as they are
                for entry in self.new.values():
                    if entry.at is not None and not entry.dirty:  # its line was read and verified this run
                        offset, length = entry.at
                        if offset - _CHECKSUM_PREFIX != end:
                            self._copy(out, start, end)
                            start = offset - _CHECKSUM_PREFIX
                        end = offset + length
                        continue
                    rest = self._rest(entry)
                    if rest is not None:
                        self._copy(out, start, end)
                        start = end = 0
                        out.write(f"{_checksum(rest)} {rest}".encode())
                self._copy(out, start, end)
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

    def _copy(self, out: Any, start: int, end: int) -> None:
        """Bytes start..end of the old file into `out`."""
        while start < end:
            data = os.pread(self.fd, min(end - start, 1 << 23), start)
            if not data:
                raise OSError("the old cache is shorter than it was")
            out.write(data)
            start += len(data)

    def _rest(self, entry: _Entry) -> str | None:
        if entry.at is not None:
            line = self._line(entry.at)
            if line is None:
                return None
            if not entry.dirty:
                return line
            try:
                old = json.loads(line[line.index("\t") + 1:])
            except ValueError:
                return None
            entry.doc, entry.load = old[3], old[4]
        value = [entry.stat, entry.digest, entry.read_at, entry.doc, entry.load, entry.findings, entry.markers]
        return f"{entry.name}\t{_dumps(value)}\n"

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
