"""On the public site, a link to a document that is not published becomes plain text.

Two passes, both deciding with `handbok.visibility.Unpublished`:

- `UnlinkExtension`, a Markdown tree processor that runs before MkDocs resolves links,
  turns each `<a>` whose target is left out into a `<span>`: the link text stays, its
  address is gone, and MkDocs has no missing page to warn about;
- `unlink_html` does the same on a page's finished HTML, for links written as HTML in
  the source (`<a href="../intern.md">`), which Markdown passes through untouched.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from .visibility import Unpublished

__all__ = ["UnlinkExtension", "unlink_html", "unlink_nav"]

# After MkDocs' inline patterns (priority 20), before its relative-path processor (0).
PRIORITY = 1
_A_RE = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


class _Unlink(Treeprocessor):
    def __init__(self, md: Markdown, extension: UnlinkExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        page, hidden = self.extension.page, self.extension.hidden
        if page is None or not hidden.keys:
            return
        for element in root.iter("a"):
            if hidden.hides(page, element.get("href") or ""):
                element.tag = "span"
                element.attrib.clear()


class UnlinkExtension(Extension):
    """Set `page` (the site path of the page about to be rendered) before each page."""

    def __init__(self, hidden: Unpublished) -> None:
        super().__init__()
        self.hidden = hidden
        self.page: str | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's name
        md.treeprocessors.register(_Unlink(md, self), "handbok-unlink", PRIORITY)


def unlink_html(text: str, page: str, hidden: Unpublished) -> str:
    """`text` with every `<a>` pointing at a left-out document replaced by its content."""
    if not hidden.keys or "<a" not in text.lower():
        return text

    def replace(match: re.Match[str]) -> str:
        href = _HREF_RE.search(match[1])
        target = next((g for g in href.groups() if g is not None), "") if href else ""
        if hidden.hides(page, html.unescape(target)):
            return f"<span>{match[2]}</span>"
        return match[0]

    return _A_RE.sub(replace, text)


def unlink_nav(nav: Any, hidden: Unpublished) -> Any:
    """A nav as mkdocs.yml writes it (lists, `{title: path}`, paths) without the entries
    for left-out documents; a section left empty goes too."""
    if isinstance(nav, list):
        kept = [unlink_nav(item, hidden) for item in nav]
        return [item for item in kept if item is not None]
    if isinstance(nav, dict):
        kept = {k: unlink_nav(v, hidden) for k, v in nav.items()}
        kept = {k: v for k, v in kept.items() if v is not None and v != []}
        return kept or None
    if isinstance(nav, str) and hidden.hides("", nav):
        return None
    return nav
