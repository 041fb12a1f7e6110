"""Script addresses and event handlers are taken out of a routine's rendered HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbok.pages.document import safe_body
from handbok.safety import is_script_url, neutralise


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


def test_neutralise_links_images_and_event_handlers() -> None:
    html = ('<p><a href="java&#9;script:alert(1)">x</a> <img alt="i" src="data:text/html,x" />'
            '<a class="k" href="#ok" onclick="alert(2)" onMouseOver=\'alert(3)\'>y</a></p>')
    out = neutralise(html)
    assert out == '<p><a href="#">x</a> <img alt="i" src="#" /><a class="k" href="#ok">y</a></p>'


def test_neutralise_leaves_text_and_clean_pages_alone() -> None:
    clean = '<p>Se <a href="https://exempel.se/rutin/">sidan</a>.</p>'
    assert neutralise(clean) is clean  # nothing suspect: not even copied
    query = '<p>Se <a href="https://exempel.se/?a=1&amp;b=2">sidan</a>.</p>'
    assert neutralise(query) == query
    text = '<p>Skriv inte onclick="x" eller javascript: i texten.</p>'
    assert neutralise(text) == text


_PIECES = st.sampled_from([
    "java", "script", "vb", "data", ":", "&#9;", "&#10;", "&Tab;", "&#106;", "&#x6A;", "&colon;",
    "&#58;", "\t", " ", "\x01", "j", "a", "v", "alert(1)", "#", "/", "https", ".", "&amp;",
])


@st.composite
def _hidden_scheme(draw: st.DrawFn) -> str:
    """A scheme with each character written plainly, in capitals, as an entity, or followed
    by a tab (which the URL parser drops), and something in front the parser strips."""
    scheme = draw(st.sampled_from(["javascript:", "vbscript:", "data:", "https:", "mailto:"]))
    out = [draw(st.sampled_from(["", " ", "\x01", "&#9;", "&#x20;"]))]
    for ch in scheme:
        forms = [ch, ch.upper(), f"&#{ord(ch)};", f"&#x{ord(ch):X};", ch + "&#9;", ch + "\t", ch + "&Tab;"]
        out.append(draw(st.sampled_from(forms + (["&colon;"] if ch == ":" else []))))
    return "".join(out) + draw(st.sampled_from(["alert(1)", "text/html,x", "//exempel.se/"]))


_SCHEME = re.compile(r"(?:javascript|vbscript|data):", re.IGNORECASE)


class _Attributes(HTMLParser):
    """Every attribute as a browser reads it: entities decoded."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs += [(k, v or "") for k, v in attrs]


@settings(max_examples=300, deadline=None)
@given(target=st.one_of(_hidden_scheme(), st.lists(_PIECES, min_size=1, max_size=8).map("".join)),
       handler=st.sampled_from(["", 'onclick="alert(1)"', "onload='x'", "ONERROR=x"]))
def test_no_rendered_attribute_runs_script(target: str, handler: str) -> None:
    """Whatever a routine writes as a link, image or attr_list, no attribute of the
    page runs script once the browser has decoded it."""
    body = f"[länk]({target}) ![bild]({target})\n\n[ref]: {target}\n\n[r][ref] [x](#){{: {handler} }}\n"
    rendered = markdown.markdown(safe_body(body), extensions=["attr_list"])
    parser = _Attributes()
    parser.feed(neutralise(rendered))
    for key, value in parser.attrs:
        assert not key.lower().startswith("on"), rendered
        url = value.replace("\t", "").replace("\n", "").replace("\r", "").lstrip("".join(map(chr, range(0x21))))
        assert not (key in ("href", "src") and _SCHEME.match(url)), rendered
