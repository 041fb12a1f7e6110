"""Links in a routine's text, and the attachments beside routines that the site publishes.

A routine may link to other documents (`[Rutin](../annan/rutin.md)`) and to files beside
it: a form as PDF or DOCX, a flowchart as PNG or SVG (`[Blankett](blankett.pdf)`,
`![Flöde](flode.svg)`). `check_links` reads every relative Markdown link (inline links,
images, reference definitions; not inside code) and decides, for one run of the check:

- a link to a `.md` file in `routines_dir` must name a document of the handbook;
- a link to another file in `routines_dir` must name a regular file of an allowed type
  (`ATTACHMENT_TYPES`), at most `MAX_ATTACHMENT_KB`, not hidden, inside the handbook's
  root after resolving every link; an SVG also must not hold script, event handlers or
  references to other files or addresses (`svg_risk`): opened by a direct link it is a
  document that would run in the site's origin;
- a link that leaves the handbook's root (`../../../etc/passwd`) is a finding, and
  nothing there is looked at.

Each broken link is a `broken-link` warning at the line of the link. Every attachment
that passes is returned with the documents that link to it: the site publishes exactly
those (the public site only those that a published document links to). Links to the
site's other pages (docs/, the overview pages) are left to MkDocs, which warns about
them when it builds.

Which files exist is a fact about the whole handbook, so this runs on every check and
is never taken from the check's cache. It is cheap: only bodies with `](` or `]:` are
read, with regular expressions (nothing is rendered), and each target is looked at once.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

from . import messages as msg
from .files import Root, shown
from .model import Document, Finding

__all__ = [
    "ATTACHMENT_TYPES",
    "MAX_ATTACHMENT_KB",
    "check_links",
    "links_in",
    "svg_risk",
]

ATTACHMENT_TYPES = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "png", "jpg", "jpeg", "gif",
                    "svg", "txt", "csv")
"""File types published beside routines (lower case, without the dot)."""
MAX_ATTACHMENT_KB = 20 * 1024
"""A larger attachment is not published (a fixed, generous limit: a scanned form is a few MB;
documents themselves keep the much smaller `max_file_kb`)."""

_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+).*?(?<!`)\1(?!`)")
# [text](target "title"), ![alt](target): the target up to a space or ')', one level of
# balanced parentheses allowed (bilaga(1).pdf); or <target with spaces>.
_INLINE_RE = re.compile(r"\]\(\s*(?:<([^<>\n]*)>|((?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+))")
# [label]: target (not a footnote [^1]: text).
_REFERENCE_RE = re.compile(r"^[ ]{0,3}\[(?!\^)(?:[^\]\\\n]|\\.)+\]:[ \t]*(?:<([^<>\n]*)>|(\S+))")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def links_in(body: str) -> Iterator[tuple[int, str]]:
    """(line in the body, 1-based; target as written) of every Markdown link, image and
    reference definition outside fenced code and code spans."""
    if "]" not in body or ("](" not in body and "]:" not in body):  # one character is found fastest
        return
    fence: str | None = None
    for number, line in enumerate(body.split("\n"), start=1):
        opening = _FENCE_RE.match(line)
        if fence is not None:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence) \
                    and not line[opening.end():].strip():
                fence = None
            continue
        if opening:
            fence = opening[1]
            continue
        if "](" not in line and "]:" not in line:
            continue
        if "`" in line:
            line = _CODE_SPAN_RE.sub("", line)
        for match in _INLINE_RE.finditer(line):
            yield number, match[1] if match[1] is not None else match[2]
        reference = _REFERENCE_RE.match(line)
        if reference:
            yield number, reference[1] if reference[1] is not None else reference[2]


def _local_path(target: str) -> str | None:
    """The file a relative link names (anchor, query and %-escapes undone), or None for an
    address elsewhere, an absolute path, a pure anchor or a folder."""
    target = html.unescape(target).replace("\t", "").replace("\n", "").replace("\r", "").strip()  # as a browser reads it
    if not target or target.startswith(("#", "/", "\\")) or _SCHEME_RE.match(target):
        return None
    path = target.split("#", 1)[0].split("?", 1)[0]
    path = unquote(_ESCAPE_RE.sub(r"\1", path))
    if not path or path.endswith("/") or path in (".", ".."):
        return None
    return path


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


_Reason = Callable[[str], str]  # the link as written -> the finding's message


class _Links:
    """One run: the documents, the root, what each target turned out to be."""

    def __init__(self, root: Root, documents: list[Document], routines_dir: str) -> None:
        self.root = root
        self.base = os.fspath(root.path)
        self.paths = {d.path for d in documents}
        folder = posixpath.normpath(routines_dir.replace(os.sep, "/"))
        self.prefix = "" if folder == "." else folder + "/"
        self.seen: dict[str, _Reason | None] = {}  # target path -> why it is not published, or None
        self.folders: dict[str, bool] = {}  # folder -> whether it lies in the root (links resolved)

    def problem(self, href: str, rel: str) -> str | None:
        """Why a link (to `rel`, relative to the root) leads nowhere on the site, or None."""
        if rel.endswith(".md"):
            return None if rel in self.paths else msg.broken_link_document(href, _short(rel))
        if rel not in self.seen:
            self.seen[rel] = self.attachment(rel)
        reason = self.seen[rel]
        return None if reason is None else reason(href)

    def attachment(self, target: str) -> _Reason | None:
        """Why the file `target` (relative to the root) is not published as an attachment
        (the message, given the link as written), or None."""
        folder, _, name = target.rpartition("/")
        path, rel = os.path.join(self.base, target), _short(target)  # rel: as the message shows it
        if any(part.startswith(".") for part in target[len(self.prefix):].split("/")):
            return lambda href: msg.broken_link_hidden(href, rel)
        if "\0" in target:  # no file has such a name (and os would refuse it)
            return lambda href: msg.broken_link_missing(href, rel)
        inside = self.folders.get(folder)
        if inside is None:  # resolved once per folder: realpath is slow
            inside = self.folders[folder] = self.root.inside(os.path.join(self.base, folder))
        if not inside:
            return lambda href: msg.broken_link_outside_link(href, rel)
        try:
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                if not self.root.inside(path):
                    return lambda href: msg.broken_link_outside_link(href, rel)
                st = os.stat(path)
        except OSError:
            return lambda href: msg.broken_link_missing(href, rel)
        if not stat.S_ISREG(st.st_mode):
            return lambda href: msg.broken_link_not_a_file(href, rel)
        suffix = name.rpartition(".")[2].lower() if "." in name else ""
        if suffix not in ATTACHMENT_TYPES:
            return lambda href: msg.broken_link_type(href, rel, suffix, ATTACHMENT_TYPES)
        if st.st_size > MAX_ATTACHMENT_KB * 1024:
            return lambda href: msg.broken_link_too_large(rel, MAX_ATTACHMENT_KB // 1024)
        if suffix == "svg":
            data = self.root.read(Path(path), MAX_ATTACHMENT_KB * 1024)
            if isinstance(data, Finding):
                reason = data.message
                return lambda href: msg.broken_link_unreadable(href, rel, reason)
            risk = svg_risk(data)
            if risk is not None:
                return lambda href: msg.broken_link_unsafe_svg(rel, risk)
        return None


def check_links(root: Path, documents: list[Document], routines_dir: str,
                only: list[Document] | None = None) -> tuple[list[Finding], dict[str, tuple[str, ...]]]:
    """`broken-link` findings, and the attachments to publish: path (relative to the
    root) -> the paths of the documents that link to it, in the documents' order.
    `only`: the links of these documents alone (of `documents`)."""
    run = _Links(Root(root), documents, routines_dir)
    findings: list[Finding] = []
    attachments: dict[str, list[str]] = {}
    for doc in documents if only is None else only:
        if not doc.readable or not doc.body_contains("](", "]:"):  # links_in's own test; a
            continue  # document from the cache answers it without reading its file
        reported: set[tuple[int, str]] = set()
        for number, href in links_in(doc.body):
            path = _local_path(href)
            if path is None:
                continue
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), path))
            if rel == ".." or rel.startswith("../"):
                problem: str | None = msg.broken_link_outside(_short(href), doc.path)
            elif not rel.startswith(run.prefix):
                continue  # a page of docs/ or an overview page: MkDocs checks those
            else:
                problem = run.problem(_short(href), rel)
                if problem is None and not rel.endswith(".md"):
                    referrers = attachments.setdefault(rel, [])
                    if not referrers or referrers[-1] != doc.path:
                        referrers.append(doc.path)
            if problem is not None and (number, href) not in reported:
                reported.add((number, href))
                findings.append(Finding("warning", "broken-link", doc.path, doc.body_line + number - 1,
                                        msg.visible(shown(problem)), doc.id))
    return findings, {rel: tuple(docs) for rel, docs in attachments.items()}


# SVG -------------------------------------------------------------------------------

_SVG_ELEMENTS_RE = re.compile(r"<\s*(script|foreignobject|iframe|embed|object|handler|listener)\b", re.IGNORECASE)
_SVG_HANDLER_RE = re.compile(r"[\s\"'/]on[a-z]+\s*=", re.IGNORECASE)
_SVG_REFERENCE_RE = re.compile(r"(?:^|[\s\"'/:])(?:href|src)\s*=\s*[\"']?\s*([^\"'\s>]*)", re.IGNORECASE)
_SVG_URL_RE = re.compile(r"url\s*\(\s*[\"']?\s*([^\"')\s]*)", re.IGNORECASE)
_SVG_ANIMATED_LINK_RE = re.compile(r"attributename\s*=\s*[\"']?\s*(?:xlink:)?href", re.IGNORECASE)
_RASTER_DATA_RE = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp)[;,]", re.IGNORECASE)
_BLANKS_RE = re.compile(r"[\x00-\x20]+")


def svg_risk(data: bytes) -> str | None:
    """What in an SVG file could run script or fetch something when the file is opened
    on the site (in Swedish, for the finding), or None when it holds nothing of it.

    Deliberately strict: an SVG is published only when it is a plain drawing. Character
    references are undone first (`&#106;avascript:` is `javascript:`)."""
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return msg.SVG_NOT_UTF8
    text = html.unescape(raw)
    lowered = text.lower()
    element = _SVG_ELEMENTS_RE.search(text)
    if element:
        return msg.svg_element(element[1])
    if "<!entity" in lowered:
        return msg.SVG_ENTITY
    if _SVG_HANDLER_RE.search(text):
        return msg.SVG_HANDLER
    compact = _BLANKS_RE.sub("", lowered)
    if "javascript:" in compact or "vbscript:" in compact:
        return msg.SVG_SCRIPT_URL
    if "@import" in lowered or _SVG_ANIMATED_LINK_RE.search(text):
        return msg.SVG_REFERENCE
    for pattern in (_SVG_REFERENCE_RE, _SVG_URL_RE):
        for match in pattern.finditer(text):
            value = match[1]
            if not value.startswith("#") and not _RASTER_DATA_RE.match(value):
                return msg.svg_reference(value[:60])
    return None
