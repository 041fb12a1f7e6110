"""`handbok new`: the next id in the handbook's pattern, the draft, templates, refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, TODAY, RunCli

from handbok.core import check_handbook
from handbok.new import NewError, create_document, next_id, plan_document, slug

EXAMPLE = Path(__file__).parent.parent


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example handbook's documents and data."""
    root = tmp_path / "hb"
    root.mkdir()
    for name in ("routines", "data"):
        shutil.copytree(EXAMPLE / name, root / name)
    return root


def test_next_id_follows_the_pattern_per_type_and_unit(example: Path) -> None:
    result = check_handbook(example, TODAY)
    ids = {d.id for d in result.documents}
    rutin = next_id(result, "rutin", "forsorjningsstod")
    assert rutin.startswith("EB-RUT-") and rutin not in ids
    assert int(rutin[-3:]) == max(int(i[-3:]) for i in ids if i and i.startswith("EB-RUT-")) + 1
    assert next_id(result, "checklista", "ame") == "AME-CHK-001"  # unit prefix + the type's code
    assert next_id(result, "policy", None) == "POL-001"


def test_new_draft_passes_the_check(example: Path) -> None:
    result = check_handbook(example, TODAY)
    planned = plan_document(result, "rutin", "Hembesök: nya regler", owner="enhetschef-forsorjningsstod",
                            process="utredning")
    assert planned.path.startswith("routines/ekonomiskt-bistand/hembesok-nya-regler")
    written = create_document(result, planned)
    text = written.read_text(encoding="utf-8")
    assert "status: draft" in text and "unit: forsorjningsstod" in text and "processes: [utredning]" in text
    assert 'title: "Hembesök: nya regler"' in text
    for heading in ("Syfte", "Ansvar", "Arbetsgång", "Dokumentation", "Uppföljning"):
        assert f"\n## {heading}\n" in text
    after = check_handbook(example, TODAY)
    doc = after.by_id()[planned.id]
    assert doc.title == "Hembesök: nya regler" and doc.status == "draft"
    assert [f for f in after.findings_for(planned.path) if f.severity != "info"] == []


@pytest.mark.parametrize(("doc_type", "headings"), [
    ("riktlinje", ["Syfte", "Bakgrund och lagstöd", "Ställningstaganden"]),
    ("checklista", ["Syfte", "Checklista"]),
    ("mall", ["Så använder du mallen", "Mallen"]),
    ("delegationsordning", ["Delegationsförteckning"]),
    ("processbeskrivning", ["Aktiviteter"]),
    ("instruktion", ["Gör så här"]),
    ("policy", ["Ställningstagande"]),
])
def test_each_type_has_its_sections(example: Path, doc_type: str, headings: list[str]) -> None:
    planned = plan_document(check_handbook(example, TODAY), doc_type, "Titel")
    for heading in headings:
        assert f"\n## {heading}\n" in planned.text


def test_a_handbook_template_overrides_the_shipped_one(example: Path) -> None:
    (example / "data/templates").mkdir()
    (example / "data/templates/rutin.md").write_text("# {{ title }}\n\n## Vårt eget avsnitt\n", encoding="utf-8")
    planned = plan_document(check_handbook(example, TODAY), "rutin", "X")
    assert planned.text.endswith("# X\n\n## Vårt eget avsnitt\n")


@pytest.mark.parametrize(("args", "needle"), [
    (("rutn", "X"), "Menade du rutin"),
    (("rutin", "X", "enhetschef-forsorjningstod"), "Menade du enhetschef-forsorjningsstod"),
    (("rutin", "X", None, "forsorjningstod"), "Menade du forsorjningsstod"),
    (("rutin", "X", None, None, "utredningg"), "Menade du utredning"),
    (("rutin", " "), "tom"),
    (("rutin", "X", None, None, None, "EB-RUT-001"), "används redan"),
    (("rutin", "X", None, None, None, "a b"), "går inte att använda"),
])
def test_refusals(example: Path, args: tuple[str | None, ...], needle: str) -> None:
    with pytest.raises(NewError, match=needle):
        plan_document(check_handbook(example, TODAY), *args)  # type: ignore[arg-type]


def test_never_overwrites(example: Path) -> None:
    result = check_handbook(example, TODAY)
    first = plan_document(result, "rutin", "Samma titel", owner="enhetschef-forsorjningsstod")
    (example / first.path).parent.mkdir(parents=True, exist_ok=True)
    (example / first.path).write_text("finns redan", encoding="utf-8")
    second = plan_document(result, "rutin", "Samma titel", owner="enhetschef-forsorjningsstod")
    assert second.path.endswith("samma-titel-2.md")
    assert (example / first.path).read_text(encoding="utf-8") == "finns redan"


def test_slug() -> None:
    assert slug("Återrapportering till Försäkringskassan (FK)") == "aterrapportering-till-forsakringskassan-fk"


def test_the_command_line(cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "hb"
    shutil.copytree(FIXTURES / "review-gate", root)
    run = cli("new", "rutin", "Ny rutin", "--owner", "enhetschef-ame", "-C", root)
    assert run.returncode == 0, run.stderr
    path = Path(run.stdout.strip())
    assert path.is_file() and path.parent == root / "routines" / "ame"
    assert "id: RUT-001\n" in path.read_text(encoding="utf-8")  # G-ansokan etc. have no number
    assert "Skapade" in run.stderr
    bad = cli("new", "rutn", "X", "-C", root)
    assert bad.returncode == 2 and "Menade du rutin" in bad.stderr
    check = cli("check", root, "--today", "2026-06-01", "--fail-on", "error")
    assert check.returncode == 0, check.stdout
