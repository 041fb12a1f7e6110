"""Stable addresses: `id/ID/` leads to a document whatever its file is called, and the
address of a file that was renamed (in git) keeps leading to it. Both are small redirect
pages, so they work on any static web server and from a case system or an e-mail.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import jinja2

from ..model import Document
from . import text as t

__all__ = ["ID_DIR", "id_page_path", "redirect_page", "renamed_paths"]

ID_DIR = "id"
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # as the check requires; never "." or ".."

_TEMPLATE = jinja2.Environment(autoescape=True).from_string("""\
<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{{ target }}">
<meta http-equiv="refresh" content="0; url={{ target }}">
</head>
<body>
<p>{{ text }} <a href="{{ target }}">{{ name }}</a></p>
</body>
</html>
""")


def id_page_path(doc: Document) -> str | None:
    """'id/EB-RUT-008/index.html', or None when the id cannot be part of an address."""
    if not doc.id or not _SAFE_ID.fullmatch(doc.id):
        return None
    return f"{ID_DIR}/{doc.id}/index.html"


def redirect_page(doc: Document, target: str) -> str:
    """A page that sends the reader on to `target` (relative to the redirect page)."""
    name = f"{doc.title or doc.id} ({doc.id})" if doc.id else (doc.title or doc.path)
    return _TEMPLATE.render(title=t.REDIRECT_TITLE.format(name=name), target=target,
                            text=t.REDIRECT_TEXT, name=name)


def renamed_paths(root: Path, folder: str) -> dict[str, str]:
    """Old path -> the path it was renamed to last (relative to root), from git; empty when
    the handbook is not a git checkout."""
    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotepath=off", "log", "--reverse", "-M", "--diff-filter=R",
             "--name-status", "--relative", "--format=", "--", folder],  # paths relative to root
            cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace",
            timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if proc.returncode != 0:
        return {}
    moves: dict[str, str] = {}
    for line in proc.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0].startswith("R"):
            continue
        old, new = parts[1], parts[2]
        for earlier, later in moves.items():  # a -> b, then b -> c: a leads to c
            if later == old:
                moves[earlier] = new
        moves[old] = new
    return {old: new for old, new in moves.items() if old != new}
