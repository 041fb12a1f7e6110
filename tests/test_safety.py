"""The sanitiser on rendered routines: what it removes, what it keeps, and that the
check's view of it (`inspect`) and the site's (`sanitise`) cannot disagree."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from htmlscan import FORBIDDEN, scan_fragment
from hypothesis import example, given, settings
from hypothesis import strategies as st

from handbok.render import BodyRenderer, guarded, needs_rendering
from handbok.safety import inspect, is_script_url, sanitise

EXAMPLE_EXTENSIONS = ("admonition", "attr_list", "tables", "toc")


@pytest.mark.parametrize("value", [
    "javascript:alert(1)", "JavaScript:alert(1)", "  javascript:alert(1)", "\x01javascript:x",
    "java&#9;script:alert(1)", "java&Tab;script:x", "jav\nascript:x", "&#106;avascript:x",
    "javascript&#58;x", "javascript&colon;x", "vbscript:x", "data:text/html,<b>x</b>",
])
def test_script_urls(value: str) -> None:
    assert is_script_url(value)


@pytest.mark.parametrize("value", [
    "https://exempel.se/?a=1&amp;b=2", "../rutin/", "#avsnitt", "mailto:a@kommun.example",
    "java script:x", "/javascript:x", "./data:x", "",
])
def test_ordinary_urls(value: str) -> None:
    assert not is_script_url(value)


@pytest.mark.parametrize("element", sorted(FORBIDDEN - {"template", "math"}))
def test_forbidden_elements_are_removed_and_named(element: str) -> None:
    html = f'<p>före <{element} src="x" href="y">inuti</{element}> efter</p>'
    assert f"<{element}" not in sanitise(html)
    assert any(r.kind == "element" and r.name == element for r in inspect(html))


def test_event_handlers_and_script_addresses_are_removed_and_named() -> None:
    html = ('<p><a href="java&#9;script:alert(1)">x</a> <img alt="i" src="data:text/html,x">'
            '<a class="k" href="#ok" onclick="alert(2)" onMouseOver=\'alert(3)\'>y</a>'
            '<details open ontoggle="alert(4)"><summary>s</summary></details></p>')
    clean = sanitise(html)
    assert scan_fragment(clean) == []
    assert '<a class="k" href="#ok">y</a>' in clean and "<details open" in clean
    kinds = {(r.kind, r.name) for r in inspect(html)}
    assert kinds == {("url", "href"), ("url", "src"), ("event", "onclick"), ("event", "onmouseover"),
                     ("event", "ontoggle")}
    assert all(r.unsafe for r in inspect(html))


def test_a_routine_cannot_dress_up_as_the_sites_own_components() -> None:
    html = '<div class="admonition danger handbok-banner md-typeset">Gällande</div>'
    assert sanitise(html) == '<div class="admonition danger">Gällande</div>'


def test_only_table_alignment_survives_in_style() -> None:
    html = '<table><tr><td style="text-align: right; position: fixed">1</td></tr></table>'
    assert 'style="text-align:right"' in sanitise(html)
    assert [(r.kind, r.name) for r in inspect(html)] == [("attribute", "style")]
    assert inspect('<table><tr><td style="text-align: right;">1</td></tr></table>') == []


RICH = """\
# Rubrik

