"""What a changed handbook must rebuild: a digest of what each document page shows.

While a handbook is served (`mkdocs serve --dirty`), the site is rebuilt after every save.
A document page shows its document, its findings and review state, and a few facts about
the documents it names or that name it (title, id, address, state). Everything else on
it (the organisation, the legal register, the day, the options, the navigation, the set
of pages) is the same on every page: the *site digest*. When the site digest changes,
every page is rebuilt; otherwise only the document pages whose own digest changed.

This module knows nothing of MkDocs: the plugin (`handbok.mkdocs_plugin`) hands it the
check's result and the facts about the site that only MkDocs knows (pages and their
addresses, signatures of the files of docs/), and asks which pages to rebuild.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from .core import Result
from .model import Document

__all__ = ["SiteState", "digest", "document_digests", "file_signatures", "metadata_digest", "site_state",
           "to_rebuild"]


@dataclass(frozen=True)
class SiteState:
    """The digests of one build: of what every page shows, and of each document page."""

    site: str
    pages: dict[str, str]  # document path -> digest of its page


_FIELDS = tuple(f.name for f in fields(Document))


def digest(parts: Iterable[str]) -> str:
    text = "\0".join(parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _named(doc: Document | None, result: Result) -> str:
    """What a page shows of a document it names: its address (path), id, title, status
    and review state."""
    if doc is None:
        return "-"
    return repr((doc.path, doc.id, doc.title, doc.status, result.state(doc)))


def document_digests(result: Result) -> dict[str, str]:
    """Document path -> digest of everything its page shows that is its own."""
    by_id = result.by_id()
    referrers = result.referrers()
    digests: dict[str, str] = {}
    for doc in result.documents:
        named = [*doc.related, *doc.supersedes, *doc.superseded_by]
        own = result.sources.get(doc.path)  # its file's content hash, which every field is read from
        parts = [
            *([own, repr(named)] if own is not None else (repr(getattr(doc, name)) for name in _FIELDS)),
            repr(result.state(doc)),
            repr(result.findings_for(doc.path)),
            *(_named(by_id.get(ref), result) for ref in named),
            "referrers",
            *(_named(other, result) for other in (referrers.get(doc.id, []) if doc.id else [])),
        ]
        digests[doc.path] = digest(parts)
    return digests


def metadata_digest(result: Result, memo: dict[str, tuple[str, str]] | None = None) -> str:
    """Digest of what the exports (register, workbook, calendars) and the report show:
    every document but its body, the review states and the findings. `memo` (path ->
    (content hash, digest of the fields)) is kept by the caller from one build to the
    next: a document read from the same content has the same fields."""
    parts = [result.today.isoformat(), str(result.public)]
    for doc in result.documents:
        source = result.sources.get(doc.path)
        kept = memo.get(doc.path) if memo is not None and source is not None else None
        if kept is None or kept[0] != source:
            kept = (source or "", digest(repr(getattr(doc, name)) for name in _FIELDS if name != "body"))
            if memo is not None and source is not None:
                memo[doc.path] = kept
        parts.append(kept[1])
        parts.append(repr(result.state(doc)))
    parts += [repr(f) for f in result.findings]
    return digest(parts)


def file_signatures(root: Path, folders: Iterable[str]) -> list[str]:
    """Path, size, modification time and inode of every file under the folders (or of
    the file itself), without reading any: a save changes them."""
    out: list[str] = []
    for folder in folders:
        top = root / folder
        if top.is_file():
            st = top.stat()
            out.append(f"{folder}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
            continue
        for dirpath, dirnames, filenames in os.walk(top):  # links are not followed
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                try:
                    st = os.lstat(path)
                except OSError:
                    continue
                rel = os.path.relpath(path, root)
                out.append(f"{rel}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
    return out


def site_state(result: Result, checked: Result, site_facts: Iterable[str]) -> SiteState:
    """The digests of a build. `result` is what is published, `checked` the whole
    handbook's check (they differ on the public site: which documents are left out
    decides which links become text). `site_facts` are what the caller knows of the
    site: options, pages and their addresses, signatures of the files that every page
    depends on."""
    parts = [
        str(result.root),
        result.today.isoformat(),
        str(result.public),
        repr((result.config.routines_dir, result.config.data_dir, result.config.warn_days,
              result.config.max_file_kb, result.config.render_timeout)),  # the rest is in mkdocs.yml
        *(doc.path for doc in checked.documents),
        "published",
        *(doc.path for doc in result.documents),
        "site",
        *site_facts,
    ]
    return SiteState(site=digest(parts), pages=document_digests(result))


def to_rebuild(before: SiteState | None, now: SiteState) -> set[str] | None:
    """The document paths whose pages must be rebuilt, or None for every page."""
    if before is None or before.site != now.site:
        return None
    return {path for path, digest in now.pages.items() if before.pages.get(path) != digest}
