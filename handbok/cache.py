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
`_RACY_NS` before the run that last read it could have changed again within the same
clock tick; it is read and its content hash compared, as is every link (read through
`Root.read`: nothing outside the root) and every file that is not plainly regular.
The whole cache is keyed by the tool (its version and the hash of its own source and
data files, and the versions of PyYAML, Markdown, nh3 and pymdown-extensions) and by
the options that change a document's findings (`max_file_kb`, `markdown_extensions`
and their configs, `render_timeout`). The file is a header line (the keys), a line with
the checksum (SHA-256) and length of the rest, and the rest: one JSON array, a
document a line (`_Entry`). The checksum is verified over the whole before anything
is decoded; a corrupt, truncated or foreign file is ignored as a whole and rewritten.
It is JSON, never pickle (nor marshal, which can make code objects): reading a cache
can never run code and gives only texts, numbers, lists and mappings, checked where a
field needs more. It is decoded in one `json.loads`, far faster than one per line, with
the garbage collector paused (it would walk the young objects again and again while
none can be garbage yet); the front matter's keys come out shared between documents
(JSON's own memo), a date is decoded once per distinct day and an interval once per
distinct length (both immutable: shared between documents, as equal values).

Writing. The cache is written only when something changed, to a temporary file
that then replaces the old one (a reader sees the old cache or the new one, never
half of one); the lines of unchanged documents are copied as they are from the old
file, whose checksum is verified again first (the file is not kept in memory during
the run). When the folder cannot be written (a read-only checkout, a `.cache`
that is a link or a file) the check runs on without a cache and says nothing: it
never modifies anything else.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import math
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .files import Root, walk_markdown
from .forked import split_map
from .load import decode, load_document
from .model import Document, Finding, HistoryEntry, Interval
from .personnummer import load_allow_list, personnummer_findings

if TYPE_CHECKING:
    from .core import Config

__all__ = ["BODY_MARKERS", "CACHE_DIR", "DocumentCache", "cached_personnummer", "config_key", "tool_key"]

CACHE_DIR = ".cache/handbok"
FORMAT = 3
_MAX_NODES = 20_000  # front matter values of one document worth caching
_MAX_CACHE_BYTES = 1 << 30
BODY_MARKERS = ("](", "]:")
"""What a cached document knows whether its body holds without reading it
(`Document.body_contains`: the links of `handbok.attachments`)."""
_RACY_NS = 2_000_000_000  # a file changed this close before it was read may change unseen
_PARSED_AT_ONCE = 5000  # changed files whose bytes are held to be parsed together
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


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def _content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _checksum(data: bytes | memoryview) -> str:
    """The checksum of a whole cache (SHA-256, which most processors compute in hardware:
    over the megabytes of a large handbook's cache two to three times as fast as BLAKE2b)."""
    return hashlib.sha256(data).hexdigest()[:32]


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: while tens of thousands of lists and mappings
    are made, none of which can be garbage yet, it would walk them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


def _interval_out(v: Any, _: _Encoder) -> Any:
    if v is None:
        return None
    if type(v) is not Interval or type(v.months) is not int:
        raise _NotPlain
    return v.months


def _history_out(v: Any, encoder: _Encoder) -> Any:
    if type(v) is not list or any(type(h) is not HistoryEntry for h in v):
        raise _NotPlain
    return [[_date_out(h.date, encoder), encoder.value(h.note), encoder.value(h.version)] for h in v]


def _plain_out(v: Any, encoder: _Encoder) -> Any:
    return encoder.value(v)


# Each field of a Document by its declared type (the names and order are part of the
# tool's key): a date as its ISO text, an interval as its months, history as lists.
_CODECS: dict[str, Callable[[Any, _Encoder], Any]] = {
    "dt.date | None": _date_out,
    "Interval | None": _interval_out,
    "list[HistoryEntry]": _history_out,
}
_FIELD_CODECS = tuple(_CODECS.get(str(f.type), _plain_out) for f in fields(Document))
_DATES = tuple(i for i, codec in enumerate(_FIELD_CODECS) if codec is _date_out)
_INTERVALS = tuple(i for i, codec in enumerate(_FIELD_CODECS) if codec is _interval_out)
_HISTORIES = tuple(i for i, codec in enumerate(_FIELD_CODECS) if codec is _history_out)
_BODY = _DOC_FIELDS.index("body")
_RAW = _DOC_FIELDS.index("raw")
_LINES = _DOC_FIELDS.index("lines")


def _encoded(doc: Document, text: str | None) -> Any:
    """`_encode_document`, or None for a document the cache cannot hold."""
    try:
        return _encode_document(doc, text)
    except (_NotPlain, RecursionError):
        return None


def _encode_document(doc: Document, text: str | None) -> list[Any]:
    """The document's fields in their order (`_DOC_FIELDS`), each as it is, also those the
    front matter in `raw` holds too (taking them from it again costs more than reading
    them twice); its body, as the suffix of the file's text it always is, by length only
    (read again from the file when asked for); `lines` as a list when its keys are those
    of the front matter, in order."""
    encoder = _Encoder()
    out: list[Any] = []
    raw = doc.raw if type(doc.raw) is dict else {}
    for name, encode in zip(_DOC_FIELDS, _FIELD_CODECS, strict=True):
        value = getattr(doc, name)
        if name == "body" and text is not None and type(value) is str and text.endswith(value):
            out.append(len(value))
        elif name == "lines" and type(value) is dict and list(value) == list(raw) \
                and all(type(v) is int for v in value.values()):
            out.append(list(value.values()))
        else:
            out.append(encode(value, encoder))
    return out


class _Days(dict[Any, "dt.date | None"]):
    """ISO text -> its date, made once per distinct day (a date is immutable, so equal
    dates may be one object); None -> None (a history entry without a date)."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, text: Any) -> dt.date:
        if type(text) is not str:
            raise ValueError("date")
        day = self[text] = dt.date.fromisoformat(text)
        return day


class _Intervals(dict[int, Interval]):
    """Months -> the interval, made once per distinct length (immutable too)."""

    def __missing__(self, months: int) -> Interval:
        interval = self[months] = Interval(months)
        return interval


def _decode_fields(data: Any, days: _Days | None = None, intervals: _Intervals | None = None,
                   lazy: bool = False) -> list[Any]:
    """The fields as `Document` takes them (`data`, fresh from JSON, is reused); the body as
    it was stored (a text or a length). Dates and intervals are made once per distinct
    value (`days`, `intervals`: kept by the caller across documents). `lazy`: `history`
    and `lines`, which a check seldom asks for, as `_CachedDocument` takes them (their
    JSON in a tuple, `lines` with the front matter's keys), to be made when asked for."""
    if type(data) is not list or len(data) != len(_DOC_FIELDS):
        raise ValueError("other fields")
    raw = data[_RAW]
    if type(raw) is not dict:
        raise ValueError("raw")
    days = _Days() if days is None else days
    intervals = _Intervals() if intervals is None else intervals
    for index in _DATES:
        text = data[index]
        if text is not None:
            data[index] = days[text]
    for index in _INTERVALS:
        months = data[index]
        if months is not None:
            if type(months) is not int:
                raise ValueError("interval")
            data[index] = intervals[months]
    for index in _HISTORIES:
        history = data[index]
        if type(history) is not list:
            raise ValueError("history")
        data[index] = (history,) if lazy else [HistoryEntry(days[date], note, version)
                                               for date, note, version in history]
    lines = data[_LINES]
    if type(lines) is list:
        if len(lines) != len(raw):
            raise ValueError("lines")
        data[_LINES] = (tuple(raw), lines) if lazy else dict(zip(raw, lines, strict=False))  # as long
    elif type(lines) is not dict:
        raise ValueError("lines")
    return data


def _history_in(encoded: Any) -> list[HistoryEntry]:
    return [HistoryEntry(None if date is None else dt.date.fromisoformat(date), note, version)
            for date, note, version in encoded]


def _body_of(text: str | None, length: Any) -> str:
    if text is None or type(length) is not int or not 0 <= length <= len(text):
        raise ValueError("body")
    return text[len(text) - length:] if length else ""


class _CachedDocument(Document):
    """A document taken from the cache without reading its file (its `lstat` matched):
    `body` is read from the file when something first asks for it, through `Root.read`.
    Should the file have changed since, the body is that of the file as it is now.
    `history` (which a check never looks at) and `lines` (asked for only to say where a
    finding is) are made from their JSON when first asked for; should that JSON not be
    right (only a cache written on purpose could hold such), `history` is read from the
    file, as `body` is."""

    __slots__ = ("_lazy_body", "_lazy_history", "_lazy_lines", "_source")
    # _source: (root, path, rel, max bytes, hash, body length, markers)

    @property  # type: ignore[override]
    def body(self) -> str:
        value = self._lazy_body
        if value is None:
            value = self._lazy_body = _read_body(*self._source)
        return value

    @body.setter
    def body(self, value: str | None) -> None:
        self._lazy_body = value

    @property  # type: ignore[override]
    def history(self) -> list[HistoryEntry]:
        value = self._lazy_history
        if type(value) is tuple:  # (its JSON,)
            try:
                value = _history_in(value[0])
            except (ValueError, TypeError):
                value = _read_document(*self._source).history
            self._lazy_history = value
        return value

    @history.setter
    def history(self, value: list[HistoryEntry] | tuple[Any]) -> None:
        self._lazy_history = value

    @property  # type: ignore[override]
    def lines(self) -> dict[str, int]:
        value = self._lazy_lines
        if type(value) is tuple:  # (the front matter's keys, their lines)
            value = self._lazy_lines = dict(zip(*value, strict=True))
        return value

    @lines.setter
    def lines(self, value: dict[str, int] | tuple[tuple[str, ...], list[int]]) -> None:
        self._lazy_lines = value

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


def _read_document(root: Root, path: Path, rel: str, max_bytes: int, *_: Any) -> Document:
    data = root.read(path, max_bytes, walked=True, rel=rel)
    return Document(path=rel, readable=False) if isinstance(data, Finding) else load_document(rel, data)[0]


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
    """One document of the cache, a line of its JSON array: `[path, stat, content hash,
    read at, markers, other findings, load findings, document]` (JSON writes a newline in
    a text as `\\n`). `stat` is `_stat_key` of the file when it was read, `read at` the
    time (ns) of the start of that run, `markers` the `BODY_MARKERS` its body holds, the
    document its fields (`_encode_document`). A document taken from the cache keeps only
    where its line is in the old file (`at`), so that a warm run holds no second copy of
    the cache in memory."""

    rel: str
    stat: list[int]
    digest: str
    read_at: int
    doc: Any  # the encoded document; None while the line in the old file (`at`) holds it
    load: Any
    findings: dict[str, list[list[Any]]]  # kind -> encoded findings
    markers: list[str]
    at: int | None = None  # the index of its unchanged line in the old file's array
    dirty: bool = False  # changed: the line must be written anew


_RECORD = 8  # the items of an entry's line
_END = b"null\n]\n"  # after the lines of the documents (each with a comma: copied as they are)


class DocumentCache:
    """One handbook's cache for one run: `load_documents`, then `findings` per document
    and kind, then `save` (which also closes the old file)."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = Root(root)
        key = config_key(config.max_file_kb, config.markdown_extensions, config.mdx_configs,
                         config.render_timeout)
        self.header = {"format": FORMAT, "tool": tool_key(), "config": key}
        self.folder = self.root.path / CACHE_DIR
        self.file = self.folder / f"check-{key[:16]}.jsonl"
        self.old: dict[str, int] = {}  # path -> index of its line in the old file's array
        self.text: str | None = None  # the old file's array, verified, until `load_documents` decodes it
        self.records: list[Any] | None = None  # that array decoded, during `load_documents`
        self.count = 0  # the lines of that array
        self.payload: tuple[int, int, str] | None = None  # the array's offset, length and checksum
        self.new: dict[str, _Entry] = {}  # path -> entry, for the documents of this run
        self.sources: dict[str, str] = {}  # path -> content hash of each document read this run
        self.started = time.time_ns()  # before any file is looked at: what is read is at least this new
        self.fd = -1  # the old file, open until `save` (a replaced file stays readable)
        self.changed = False
        self.hits = 0
        self.misses = 0
        self._days = _Days()
        self._intervals = _Intervals()
        self._read()

    # reading the cache ------------------------------------------------

    def _read(self) -> None:
        """The old file's array, if the file was made by this tool with these options and
        its checksum is right; else nothing (the cache is empty)."""
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
                data = stream.read(_MAX_CACHE_BYTES + 1)
            self.text = self._verified(data)
            if self.text is None:
                self.changed = True
                return
            self.fd, fd = fd, -1
        except (OSError, UnicodeDecodeError, ValueError):
            self.changed = True
        finally:
            if fd >= 0:
                os.close(fd)

    def _verified(self, data: bytes) -> str | None:
        """The array of a whole file (`data`), as text: its header must be this run's, its
        checksum right, checked before anything else of it is decoded."""
        end = data.find(b"\n", 0, 4096)
        if end < 0 or _json_or_none(data[:end]) != self.header:
            return None
        start = data.find(b"\n", end + 1, end + 100) + 1
        if start <= 0:
            return None
        check = data[end + 1:start - 1].split(b" ")
        if len(check) != 2 or not check[1].isdigit():
            return None
        payload = memoryview(data)[start:]
        digest = check[0].decode("ascii", "replace")
        if len(payload) != int(check[1]) or _checksum(payload) != digest:
            return None
        text = str(payload, "utf-8", "surrogatepass")
        self.payload = (start, len(payload), digest)
        return text

    def _decode(self) -> None:
        """The old file's array, decoded (in one go: far faster than line by line), and
        where each document's line is in it."""
        text, self.text = self.text, None
        if text is None:
            return
        try:
            records = json.loads(text)
        except (ValueError, RecursionError):
            records = None
        del text
        if type(records) is not list or not records or records.pop() is not None:
            self.payload = None
            self.changed = True
            return
        self.records = records
        self.count = len(records)
        self.old = {r[0]: i for i, r in enumerate(records)
                    if type(r) is list and len(r) == _RECORD and type(r[0]) is str}

    def _old_payload(self) -> tuple[memoryview, list[int]] | None:
        """The old file's array read again and verified again (the file may have been
        changed in place since), and where each of its lines starts: those of the
        documents, then that of the `null` after them."""
        if self.payload is None or self.fd < 0:
            return None
        start, length, digest = self.payload
        chunks = []
        try:
            while length > 0:
                chunk = os.pread(self.fd, min(length, 1 << 24), start)
                if not chunk:
                    return None
                chunks.append(chunk)
                start += len(chunk)
                length -= len(chunk)
        except OSError:
            return None
        data = b"".join(chunks)
        if _checksum(data) != digest or not data.startswith(b"[\n"):
            return None
        offsets = []
        at = 2
        for _ in range(self.count + 1):
            offsets.append(at)
            at = data.find(b"\n", at) + 1
            if at <= 0:
                return None
        return (memoryview(data), offsets) if data[offsets[-1]:] == _END else None

    # using it ---------------------------------------------------------

    def load_documents(self, routines_dir: str, max_file_kb: int,
                       split: bool = False) -> tuple[list[Document], list[Finding]]:
        """As `load.load_documents`, reusing the documents whose files are unchanged; the
        others parsed on two cores when there are many (`split`, `handbok.forked`)."""
        with _no_gc():  # tens of thousands of objects made, none of them garbage
            try:
                self._decode()
                return self._load_documents(routines_dir, max_file_kb, split)
            finally:
                self.records = None  # what was not used is not kept

    def _load_documents(self, routines_dir: str, max_file_kb: int,
                        split: bool) -> tuple[list[Document], list[Finding]]:
        handbook = self.root
        max_bytes = max_file_kb * 1024
        paths, findings = walk_markdown(handbook, routines_dir)
        documents: list[Document] = []
        # Files to parse: (their place in documents and findings, what _remember needs),
        # parsed together at the end (on two cores when there are many).
        misses: list[tuple[int, int, str, list[int] | None, str, bytes, str | None]] = []
        old = self.old
        records = self.records
        for path in paths:
            rel = handbook.rel(path)
            try:
                st: os.stat_result | None = os.lstat(path)
            except OSError:
                st = None
            index = old.get(rel)
            line = None if index is None or records is None else records[index]
            plain = st is not None and stat.S_ISREG(st.st_mode) and st.st_size <= max_bytes
            if plain and line is not None and line[1] == [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev] \
                    and self._settled(st, line[3]):  # type: ignore[union-attr]  # as _stat_key
                hit = self._hit(rel, index, line, None, (handbook, path, rel, max_bytes))  # type: ignore[arg-type]
                if hit is not None:
                    self.sources[rel] = line[2]
                    documents.append(hit[0])
                    findings.extend(hit[1])
                    continue
                line = None  # its fields are spent (decoded in place)
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
            if key is not None and line is not None and line[1] == key and line[2] == digest:
                hit = self._hit(rel, index, line, text, None)  # type: ignore[arg-type]
            if hit is None:
                misses.append((len(documents), len(findings), rel, key, digest, data, text))
                documents.append(Document(path=rel))  # replaced below
                self.new[rel] = None  # type: ignore[assignment]  # its place in the cache, kept or let go below
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
        kept = {entry.at for entry in self.new.values() if entry.at is not None}
        if len(kept) != self.count:
            self.changed = True  # a document deleted or renamed, or no longer cached
        return documents, findings

    def _parse(self, misses: list[tuple[int, int, str, list[int] | None, str, bytes, str | None]],
               documents: list[Document], findings: list[Finding], split: bool) -> None:
        """Parse the files of `misses` (and encode them for the cache) and put each document
        and its findings in its place."""
        def parse(miss: tuple[int, int, str, list[int] | None, str, bytes, str | None],
                  ) -> tuple[Document, list[Finding], Any]:
            doc, found = load_document(miss[2], miss[5])
            return doc, found, None if miss[3] is None else _encoded(doc, miss[6])

        parsed = split_map(parse, misses) if split else [parse(miss) for miss in misses]
        placed: list[Finding] = []
        start = misses[0][1]
        for (at, found_at, rel, key, digest, _, _), (doc, found, encoded) in zip(misses, parsed, strict=True):
            self.misses += 1
            if key is not None and encoded is not None:
                self._remember(rel, key, digest, doc, found, encoded)
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
        return type(read_at) is int and max(st.st_mtime_ns, st.st_ctime_ns) < read_at - _RACY_NS

    def _hit(self, rel: str, index: int, line: list[Any], text: str | None,
             source: tuple[Root, Path, str, int] | None) -> tuple[Document, list[Finding]] | None:
        """The document and its load findings from its old line: its body from `text`, or
        read when asked for (`source`)."""
        _, stat_key, digest, read_at, markers, kinds, load_json, doc_json = line
        try:
            if type(digest) is not str or type(markers) is not list or type(kinds) is not dict:
                return None
            lazy = source is not None and type(doc_json) is list and len(doc_json) == len(_DOC_FIELDS) \
                and type(doc_json[_BODY]) is int
            values = _decode_fields(doc_json, self._days, self._intervals, lazy)
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
            found = _decode_findings(load_json) if load_json else []
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        if doc.path != rel or found and any(f.path != rel for f in found):
            return None
        self.new[rel] = _Entry(rel, stat_key, digest, read_at, None, None, kinds, markers, index)
        self.hits += 1
        return doc, found

    def _remember(self, rel: str, key: list[int], digest: str, doc: Document, found: list[Finding],
                  encoded: Any) -> None:
        self.changed = True
        markers = [m for m in BODY_MARKERS if m in doc.body]
        self.new[rel] = _Entry(rel, key, digest, self.started, encoded, _encode_findings(found), {},
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
            old = self._old_payload() if any(entry.at is not None for entry in self.new.values()) else None
            chunks: list[bytes | memoryview] = [b"[\n"]
            first = last = 0  # a run of lines of the old array, copied as they are
            for entry in self.new.values():
                if entry.at is not None and not entry.dirty:  # its line was read and verified this run
                    if old is None:
                        continue
                    if entry.at != last or first == last:
                        if first < last:
                            chunks.append(old[0][old[1][first]:old[1][last]])
                        first = entry.at
                    last = entry.at + 1
                    continue
                line = self._line(entry, old)
                if line is not None:
                    if old is not None and first < last:
                        chunks.append(old[0][old[1][first]:old[1][last]])
                    first = last  # no run
                    chunks.append(line)
            if old is not None and first < last:
                chunks.append(old[0][old[1][first]:old[1][last]])
            chunks.append(_END)
            digest = hashlib.sha256()
            for chunk in chunks:
                digest.update(chunk)
            length = sum(len(chunk) for chunk in chunks)
            fd, name = _temp_file(self.folder)
            tmp = Path(name)
            with os.fdopen(fd, "wb") as out:
                out.write((json.dumps(self.header, sort_keys=True) + "\n").encode())
                out.write(f"{digest.hexdigest()[:32]} {length}\n".encode())
                out.writelines(chunks)
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

    def _line(self, entry: _Entry, old: tuple[memoryview, list[int]] | None) -> bytes | None:
        """The entry's line in the new file, its comma and newline after it."""
        if entry.at is not None:
            if old is None:
                return None
            view, offsets = old
            try:
                value = json.loads(str(view[offsets[entry.at]:offsets[entry.at + 1] - 2], "utf-8", "surrogatepass"))
            except (ValueError, UnicodeDecodeError):
                return None
            entry.doc, entry.load = value[7], value[6]
        value = [entry.rel, entry.stat, entry.digest, entry.read_at, entry.markers, entry.findings,
                 entry.load, entry.doc]
        return _dumps(value).encode("utf-8", "surrogatepass") + b",\n"

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
