"""The tillgänglighetsredogörelse (issue 11, item 7): from mkdocs.yml to a page with the
headings Swedish public bodies use, in the fixture, the example and what `init` writes."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from handbok.pages.accessibility import accessibility_page, statement_from

FIXTURES = Path(__file__).parent / "fixtures"
REPO = FIXTURES.parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")
HEADINGS = (
    "Hur tillgänglig är webbplatsen?",
    "Vad kan du göra om du inte kan använda delar av webbplatsen?",
    "Rapportera brister i webbplatsens tillgänglighet",
    "Tillsyn",
    "Teknisk information om webbplatsens tillgänglighet",
    "Innehåll som inte är tillgängligt",
    "Hur vi testat webbplatsen",
)
MINIMAL = {"organisation": "Testkommun", "contact": {"email": "webb@test.example"}, "reviewed": "2026-09-15"}


def test_statement_with_shortcomings() -> None:
    statement = statement_from({**MINIMAL, "shortcomings": ["PDF-bilagor <b>saknar</b> taggar."],
                                "reviewed": dt.date(2026, 9, 15), "out_of_scope": ["Inspelade möten före 2020"]})
    assert statement.compliance == "partial" and statement.reviewed == dt.date(2026, 9, 15)
    html = accessibility_page(statement, "Testhandbok & co")
    for heading in HEADINGS:
        assert f">{heading}</h" in html, heading
    assert "lagen (2018:1937) om tillgänglighet till digital offentlig service" in html
    assert "(DOS-lagen)" in html and "delvis förenlig" in html
    assert "PDF-bilagor &lt;b&gt;saknar&lt;/b&gt; taggar." in html  # text from mkdocs.yml is escaped
    assert "Testhandbok &amp; co" in html
    assert 'href="mailto:webb@test.example"' in html and 'href="https://www.digg.se/tdosanmalan"' in html
    assert "Den senaste bedömningen gjordes\n15 september 2026" in html
    assert "Redogörelsen uppdaterades senast 15 september 2026" in html
    assert "9 § DOS-lagen" in html and "12 § DOS-lagen" not in html


def test_statement_without_shortcomings_is_full_compliance() -> None:
    html = accessibility_page(statement_from(MINIMAL), "Testhandbok")
    assert "helt förenlig" in html and "Innehåll som inte är tillgängligt" not in html
    assert "Vi känner inte till några brister" in html
    explicit = statement_from({**MINIMAL, "compliance": "none", "updated": "2026-10-01"})
    html = accessibility_page(explicit, "Testhandbok")
    assert "inte förenlig" in html and "uppdaterades senast 1 oktober 2026" in html


@pytest.mark.parametrize(("options", "message"), [
    ({**MINIMAL, "organisation": " "}, "organisation saknas"),
    ({k: v for k, v in MINIMAL.items() if k != "reviewed"}, "reviewed saknas"),
    ({**MINIMAL, "reviewed": "2026-02-30"}, "reviewed är '2026-02-30', inget datum"),
    ({**MINIMAL, "contact": {}}, "contact saknas"),
    ({**MINIMAL, "contact": {"mail": "a@b.se"}}, "contact ska ha email, phone och/eller url"),
    ({**MINIMAL, "contact": {"url": "javascript:alert(1)"}}, "börjar med https://"),
    ({**MINIMAL, "compliance": "delvis"}, "compliance är 'delvis'"),
    ({**MINIMAL, "shortcomings": [{"a": 1}]}, "shortcomings ska vara en lista med texter"),
    ({**MINIMAL, "organization": "x"}, "okänd nyckel organization"),
])
def test_wrong_sections_are_named_in_swedish(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        statement_from(options)
    assert str(caught.value).startswith("accessibility i mkdocs.yml: ")


def _build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_VISIBILITY")}
    env.update({"HANDBOK_TODAY": "2026-11-22", "NO_MKDOCS_2_WARNING": "1"})
    return subprocess.run([str(MKDOCS), "build", "-d", str(site)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_site_has_the_page_in_its_navigation(tmp_path: Path) -> None:
    root = tmp_path / "handbok"
    shutil.copytree(FIXTURES / "public", root)
    run = _build(root, tmp_path / "site")
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "site/tillganglighetsredogorelse/index.html").read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    assert "<h1" in article and "Tillgänglighetsredogörelse</h1>" in article
    assert "Testkommun, socialförvaltningen står bakom webbplatsen Testhandbok med publik del" in article
    assert "handbok-computed" not in article  # no "Status beräknad": nothing here is computed
    assert "&lt;b&gt;för skärmläsare&lt;/b&gt;" in article
    start = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert 'href="tillganglighetsredogorelse/"' in start  # in the navigation of every page


def test_a_wrong_section_stops_the_build_with_a_swedish_message(tmp_path: Path) -> None:
    root = tmp_path / "handbok"
    shutil.copytree(FIXTURES / "public", root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("reviewed: 2026-09-15", "reviewed: snart"),
                      encoding="utf-8")
    run = _build(root, tmp_path / "site")
    assert run.returncode == 1
    assert "handbok: accessibility i mkdocs.yml: reviewed är 'snart', inget datum" in run.stderr
    assert "Traceback" not in run.stderr


def test_example_and_init_configure_the_statement() -> None:
    """The example's mkdocs.yml and the one `init` writes both have a valid section."""
    from handbok.init import planned_files

    example = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    written = planned_files("Exempelby", "none", dt.date(2026, 11, 22))["mkdocs.yml"]
    for config in (example, yaml.load(written, Loader=yaml.BaseLoader)):
        options = next(p["handbok"] for p in config["plugins"] if isinstance(p, dict) and "handbok" in p)
        statement = statement_from(options["accessibility"])
        assert statement.organisation and statement.email and statement.shortcomings
