"""Incremental rebuilds while serving: the MkDocs side of `handbok.incremental`.

MkDocs 1.6 has one mechanism for a partial rebuild: with `--dirty` (scripts/serve.sh
serves so), a page whose `file.is_modified()` is false is neither rendered nor written,
and its file from the last build stays in site_dir. The plugin object lives as long as
`mkdocs serve` (it has `on_startup`), and with it this object, which remembers the last
build. For each build, from the plugin's hooks:

- `new_build` (on_config): finds Material's search plugin, whose index it completes;
- `set_exports` (on_files): the *export key*, a digest of what the exports, the overview
  pages and the redirects show: the documents but not their bodies, states, findings,
  data/, docs/, mkdocs.yml and the git history. `export` makes an export again only when
  the key changed;
- `plan` (on_nav, after every plugin has added its files): marks what is not rebuilt.
  The handbook's own pages (docs/) are always rebuilt (a macro may list any document);
  overview pages only when the export key changed; a document page when its digest or
  the site's changed (`handbok.incremental`); a generated file only when its content
  changed;
- `templates` (on_env): the theme's templates compiled once per session, not per build;
- `indexed` (on_page_context, after the search plugin): keeps each page's search entries;
- `finish` (on_post_build, before the search plugin writes its index): the index gets the
  stored entries of the pages not rebuilt, in a full build's order, and the files of the
  last build that are no longer part of the site are removed.

The result equals a full build of the same sources, file for file
(tests/test_incremental.py). Without `--dirty` nothing here is used.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import threading
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .core import Result
from .incremental import SiteState, digest, file_signatures, metadata_digest, site_state, to_rebuild

__all__ = ["Incremental", "LazyFile"]

log = logging.getLogger("mkdocs.plugins.handbok")

T = TypeVar("T")
POLL = 0.1  # seconds between looks for changed routines while serving
IDLE_COLLECT = 0.5  # seconds after a build when the garbage collector runs
_GIT = (".git/HEAD", ".git/refs", ".git/packed-refs")  # the history the report and "Senast ändrade" show


class Incremental:
    """What one `mkdocs serve --dirty` remembers from one build to the next."""

    def __init__(self, dirty: bool) -> None:
        self.dirty = dirty
        self.search: Any = None  # Material's search plugin; False: another, so every page is built
        self.built: SiteState | None = None  # the digests of the last finished build
        self.pending: SiteState | None = None  # ... of the build under way
        self.entries: dict[str, list[Any]] = {}  # src_uri -> the page's search entries
        self.entry_mark = 0
        self.outputs: set[str] = set()  # dest_uri of every file the last build wrote
        self.files = Files([])
        self.export_key: str | None = None
        self.built_export_key: str | None = None
        self.exports: dict[str, tuple[str, Any]] = {}  # name -> (export key, content)
        self.fields: dict[str, tuple[str, str]] = {}  # for metadata_digest
        self.static: dict[str, str] = {}  # dest_uri -> digest of a generated file's content
        self.pending_static: dict[str, str] = {}
        self.compiled = _TemplateCache()
        self.collector: threading.Timer | None = None
        if dirty:  # MkDocs' warning that a dirty build has stale navigation does not hold here
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())

    def new_build(self, config: MkDocsConfig) -> None:
        self.search, self.entry_mark, self.export_key = None, 0, None
        if self.dirty:  # no full collection in the middle of a rebuild (see `idle_collect`)
            if self.collector is not None:
                self.collector.cancel()
            gc.disable()
        for name, plugin in config.plugins.items():
            if name.endswith("search"):
                self.search = plugin if hasattr(plugin, "search_index_prev") else False

    def set_exports(self, root: Path, result: Result, sources: list[str], site_url: str | None) -> None:
        if self.dirty:
            self.export_key = digest([metadata_digest(result, self.fields), site_url or "",
                                      *file_signatures(root, [*sources, *_GIT])])

    def export(self, name: str, make: Callable[[], T]) -> T:
        """An export, made again while serving only when the export key changed."""
        if self.export_key is None:
            return make()
        kept = self.exports.get(name)
        if kept is None or kept[0] != self.export_key:
            kept = self.exports[name] = (self.export_key, make())
        return kept[1]  # type: ignore[no-any-return]

    def plan(self, files: Files, result: Result, checked: Result, facts: list[str],
             documents: dict[str, str], overviews: Collection[str]) -> None:
        """Mark what this build neither renders nor writes. `facts`: what every page
        shows beyond the documents (options, signatures of data/, docs/, mkdocs.yml);
        `documents`: src_uri -> document path of the document pages; `overviews`: the
        src_uri of the overview pages."""
        self.files = files
        if not self.dirty:
            return
        facts = [*facts, *(f"{f.src_uri}>{f.dest_uri}:{f.inclusion.name}" for f in files)]
        self.pending = site_state(result, checked, facts)
        rebuild = to_rebuild(self.built, self.pending) if self.search is not False else None
        static: dict[str, str] = {}
        for file in files:
            if file.generated_by and file.abs_src_path is None and not file.is_documentation_page():
                static[file.dest_uri] = hashlib.blake2b(file.content_bytes, digest_size=16).hexdigest()
                if rebuild is not None and self.static.get(file.dest_uri) == static[file.dest_uri]:
                    file.is_modified = _unmodified  # type: ignore[method-assign]
        self.pending_static = static
        same_exports = self.export_key == self.built_export_key
        rebuilt = 0
        for file in files.documentation_pages():
            if file.generated_by is None:
                file.is_modified = _modified  # type: ignore[method-assign]
            elif rebuild is not None and (file.src_uri in documents and documents[file.src_uri] not in rebuild
                                          or file.src_uri in overviews and same_exports):
                file.is_modified = _unmodified  # type: ignore[method-assign]
                continue
            rebuilt += 1
        if rebuild is not None:
            log.info(f"handbok: {rebuilt} sidor byggs om, {len(documents) - len(rebuild)} "
                     "dokumentsidor är oförändrade.")

    def watch(self, server: Any, documents: int) -> None:
        """MkDocs looks for changed files by polling every 0.5 s, which is most of the wait
        after a save in a small handbook. The folders scheduled after `on_serve` (the
        routines and data/, from `config.watch`) are polled more often in a smaller
        handbook: every 0.1 s up to 1,000 documents, then slower, since each look lists
        every file and competes with the build (watchdog's observer hands its `timeout`
        to each emitter it schedules; without that attribute nothing changes)."""
        observer = getattr(server, "observer", None)
        if self.dirty and observer is not None and isinstance(getattr(observer, "_timeout", None), (int, float)):
            observer._timeout = min(observer._timeout, max(POLL, documents * POLL / 1000))

    def templates(self, env: jinja2.Environment) -> None:
        """The theme's templates compiled once (MkDocs makes a new Jinja environment per
        build; Jinja checks each template's source against what was compiled)."""
        if self.dirty:
            env.bytecode_cache = self.compiled

    def indexed(self, page: Page) -> None:
        """Keep the search entries the search plugin (priority 0) just made for `page`."""
        if self.dirty and self.search:
            entries = self.search.search_index.entries
            self.entries[page.file.src_uri] = entries[self.entry_mark:]
            self.entry_mark = len(entries)

    def finish(self, config: MkDocsConfig, serving: bool) -> None:
        """The search index holds every page, in a full build's order: the entries made now
        and the stored ones of the pages not rebuilt. Files of the last build that are not
        part of this one (a deleted or renamed document) are removed from site_dir."""
        if not self.dirty:
            return
        inclusion = InclusionLevel.is_in_serve if serving else InclusionLevel.is_included
        pages = [f.src_uri for f in self.files.documentation_pages(inclusion=inclusion)]
        self.entries = {uri: self.entries[uri] for uri in pages if uri in self.entries}
        if self.search:
            self.search.search_index.entries = [e for uri in pages for e in self.entries.get(uri, [])]
            self.search.search_index_prev = None  # its own merge assumes one rebuilt page
        written = {f.dest_uri for f in self.files if inclusion(f.inclusion)}
        site = Path(config.site_dir).resolve()
        for uri in sorted(self.outputs - written):
            path = site / uri
            if path.is_file() and not path.is_symlink() and path.resolve().is_relative_to(site):
                path.unlink()
                for parent in path.parents:
                    if parent == site or not parent.is_relative_to(site) or any(parent.iterdir()):
                        break
                    parent.rmdir()
        self.outputs = written
        self.built, self.static, self.built_export_key = self.pending, self.pending_static, self.export_key
        self.idle_collect()

    def idle_collect(self) -> None:
        """The collector runs after a build, when nobody waits, not during one: a full pass
        over what a served handbook of thousands of pages keeps in memory takes up to a
        second, and it used to fall in the middle of every few rebuilds. It is switched on
        again `IDLE_COLLECT` seconds after a build (or one that failed) has ended, once the
        reader has the new page; a build that starts before then keeps it off."""
        if self.dirty and not gc.isenabled():
            self.collector = threading.Timer(IDLE_COLLECT, _collect)
            self.collector.daemon = True
            self.collector.start()


