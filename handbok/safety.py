"""What a routine must not do in a reader's browser: run script.

Raw HTML in a routine body is already shown as text (`pages.document.safe_body`).
What Markdown itself can still produce is a link or image whose address runs
script (`[x](javascript:...)`, also hidden behind entities or tabs) and, with
the attr_list extension, an event handler (`{: onclick="..." }`). `is_script_url`
decides the first as a browser's URL parser would; `neutralise` takes both out
of rendered HTML; `validate` reports them as `unsafe-link`.
"""

from __future__ import annotations

import html
import re

__all__ = ["is_script_url", "neutralise"]

_SCRIPT_SCHEME_RE = re.compile(r"(?:javascript|vbscript|data):", re.IGNORECASE)
_DROPPED = str.maketrans("", "", "\t\n\r")  # the URL parser removes these anywhere
_LEADING = "".join(map(chr, range(0x21)))  # ... and strips control characters and spaces in front

# The attributes of every tag that has any (`<a href="x" class="y">` -> `href="x" class="y"`).
_ATTRIBUTES_RE = re.compile(r"<[A-Za-z][^<>\s]*\s([^<>]+)>")
_TAG_RE = re.compile(r"<[A-Za-z][^<>]*>")
_EVENT_ATTR_RE = re.compile(r"""\son[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)""", re.IGNORECASE)
_URL_ATTR_RE = re.compile(
    r"""(\s(?:href|src|action|formaction|xlink:href|poster|srcset|background)\s*=\s*)("[^"]*"|'[^']*')""",
    re.IGNORECASE,
)


def is_script_url(value: str) -> bool:
    """True when a browser would run this address (as written in HTML or Markdown) as script."""
    url = html.unescape(value).translate(_DROPPED).lstrip(_LEADING)
    return bool(_SCRIPT_SCHEME_RE.match(url))


def neutralise(text: str) -> str:
    """Rendered HTML with every script address made `#` and every event handler removed.

    Text outside tags is left alone: in a routine page its `<` is always escaped, so
    only real tags match. Most pages hold nothing suspect and are returned as they are.
    """
    if not _suspect(text):
        return text
    return _TAG_RE.sub(_clean_tag, text)


def _suspect(text: str) -> bool:
    """Could an attribute run script? Only if one names a scheme, holds an entity, a
    tab or a newline (what hides a scheme), or is called on…."""
    attributes = " " + " ".join(_ATTRIBUTES_RE.findall(text)).lower()
    return any(sign in attributes for sign in ("script", "data", "&", "\t", "\n", "\r", " on"))


def _clean_tag(match: re.Match[str]) -> str:
    tag = _EVENT_ATTR_RE.sub("", match[0])
    return _URL_ATTR_RE.sub(_clean_url, tag)


def _clean_url(match: re.Match[str]) -> str:
    return f'{match[1]}"#"' if is_script_url(match[2][1:-1]) else match[0]
