"""A routine's body as HTML, inside a guard, the same way for the check and the site.

Both doors render with the same Markdown extensions (the handbook's mkdocs.yml) and
the same guard, and read the result with the same tables (`handbok.safety`):

- `guarded` runs a rendering with a time budget and a fixed recursion headroom, so
  that a body the renderer cannot cope with (lists nested hundreds deep, thousands
  of `[`) fails the same way in `handbok check` and in `mkdocs build`, as a
  `RenderFailure`, instead of stopping either;
- `body_findings` is the check's view of one document: `raw-html` and `unsafe-link`
  for what the sanitiser removes, `render-failed`, and `control-character`.

Rendering costs about 2 ms a document, too much for a check of 10,000 documents on
every commit. `needs_rendering` says, from cheap tests of the source, whether a body
can hold anything the sanitiser would remove or the renderer would fail on; only
those are rendered by the check (the site renders and sanitises every page). The
property tests in tests/test_safety.py hold it to that.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from . import messages as msg
from .model import Document, Finding
from .safety import Removal, inspect, is_script_url, scheme_allowed

if TYPE_CHECKING:
    import markdown

__all__ = [
    "MKDOCS_BUILTIN_EXTENSIONS",
    "BodyRenderer",
    "RenderFailure",
    "body_findings",
    "clean_body",
    "guarded",
    "needs_rendering",
]

T = TypeVar("T")

# MkDocs always adds these to a handbook's own markdown_extensions.
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
# Frames a rendering may use on top of where it starts (Python's default limit is 1000;
# a real routine needs well under 200): the same headroom in the check and the build.
RECURSION_HEADROOM = 800

_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# Markup that needs the renderer to say what it becomes: a tag, comment or autolink (`<`
# before a letter, `/`, `!` or `?`; "belopp < 500 kr" is text), attr_list (`{`) and wiki
# links (`[[`). An entity alone stays text.
_MARKUP_RE = re.compile(r"<[A-Za-z/!?]|\{|\[\[")
# Links and reference definitions: their targets are read here; only one that is not
# plainly relative or of an allowed scheme needs the renderer (which may read the target
# differently: any `&`, `\\`, `:` or space, and it renders).
_LINK_TARGET_RE = re.compile(r"\]\(([^)]*)|^[ \t]*\[[^\]\n]*\]:[ \t]*(\S*)", re.MULTILINE)
_PLAIN_TARGET_RE = re.compile(r"(?:(?:https?|mailto|tel):)?[^:&\\\s\x00-\x1f<>\"']*")
_TITLE_RE = re.compile(r"""\s+(?:"[^"]*"|'[^']*')\s*$""")  # [text](target "title")
# A line that opens many levels at once (lists, quotes, indentation).
_DEEP_LINE_RE = re.compile(r"^[ \t>*+\-\d.)]{48,}", re.MULTILINE)
_MANY_BRACKETS = 500  # link parsing is quadratic in unbalanced brackets (5,000 take seconds)
_MANY_MARKERS = 400  # emphasis markers
_LARGE = 200_000  # characters: a body this long may take its time


@dataclass(frozen=True)
class RenderFailure:
    """Why a body could not be turned into a page."""

    reason: Literal["timeout", "depth", "error"]
    detail: str = ""  # seconds for a timeout, the exception's name for an error


class _Timeout(BaseException):
    """Raised by the alarm inside a rendering; a BaseException, so that no
    `except Exception` in a Markdown extension swallows it."""


def _depth() -> int:
    frame = sys._getframe()
    depth = 0
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    return depth


