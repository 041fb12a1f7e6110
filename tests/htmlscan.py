"""Scan HTML as a browser would read it for anything that could run script.

Used by the safety tests on rendered fragments, on every HTML file of a built site and
on the search index. A hit is (where, what); an empty list means nothing runs.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

FORBIDDEN = frozenset({"script", "iframe", "object", "embed", "base", "form", "meta", "style",
                       "frame", "frameset", "applet", "link", "template", "math"})
_SCHEME = re.compile(r"(?:javascript|vbscript|data):", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset",
                   "data", "codebase", "cite"}
_STRIPPED = "".join(map(chr, range(0x21)))


def script_url(value: str) -> bool:
    url = value.replace("\t", "").replace("\n", "").replace("\r", "").lstrip(_STRIPPED)
    return bool(_SCHEME.match(url))


class _Scanner(HTMLParser):
    def __init__(self, where: str, forbid_elements: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.forbid_elements = forbid_elements
        self.hits: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.forbid_elements and tag in FORBIDDEN:
            self.hits.append((self.where, f"<{tag}>"))
        for name, value in attrs:
            if name.startswith("on"):
                self.hits.append((self.where, f"<{tag} {name}=…>"))
            elif name in _URL_ATTRIBUTES and value and script_url(value):
                self.hits.append((self.where, f"<{tag} {name}={value!r}>"))

    handle_startendtag = handle_starttag


def scan_fragment(html: str, where: str = "fragment", forbid_elements: bool = True) -> list[tuple[str, str]]:
    """Event handlers, script addresses and (unless told otherwise) forbidden elements."""
    scanner = _Scanner(where, forbid_elements)
    scanner.feed(html)
    scanner.close()
    return scanner.hits


def _article(html: str) -> str:
    start = html.find("<article")
    return html[start:html.index("</article>", start)] if start != -1 else ""


def scan_site(site: Path, routines: str = "routines/") -> list[tuple[str, str]]:
    """Event handlers and script addresses in every HTML file and every text of the
    search index; forbidden elements in the article of every routine page (the theme has
    its own <script> elements around it, the register its own filter form)."""
    hits: list[tuple[str, str]] = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8", errors="replace")
        where = page.relative_to(site).as_posix()
        hits += scan_fragment(html, where, forbid_elements=False)
        if where.startswith(routines):
            hits += scan_fragment(_article(html), f"{where} <article>")
    index = site / "search" / "search_index.json"
    if index.is_file():
        for entry in json.loads(index.read_text(encoding="utf-8"))["docs"]:
            location = entry.get("location") or ""
            for key in ("title", "text"):
                hits += scan_fragment(entry.get(key) or "", f"search_index {location} {key}",
                                      forbid_elements=location.startswith(routines))
    return hits