class LazyFile(File):
    """A generated file whose content is made when MkDocs first asks for it: a document's
    page (a build that renders only some pages reads only their bodies; the check's cache
    keeps the others' unread), or an export made in another process (`mkdocs_background`)."""

    _make: Callable[[], str | bytes] | None = None
    _made: str | bytes | None = None

    @classmethod
    def of(cls, config: MkDocsConfig, src_uri: str, make: Callable[[], str | bytes],
           inclusion: InclusionLevel = InclusionLevel.UNDEFINED) -> File:
        file = cls.generated(config, src_uri, content="", inclusion=inclusion)
        assert isinstance(file, LazyFile)
        file._make, file._made = make, None
        return file

    @property  # type: ignore[override]
    def _content(self) -> str | bytes | None:
        if self._made is None and self._make is not None:
            self._made = self._make()
        return self._made

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        self._made, self._make = value, None


class _TemplateCache(jinja2.BytecodeCache):
    """Compiled templates, kept in memory between the builds of one `mkdocs serve`."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class _DirtyNotice(logging.Filter):
    """Drops MkDocs' warning that a dirty build leaves navigation and links stale: every
    page that a change affects is rebuilt (`Incremental.plan`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _collect() -> None:
    gc.enable()
    gc.collect()


def _modified() -> bool:
    return True


def _unmodified() -> bool:
    return False