Text med **fet**, *kursiv*, `kod`, ==markerad==, ^^insatt^^, ~~struken~~, H~2~O, x^2^,
++ctrl+alt+del++, en förkortning HTML och en fotnot[^1], och en länk till
[en annan rutin](../annan.md#avsnitt "Titel") och <https://exempel.se/>.

*[HTML]: Hypertext Markup Language

[^1]: Fotnoten.

!!! warning "Observera"
    Text i en ruta.

??? note "Mer"
    Dold text.

| Vänster | Mitten | Höger |
|:--------|:------:|------:|
| a       | b      | c     |

- [x] klar
- [ ] inte klar

Term
:   Förklaring

```python
print("hej")
```

=== "Flik 1"
    Ett

=== "Flik 2"
    Två

Ett stycke med attribut.
{: #eget-id .egen-klass title="Titel" }

:material-check: :smile: ![Bild](bild.png){ width="100" }
"""


class _Structure(HTMLParser):
    """(tag, attributes) of every element, values normalised as the sanitiser writes them."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        norm = tuple(sorted((k, (v or "").replace(" ", "").rstrip(";")) for k, v in attrs))
        self.items.append((tag, norm))

    handle_startendtag = handle_starttag


def _structure(html: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    parser = _Structure()
    parser.feed(re.sub(r"<!\[[^>]*(?:>|$)", "", html))  # a bogus comment, as the browser reads it
    return parser.items


def test_everything_markdown_and_the_usual_extensions_produce_is_kept() -> None:
    """The allow-list must not cost a reader anything Markdown meant to show."""
    from material.extensions import emoji

    extensions = (*EXAMPLE_EXTENSIONS, "footnotes", "abbr", "def_list", "md_in_html", "pymdownx.details",
                  "pymdownx.tasklist", "pymdownx.superfences", "pymdownx.highlight", "pymdownx.tabbed",
                  "pymdownx.mark", "pymdownx.caret", "pymdownx.tilde", "pymdownx.keys", "pymdownx.emoji")
    configs = {"toc": {"permalink": True}, "pymdownx.tabbed": {"alternate_style": True},
               "pymdownx.emoji": {"emoji_index": emoji.twemoji, "emoji_generator": emoji.to_svg}}
    html, failure = BodyRenderer(extensions, configs).render(RICH)
    assert failure is None and html
    for sign in ("<table", "<details", 'type="checkbox"', "<svg", "footnote", "<abbr", "<dl", "<mark",
                 "<kbd", "headerlink", "tabbed-set", 'class="egen-klass"'):
        assert sign in html, sign
    assert inspect(html) == []
    assert _structure(sanitise(html)) == _structure(html)


_PIECES = st.sampled_from([
    "```", "~~~", "````", "   ```", "  ~~~", " ```", "\t```", "    ", "\t", "  ", " ", "- ", "* ", "1. ", "> ",
    "\\`", "`", "``", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">', "<svg onload=alert(1)>", '<iframe src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">a</a>', "<details/open/ontoggle=alert(1)//@x>",
    "<iframe/src=javascript:alert(1)//@x>", "<https://exempel.se/>", "<a@b.se>", "<div>", "</div>",
    '<div markdown="1">', "<style>p{}</style>", "<!-- x -->", "[l](javascript:alert(1))",
    "[l](java&#9;script:x)", "![b](&#106;avascript:x)", "[r]: vbscript:x", "[r][r]",
    '{: onclick="alert(1)" }', '{: href="javascript:x" }', "&#60;script&#62;", "&lt;", "text", "#",
    "!!! note", "|a|b|\n|-|-|", "*", "_", "[", "]", "(", ")", "[l](../a.md)", '[l](https://exempel.se/ "T")',
    "](", "]:", ":", "javascript", "&#58;", "&#x3A;", "<", "data", "'", '"', "\\",
])


@st.composite
def _hostile_markdown(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(_PIECES, min_size=1, max_size=24))
    seps = draw(st.lists(st.sampled_from(["", " ", "\n", "\n\n"]), min_size=len(pieces), max_size=len(pieces)))
    return "".join(p + s for p, s in zip(pieces, seps, strict=True))


_RENDERER = BodyRenderer(EXAMPLE_EXTENSIONS, {"toc": {"permalink": True}}, timeout=10)


@settings(max_examples=400, deadline=None)
@given(body=_hostile_markdown())
def test_nothing_script_capable_survives_the_pipeline(body: str) -> None:
    """Generated Markdown mixing fences, indentation, autolinks and HTML, through the
    real renderer and the sanitiser: a browser finds nothing that runs script."""
    html, failure = _RENDERER.render(body)
    assert failure is None
    assert scan_fragment(sanitise(html or "")) == []


@settings(max_examples=300, deadline=None)
@given(body=_hostile_markdown())
@example(body="```<div>")
@example(body="<![b")
@example(body="text <![CDATA[x]]> <p><![b</p>")
def test_the_check_and_the_site_agree(body: str) -> None:
    """What the sanitiser changes is what `inspect` reports, and the check renders every
    body where there is anything to report (`needs_rendering`)."""
    html, _ = _RENDERER.render(body)
    html = html or ""
    removed = inspect(html)
    # Compared as sets: the HTML parser of the sanitiser may re-nest what the renderer
    # wrote (`<p>```<div></p>` gains an empty <p>), which removes nothing.
    changed = set(_structure(sanitise(html))) != set(_structure(html))
    assert bool(removed) == changed, (removed, html)
    if removed:
        assert needs_rendering(body)


@pytest.mark.parametrize("body", [
    "- " * 2000 + "x\n",
    "".join("    " * i + "- x\n" for i in range(300)),
    "> " * 3000 + "x\n",
    "*a " * 3000,
    "[" * 3000,
])
def test_bodies_the_renderer_cannot_cope_with_are_always_rendered_by_the_check(body: str) -> None:
    assert needs_rendering(body)


def test_the_guard_turns_depth_time_and_errors_into_failures() -> None:
    def recurse(n: int) -> int:
        return recurse(n + 1)

    def slow() -> None:
        while True:
            pass

    def broken() -> None:
        raise ValueError("x")

    assert guarded(lambda: recurse(0), 5)[1].reason == "depth"  # type: ignore[union-attr]
    assert guarded(slow, 0.2)[1].reason == "timeout"  # type: ignore[union-attr]
    assert guarded(broken, 5)[1].detail == "ValueError"  # type: ignore[union-attr]
    assert guarded(lambda: "ok", 5) == ("ok", None)


@pytest.mark.parametrize("html", ["<p><![b</p>", "<![b", "<![if x]>y", "<!x", "</", "<a b='", "<p><!--", "<?x"])
def test_inspect_reads_what_pythons_parser_chokes_on(html: str) -> None:
    """Markup Python's HTML parser raises on (a bogus `<![` section) is read as a browser
    reads it, never an exception in the check."""
    removed = inspect(html)
    assert isinstance(removed, list)
    assert scan_fragment(sanitise(html)) == []
