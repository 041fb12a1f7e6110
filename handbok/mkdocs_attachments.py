"""The site's side of attachments (`handbok.attachments`): each file beside a routine that
a published document links to becomes a MkDocs file at its own path, so that MkDocs
resolves the link (`[Blankett](blankett.pdf)` on `routines/x/rutin/` becomes
`../blankett.pdf`) and writes the file into the site.

MkDocs would copy a file from its path itself; an attachment is read through
`handbok.files` instead, when it is written (one at a time, never all in memory): only
a regular file inside the handbook's root, no more than `MAX_ATTACHMENT_KB`, and a file
that was swapped for a link out of the root since the check is not published.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from .attachments import MAX_ATTACHMENT_KB
from .files import Root
from .messages import visible
from .model import Finding

__all__ = ["AttachmentFile", "add_attachments"]

log = logging.getLogger("mkdocs.plugins.handbok")


class AttachmentFile(File):
    """A file beside a routine, read through `handbok.files` when MkDocs writes it."""

    handbok_root: Root | None = None

    def _read(self) -> bytes | Finding:
        root = self.handbok_root or Root(".")
        return root.read(Path(self.abs_src_path or ""), MAX_ATTACHMENT_KB * 1024)

    @property  # type: ignore[override]
    def content_bytes(self) -> bytes:
        if self._content is not None:
            return self._content if isinstance(self._content, bytes) else self._content.encode("utf-8")
        data = self._read()
        if isinstance(data, Finding):
            raise PluginError(visible(f"handbok: {self.src_uri}: {data.message}"))
        return data

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self._content = value
        self.abs_src_path = None

    @property  # type: ignore[override]
    def content_string(self) -> str:
        content = self.content_bytes
        return content.decode("utf-8-sig")

    @content_string.setter
    def content_string(self, value: str) -> None:
        self._content = value
        self.abs_src_path = None

    def copy_file(self, dirty: bool = False) -> None:
        """Write the attachment into the site; one that can no longer be read safely is
        left out with a warning."""
        if self._content is not None:
            super().copy_file(dirty)
            return
        data = self._read()
        if isinstance(data, Finding):
            log.warning(visible(f"handbok: {self.src_uri}: {data.message}"))
            return
        output = self.abs_dest_path
        os.makedirs(os.path.dirname(output), exist_ok=True)
        with open(output, "wb") as stream:
            stream.write(data)

    def is_modified(self) -> bool:
        return True


def add_attachments(files: Files, config: MkDocsConfig, root: Path, attachments: Iterable[str],
                    taken: dict[str, File]) -> None:
    """Add each attachment (a path relative to the root, as `Result.attachments` has it)
    at the same path in the site; a file of docs/ at the same address wins."""
    handbook = Root(root)
    for rel in attachments:
        file = AttachmentFile.generated(config, rel, abs_src_path=os.fspath(handbook.path / rel))
        if file.dest_uri in taken:
            continue
        file.handbok_root = handbook
        files.append(file)
        taken[file.dest_uri] = file