@contextmanager
def _budget(seconds: float) -> Iterator[None]:
    """An alarm after `seconds`, where the platform has one and we are on the main
    thread (MkDocs builds, also when serving, and the command line run there)."""
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def alarm(signum: int, frame: Any) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def guarded(render: Callable[[], T], timeout: float) -> tuple[T | None, RenderFailure | None]:
    """Run `render` with a time budget and a fixed recursion headroom; never raises
    for what the renderer does (a KeyboardInterrupt still stops the program)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_depth() + RECURSION_HEADROOM)
    try:
        with _budget(timeout):
            return render(), None
    except _Timeout:
        return None, RenderFailure("timeout", f"{timeout:g}")
    except RecursionError:
        return None, RenderFailure("depth")
    except Exception as exc:  # noqa: BLE001 - any failure of a third-party renderer is a finding
        return None, RenderFailure("error", type(exc).__name__)
    finally:
        sys.setrecursionlimit(limit)


def clean_body(body: str) -> str:
    """The body without control characters (NUL and the like have no place in a text,
    and Markdown uses some of them as its own placeholders)."""
    return _CONTROL_RE.sub("", body) if _CONTROL_RE.search(body) else body


def needs_rendering(body: str) -> bool:
    """Could the rendering of this body hold markup the sanitiser removes, or fail?"""
    if len(body) > _LARGE or _MARKUP_RE.search(body):
        return True
    if ("](" in body or "]:" in body) and not all(
            _PLAIN_TARGET_RE.fullmatch(_TITLE_RE.sub("", m[1] or m[2] or "").strip())
            for m in _LINK_TARGET_RE.finditer(body)):
        return True
    if body.count("[") >= _MANY_BRACKETS:
        return True
    if body.count("*") + body.count("_") >= _MANY_MARKERS:
        return True
    return _DEEP_LINE_RE.search(body) is not None


class BodyRenderer:
    """Markdown with the handbook's extensions, reused from body to body."""

    def __init__(self, extensions: tuple[Any, ...] = (), configs: dict[str, Any] | None = None,
                 timeout: float = 5.0) -> None:
        names = list(dict.fromkeys([*MKDOCS_BUILTIN_EXTENSIONS, *extensions]))
        self.extensions = names
        self.configs = dict(configs or {})
        self.timeout = timeout
        self._md: markdown.Markdown | None = None

    def _markdown(self) -> markdown.Markdown:
        if self._md is None:
            import markdown  # only when a body is rendered: a check from the cache renders none
            try:
                self._md = markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)
            except Exception:  # noqa: BLE001 - an extension mkdocs.yml names but the check cannot load
                self._md = markdown.Markdown(extensions=list(MKDOCS_BUILTIN_EXTENSIONS))
        return self._md

    def render(self, body: str) -> tuple[str | None, RenderFailure | None]:
        md = self._markdown()
        md.reset()
        html, failure = guarded(lambda: md.convert(clean_body(body)), self.timeout)
        if failure is not None:
            self._md = None  # a rendering cut off midway may leave the instance in any state
        return html, failure


def body_findings(doc: Document, renderer: BodyRenderer) -> list[Finding]:
    """What the site will do to this document's text: remove markup, remove script,
    show a notice instead of a text it cannot render, drop control characters."""
    out: list[Finding] = []
    body = doc.body

    def add(severity: str, code: str, message: str, line: int | None) -> None:
        where = doc.body_line + line - 1 if line is not None else doc.body_line
        out.append(Finding(severity, code, doc.path, where, message, doc.id))  # type: ignore[arg-type]

    control = _CONTROL_RE.search(body)
    if control:
        add("warning", "control-character", msg.control_character(control[0]),
            body.count("\n", 0, control.start()) + 1)
    if not needs_rendering(body):
        return out
    html, failure = renderer.render(body)
    if failure is not None:
        add("error", "render-failed", msg.render_failed(failure.reason, failure.detail), None)
        return out
    removed = inspect(html or "")
    markup = [r for r in removed if not r.unsafe]
    unsafe = [r for r in removed if r.unsafe]
    if markup:
        add("warning", "raw-html", msg.raw_html([_shown(r) for r in markup]), _source_line(body, markup))
    if unsafe:
        add("warning", "unsafe-link", msg.unsafe_link([_shown(r) for r in unsafe]), _source_line(body, unsafe))
    return out


def _shown(removal: Removal) -> str:
    if removal.kind == "element":
        return f"<{removal.name}>"
    if removal.kind == "url":
        return msg.visible(f"{removal.name}={removal.value[:40]}")
    return removal.name


_CODE_SPAN_RE = re.compile(r"(`+).+?\1")
_TARGET_RE = re.compile(r"""\]\(\s*<?([^)\s>]+)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?\s*$|(?:href|src)\s*=\s*["']?([^"'\s>]+)""",
                        re.IGNORECASE)


def _source_line(body: str, removed: list[Removal]) -> int | None:
    """The body line where the first removed thing is most likely written (outside code
    spans): a tag, an attribute, or a link whose target is a script or foreign address."""
    lines = [_CODE_SPAN_RE.sub("", line).lower() for line in body.split("\n")]
    for removal in removed:
        if removal.kind == "url":
            for number, line in enumerate(lines, start=1):
                for match in _TARGET_RE.finditer(line):
                    target = next(g for g in match.groups() if g)
                    if is_script_url(target) or not scheme_allowed(target):
                        return number
            continue
        needle = f"<{removal.name}" if removal.kind == "element" else removal.name
        for number, line in enumerate(lines, start=1):
            if needle in line:
                return number
    return None
