"""Work over a long list on two cores: half of it in a forked child.

A cold check of a large handbook spends its time parsing front matter and rendering
bodies, one document at a time, each on its own. `split_map` forks once: the child
inherits everything it needs (the list, the function, the state behind it) without
copying, works through the second half and sends its results back pickled through a
pipe, while this process works through the first half. The results are those of
`[func(item) for item in items]`, in order: should the child fail or be impossible
(no `fork`, one core, a short list), this process does the rest itself.

The pickle comes from our own forked child over a pipe nobody else holds: it is the
same process's data, never a file or anything from outside. Only a single-threaded run asks
for it (`handbok check`, `mkdocs build`), never a long-running process with threads
(`mkdocs serve`), where a fork could copy a lock that another thread holds.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

__all__ = ["MINIMUM", "split_map"]

T = TypeVar("T")
R = TypeVar("R")

MINIMUM = 2000  # fewer items than this are not worth a fork (a few milliseconds each)
_FRAME = 500  # results pickled together on the way back
_CHILD_SHARE = 0.47  # the parent also unpickles what the child sends: it takes a bit more


def possible() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def split_map(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[func(item) for item in items]`, the second part made in a forked child."""
    if len(items) < max(MINIMUM, 2) or not possible():
        return [func(item) for item in items]
    cut = len(items) - int(len(items) * _CHILD_SHARE)
    read, write = os.pipe()
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
        stream.flush()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return [func(item) for item in items]
    if pid == 0:  # the child: make, send, leave without running anything of the parent's
        code = 1
        try:
            os.close(read)
            made = [func(item) for item in items[cut:]]
            with os.fdopen(write, "wb") as out:
                for start in range(0, len(made), _FRAME):  # a frame at a time: little held twice
                    frame = pickle.dumps(made[start:start + _FRAME], protocol=pickle.HIGHEST_PROTOCOL)
                    out.write(len(frame).to_bytes(8, "big"))
                    out.write(frame)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    tail: list[R] = []
    with os.fdopen(read, "rb") as stream:
        try:
            head = [func(item) for item in items[:cut]]
            try:
                while size := stream.read(8):
                    tail += pickle.loads(stream.read(int.from_bytes(size, "big")))
            except (pickle.UnpicklingError, EOFError, ValueError, OSError):
                tail = []  # a child cut off midway: made here below
        except BaseException:
            _end(pid)
            raise
    _, status = os.waitpid(pid, 0)
    if status != 0 or len(tail) != len(items) - cut:
        return head + [func(item) for item in items[cut:]]
    return head + tail


def _end(pid: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
