"""Exports made in a second process while MkDocs renders the pages.

The workbook and the review calendars of a large handbook take seconds to make (openpyxl
and icalendar), and a build needs them only when MkDocs copies the static files, after
every page has been rendered. On a machine with more than one core, `mkdocs build` forks
once at the end of `on_files`: the child makes every export and sends the bytes back
through a pipe, while the parent renders. The child inherits what it needs (the check's
result) from the fork, so nothing is pickled on the way there; it touches no file, logs
nothing and ends with `os._exit`. Should the child fail, the parent makes the exports
itself, so the site is the same either way.

Used only for a build: `mkdocs serve` runs threads (a fork would copy their locks) and
makes its exports once per change anyway (`handbok.mkdocs_incremental`).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable

__all__ = ["Background"]

Content = str | bytes


class Background:
    """Jobs added with `add`, run by `start` in one forked child; `result(i)` waits for
    the child the first time it is asked."""

    def __init__(self) -> None:
        self.jobs: list[Callable[[], Content]] = []
        self.results: list[Content] | None = None
        self.pid = 0
        self.pipe = -1

    @staticmethod
    def possible() -> bool:
        return hasattr(os, "fork") and (os.cpu_count() or 1) > 1

    def add(self, job: Callable[[], Content]) -> Callable[[], Content]:
        self.jobs.append(job)
        index = len(self.jobs) - 1
        return lambda: self.result(index)

    def start(self) -> None:
        if not self.jobs:
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return  # made in this process when asked
        if pid == 0:  # the child: make, send, leave without running anything of the parent's
            code = 1
            try:
                os.close(read)
                data = pickle.dumps([job() for job in self.jobs], protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as stream:
                    stream.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.pipe = pid, read

    def result(self, index: int) -> Content:
        if self.results is None:
            self.results = self._collect()
        return self.results[index]

    def _collect(self) -> list[Content]:
        results: list[Content] | None = None
        if self.pid:
            with os.fdopen(self.pipe, "rb") as stream:
                data = stream.read()
            _, status = os.waitpid(self.pid, 0)
            if os.waitstatus_to_exitcode(status) == 0:
                try:
                    loaded = pickle.loads(data)  # noqa: S301 - from our own child, through our own pipe
                except Exception:  # noqa: BLE001 - a broken answer: made here instead
                    loaded = None
                if isinstance(loaded, list) and len(loaded) == len(self.jobs):
                    results = loaded
        return results if results is not None else [job() for job in self.jobs]
