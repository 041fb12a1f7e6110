"""What may reach a reader's browser from a routine: an allow-list, enforced by nh3.

A routine is written by anyone who can open a pull request and read by every member
of staff, logged in to the intranet. No guess about the Markdown source can say what
the renderer will make of it (fences left open, odd indentation, autolink look-alikes),
so the guarantee is made on the renderer's output: `sanitise` passes the HTML of every
routine page (and every metadata value) through nh3, the binding to the Ammonia
sanitiser, with only the elements and attributes that Markdown and the usual
extensions produce. `inspect` names what `sanitise` takes away, from the same tables,
so that `handbok check` reports it (`raw-html`, `unsafe-link`) from the same rendering
the site publishes.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

import nh3

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "URL_SCHEMES",
    "Removal",
    "inspect",
    "is_script_url",
    "sanitise",
    "scheme_allowed",
]

# Elements Python-Markdown, its bundled extensions and those of pymdown-extensions and
# Material produce (tables, toc, admonition, attr_list, footnotes, abbr, def_list,
# highlighting, details, tasklist, tabbed, emoji as inline SVG, mark, caret, tilde, keys).
ALLOWED_TAGS: frozenset[str] = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p", "pre", "q",
    "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul", "svg", "path", "g",
})
_GENERIC = frozenset({"id", "class", "title", "lang", "aria-hidden", "aria-label"})
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": _GENERIC,
    "a": frozenset({"href", "name"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"style", "colspan", "rowspan", "scope", "align"}),
    "td": frozenset({"style", "colspan", "rowspan", "align"}),
    "div": frozenset({"data-tabs"}),  # pymdownx.tabbed
    "ol": frozenset({"start"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    "input": frozenset({"checked", "disabled", "name"}),
    "label": frozenset({"for"}),
    "svg": frozenset({"xmlns", "viewBox", "width", "height", "fill", "focusable", "role"}),
    "path": frozenset({"d", "fill", "fill-rule", "clip-rule"}),
    "g": frozenset({"fill"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
}
# Values an attribute may only take (an input is a task-list box or a tab, nothing else).
_ATTRIBUTE_VALUES = {"input": {"type": {"checkbox", "radio"}}}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
_URL_ATTRIBUTES = frozenset({"href", "src"})
# Table alignment from the tables extension is the only style kept.
_STYLE_PROPERTIES = frozenset({"text-align"})
# The site's own components: a routine must not dress its text up as the status banner
# or the information panel.
_RESERVED_CLASS = re.compile(r"^(?:handbok|md)-", re.IGNORECASE)


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "class" and value:
        kept = [c for c in value.split() if not _RESERVED_CLASS.match(c)]
        return " ".join(kept) or None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    tag_attribute_values={tag: {k: set(v) for k, v in values.items()} for tag, values in _ATTRIBUTE_VALUES.items()},
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(_STYLE_PROPERTIES),
    link_rel=None,
    strip_comments=True,
)


def sanitise(fragment: str) -> str:
    """The HTML fragment with everything outside the allow-list removed (nh3)."""
    return _CLEANER.clean(fragment)


# --- what sanitise removes, named for the check ------------------------------------

_SCRIPT_SCHEME_RE = re.compile(r"(?:javascript|vbscript|data):", re.IGNORECASE)
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_DROPPED = str.maketrans("", "", "\t\n\r")  # the URL parser removes these anywhere
_LEADING = "".join(map(chr, range(0x21)))  # ... and strips control characters and spaces in front


def is_script_url(value: str) -> bool:
    """True when a browser would run this address (as written in HTML or Markdown) as script."""
    url = html.unescape(value).translate(_DROPPED).lstrip(_LEADING)
    return bool(_SCRIPT_SCHEME_RE.match(url))


def scheme_allowed(value: str) -> bool:
    """Is the address relative, or of a scheme the site links to (http, https, mailto, tel)?"""
    url = html.unescape(value).translate(_DROPPED).lstrip(_LEADING)
    match = _SCHEME_RE.match(url)
    return match is None or match[1].lower() in URL_SCHEMES


Kind = Literal["element", "attribute", "event", "url"]


@dataclass(frozen=True)
class Removal:
    """One thing `sanitise` takes out of a page: an element, an attribute, an event
    handler (`on…`) or a link whose address would run script or is of a foreign scheme."""

    kind: Kind
    name: str  # element or attribute name
    value: str = ""  # the address, for kind "url"

    @property
    def unsafe(self) -> bool:
        """Would it have run script? (Else it is markup the site does not show.)"""
        return self.kind in ("event", "url")


# html.parser gives attribute names in lower case (as the browser matches them).
_ALLOWED_LOWER = {tag: frozenset(n.lower() for n in names) | _GENERIC for tag, names in ALLOWED_ATTRIBUTES.items()}


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[Removal, None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.found[Removal("element", tag)] = None
            return
        allowed = _ALLOWED_LOWER.get(tag, _GENERIC)
        restricted = _ATTRIBUTE_VALUES.get(tag, {})
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found[Removal("event", name)] = None
            elif name in _URL_ATTRIBUTES and name in allowed:
                if is_script_url(value) or not scheme_allowed(value):
                    self.found[Removal("url", name, value)] = None
            elif name in restricted:
                if value.lower() not in restricted[name]:
                    self.found[Removal("attribute", name)] = None
            elif name == "style" and name in allowed:
                properties = {p.split(":", 1)[0].strip().lower() for p in value.split(";") if p.strip()}
                if not properties <= _STYLE_PROPERTIES:
                    self.found[Removal("attribute", name)] = None
            elif name not in allowed:
                self.found[Removal("attribute", name)] = None

    handle_startendtag = handle_starttag


# `<![...>` other than CDATA is a bogus comment to a browser (and to the sanitiser): it ends
# at the first `>` and shows nothing. Python's parser raises on it instead.
_BOGUS_COMMENT_RE = re.compile(r"<!\[[^>]*(?:>|$)")


def inspect(fragment: str) -> list[Removal]:
    """What `sanitise` would take out of this HTML, each thing once, in page order."""
    if "<" not in fragment:
        return []
    if "<![" in fragment:
        fragment = _BOGUS_COMMENT_RE.sub("", fragment)
    parser = _Inspector()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception:  # noqa: BLE001 - markup Python's parser cannot read is markup the site does not show
        parser.found[Removal("element", "!")] = None
    return list(parser.found)
