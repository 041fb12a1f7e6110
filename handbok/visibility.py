"""One source, two sites: what a public build may publish.

`visibility: public` in the handbok plugin's options, or HANDBOK_VISIBILITY=public,
builds the public site. `publish` turns the check's Result, once, into the Result that
every page and export of that site is built from (document pages, overview pages,
macros, `handbok.json`, the CSV and any later export), so none of them has to filter:

- only documents with `visibility: public` that are not drafts (an unreadable document
  counts as internal; a draft is published once it is decided, `status: active`; a
  repealed one stays, with its banner, for the record);
- their `related`, `supersedes` and `superseded_by` name only published documents;
- only findings about published documents, and none that names a document left out
  (a duplicate id, a supersession, a link);
- only the roles a published document names, so that no page or export can list the
  holder or e-mail of a role that only owns internal documents;
- only the attachments (`handbok.attachments`) that a published document links to: a
  form beside an internal routine stays on the intranet.

`check_public_links` is the check's side: `public-links-internal` when a public
document relates to an internal one or to a public draft, or links to its file or page,
and `public-draft` (info) for a public draft. The site turns such a link into plain text
(`handbok.unlink`), with the same `link_keys`.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from . import messages as msg
from .load import decode, split_front_matter
from .model import Document, Finding, Organisation
from .render import BodyRenderer
from .safety import sanitise
from .yamlread import YamlError, parse_yaml

if TYPE_CHECKING:
    from .core import Result

__all__ = [
    "ENV",
    "PUBLIC",
    "VISIBILITIES",
    "Unpublished",
    "check_public_links",
    "internal_page",
    "is_published",
    "link_keys",
    "page_key",
    "publish",
    "resolve_visibility",
]

PUBLIC = "public"
INTERNAL = "internal"
VISIBILITIES = (INTERNAL, PUBLIC)
ENV = "HANDBOK_VISIBILITY"
REFERENCE_KEYS = ("related", "supersedes", "superseded_by")


def resolve_visibility(option: str, environ: Mapping[str, str]) -> str:
    """`public` when the plugin option or HANDBOK_VISIBILITY says so: neither can turn a
    public configuration internal. ValueError (in Swedish) for another value."""
    given = (environ.get(ENV) or "").strip().lower()
    if given and given not in VISIBILITIES:
        raise ValueError(msg.visibility_env_invalid(given))
    return PUBLIC if PUBLIC in (option, given) else INTERNAL


def is_published(doc: Document) -> bool:
    """Whether a public build publishes the document: public and not a draft (a guideline
    is published once it is decided, never before)."""
    return doc.readable and doc.visibility == PUBLIC and doc.status != "draft"


def _public_draft(doc: Document) -> bool:
    return doc.readable and doc.visibility == PUBLIC and doc.status == "draft"


def page_key(path: str) -> str:
    """A site path or link target reduced to what names one page: `routines/a/b.md`,
    `routines/a/b/`, `routines/a/b.html` and `routines/a/b/index.html` are `routines/a/b`."""
    key = path.strip("/")
    for suffix in (".md", ".html"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
            break
    if key in ("index", "README"):
        return ""
    for tail in ("/index", "/README"):
        if key.endswith(tail):
            return key[: -len(tail)]
    return key


def link_keys(page: str, href: str) -> list[str]:
    """The pages an href on `page` (its site path, e.g. `routines/a/b.md`) may point at:
    relative to the file, as MkDocs resolves a Markdown link, and relative to the page's
    address (a link written as `../c/`). Empty for an address elsewhere or an anchor."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return []
    path = unquote(parts.path)
    if path.startswith("/"):
        return [page_key(posixpath.normpath(path))]
    out: list[str] = []
    for base in (posixpath.dirname(page), page_key(page)):
        joined = posixpath.normpath(posixpath.join(base, path))
        if joined != ".." and not joined.startswith("../"):
            out.append(page_key("" if joined == "." else joined))
    return out


@dataclasses.dataclass(frozen=True)
class Unpublished:
    """The pages of documents a public build leaves out, to recognise links to them."""

    keys: frozenset[str]

    @classmethod
    def of(cls, documents: Iterable[Document]) -> Unpublished:
        docs = list(documents)
        shown = {page_key(d.path) for d in docs if is_published(d)}
        return cls(frozenset(page_key(d.path) for d in docs if not is_published(d)) - shown)

    def hides(self, page: str, href: str) -> bool:
        """Whether `href` on `page` points at a document left out."""
        return bool(self.keys) and any(key in self.keys for key in link_keys(page, href))


def internal_page(data: bytes) -> bool:
    """Whether a hand-written page of docs/ says `visibility: internal` in its front matter
    (the editor's guide, say): the public site leaves it out."""
    text = decode(data)
    split = split_front_matter(text) if text is not None else None
    if split is None or split[1] is None:
        return False
    try:
        value = parse_yaml(split[0]).value
    except YamlError:
        return False
    return isinstance(value, dict) and str(value.get("visibility", "")).strip() == INTERNAL


