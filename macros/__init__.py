"""mkdocs-macros module for pages in docs/ that opt in with `render_macros: true`.

Thin functions over the core: the handbok plugin has already checked the
handbook; these only pick documents and hand them to handbok.pages.
"""

from __future__ import annotations

from typing import Any

from mkdocs.utils import get_relative_url

from handbok.core import Result, unit_of
from handbok.pages import overview


def define_env(env: Any) -> None:
    """Register the macros: document_table, review_count, review_summary."""

    def result() -> Result:
        plugin = env.conf["plugins"].get("handbok")
        if plugin is None or plugin.result is None:
            raise RuntimeError("handbok: makron kräver pluginet handbok i mkdocs.yml.")
        return plugin.result

    def link(doc: Any) -> str:
        plugin = env.conf["plugins"]["handbok"]
        return get_relative_url(plugin.doc_urls.get(doc.path, doc.path), env.page.url)

    @env.macro
    def document_table(unit: str | None = None, type: str | None = None, status: str | None = None,
                       owner: str | None = None) -> str:
        """An HTML table of the documents matching every given filter."""
        r = result()
        docs = [
            d for d in sorted(r.documents, key=lambda d: d.id or "")
            if (unit is None or unit_of(d, r.org) == unit)
            and (type is None or d.type == type)
            and (status is None or r.state(d).status == status)
            and (owner is None or d.owner == owner)
        ]
        if not docs:
            return "<p>Inga dokument.</p>"
        return overview.document_table(docs, r, link)

    @env.macro
    def review_count(status: str = "overdue") -> int:
        """How many documents have this status (current, due-soon, overdue, ...)."""
        return result().summary().get(status, 0)

    @env.macro
    def review_summary() -> str:
        """One sentence on the review situation."""
        return overview.review_summary(result())
