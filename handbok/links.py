"""Addresses of a handbook's pages on its published site, for files read outside the
site (the report, calendars, reminders)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

from .files import site_address
from .model import Document

__all__ = ["document_url", "page_url", "site_url"]

_SITE_URL = re.compile(r"^site_url:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)


def site_url(root: Path, environ: dict[str, str] | None = None) -> str | None:
    """HANDBOK_SITE_URL, else `site_url` of root/mkdocs.yml, ending in '/'; None if neither."""
    env = os.environ if environ is None else environ
    value = env.get("HANDBOK_SITE_URL")
    if not value:
        try:
            match = _SITE_URL.search((root / "mkdocs.yml").read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            match = None
        value = match[1] if match else None
    if not value or not value.startswith(("https://", "http://")):
        return None
    return value if value.endswith("/") else value + "/"


def page_url(site: str | None, address: str, anchor: str = "") -> str | None:
    """The full address of a page given by its site address (e.g. 'oversikt/revisionsplan/')."""
    return f"{site}{quote(address)}{'#' + quote(anchor) if anchor else ''}" if site else None


def document_url(site: str | None, doc: Document) -> str | None:
    return page_url(site, site_address(doc.path))