def publish(result: Result) -> Result:
    """The Result of the public site, from the check's Result of the whole handbook."""
    shown = [d for d in result.documents if is_published(d)]
    left_out = [d for d in result.documents if not is_published(d)]
    ids = {d.id for d in shown if d.id}
    documents = [_references_to(doc, ids) for doc in shown]
    paths = {d.path for d in documents}
    names = sorted(_names(left_out) - _names(shown))  # a name a published document shares is no secret
    findings = [f for f in result.findings if f.path in paths and not _mentions(f, names)]
    # Fresh caches: by_id, referrers and findings_for are computed again from what is shown.
    return dataclasses.replace(
        result, documents=documents, findings=findings, org=_roles_named(result.org, documents),
        states={p: s for p, s in result.states.items() if p in paths}, public=True,
        attachments={rel: kept for rel, docs in result.attachments.items()
                     if (kept := tuple(d for d in docs if d in paths))},
        _by_id=None, _referrers=None, _by_path=None,
    )


def _references_to(doc: Document, ids: set[str]) -> Document:
    """The document naming only published documents in related/supersedes/superseded_by."""
    kept = {key: [ref for ref in getattr(doc, key) if ref in ids] for key in REFERENCE_KEYS}
    if all(kept[key] == getattr(doc, key) for key in REFERENCE_KEYS):
        return doc
    raw = {k: (kept[k] if k in kept else v) for k, v in doc.raw.items()}
    return dataclasses.replace(doc, raw=raw, **kept)


def _names(documents: list[Document]) -> set[str]:
    """What identifies documents: id, title, path, page address (case-folded)."""
    out: set[str] = set()
    for doc in documents:
        for value in (doc.id, doc.title, doc.path, page_key(doc.path)):
            if value and value.strip():
                out.add(value.strip().casefold())
    return out


def _mentions(f: Finding, names: list[str]) -> bool:
    text = f"{f.document or ''}\n{f.message}".casefold()
    return any(name in text for name in names)


def _roles_named(org: Organisation, documents: list[Document]) -> Organisation:
    if org.roles is None:
        return org
    named = {key for d in documents for key in (d.owner, d.decided_by, d.reviewed_by, *d.audience) if key}
    return dataclasses.replace(org, roles={k: r for k, r in org.roles.items() if k in named})


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def _hrefs(body: str, renderer: BodyRenderer) -> list[str]:
    """The link targets of a body as the site publishes it (inline, reference and HTML
    links, after the sanitiser: well-formed, and only the links a reader gets)."""
    if "](" not in body and "]:" not in body and "href" not in body.lower():
        return []
    html, _ = renderer.render(body)
    parser = _Hrefs()
    parser.feed(sanitise(html or ""))
    return parser.hrefs


def _body_line(doc: Document, href: str) -> int:
    for number, line in enumerate(doc.body.split("\n")):
        if href in line:
            return doc.body_line + number
    return doc.body_line


def check_public_links(documents: list[Document], renderer: BodyRenderer,
                       only: list[Document] | None = None) -> list[Finding]:
    """`public-links-internal`: a public document relates to an internal one or a public
    draft, or links to its file or page (the public site would show the link as plain
    text); `public-draft` (info): a public draft is not on the public site yet.
    `only`: the findings about these documents alone (of `documents`)."""
    about = documents if only is None else only
    drafts = [Finding("info", "public-draft", d.path, d.line_of("status"), msg.PUBLIC_DRAFT, d.id, "status")
              for d in about if _public_draft(d)]
    public = [d for d in about if is_published(d)]
    if not public:
        return drafts
    by_id: dict[str, Document] = {}
    for doc in documents:
        if doc.id and doc.id not in by_id:
            by_id[doc.id] = doc
    hidden = Unpublished.of(documents)
    by_key = {page_key(d.path): d for d in documents if page_key(d.path) in hidden.keys}
    out: list[Finding] = []
    for doc in public:
        for key in REFERENCE_KEYS:
            for ref in dict.fromkeys(getattr(doc, key)):
                target = by_id.get(ref)
                if target is not None and not is_published(target):
                    out.append(Finding("warning", "public-links-internal", doc.path, doc.line_of(key),
                                       msg.public_relates_internal(key, ref, _public_draft(target)), doc.id, key))
        for href in dict.fromkeys(_hrefs(doc.body, renderer)):
            target = next((by_key[k] for k in link_keys(doc.path, href) if k in by_key), None)
            if target is not None:
                out.append(Finding("warning", "public-links-internal", doc.path, _body_line(doc, href),
                                   msg.public_links_internal(href, target.id or target.path, _public_draft(target)),
                                   doc.id))
    return [*out, *drafts]
