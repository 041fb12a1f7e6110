"""The package stands alone: the SOSFS 2011:9 requirements and templates ship with it,
and a handbook's own data/requirements.yml adds to or overrides them."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from conftest import FIXTURES

from handbok.organisation import BUILTIN_TYPES, load_organisation


def _handbook(tmp_path: Path, requirements: str | None) -> Path:
    root = tmp_path / "hb"
    shutil.copytree(FIXTURES / "review-gate", root)
    if requirements is not None:
        (root / "data/requirements.yml").write_text(requirements, encoding="utf-8")
    return root


def test_shipped_requirements_without_a_file_of_the_handbook(tmp_path: Path) -> None:
    org, findings = load_organisation(_handbook(tmp_path, None))
    assert findings == []
    assert org.requirements is not None
    assert org.requirements["sosfs-2011-9/4-4"].ref == "4 kap. 4 §"
    summary = org.requirements["sosfs-2011-9/3-ansvar"].summary
    for verb in ("planera", "leda", "kontrollera", "följa upp", "utvärdera", "förbättra"):
        assert verb in summary
    # Egenkontroll's paragraph in 5 kap. is unverified: the chapter is cited.
    assert org.requirements["sosfs-2011-9/5-egenkontroll"].ref == "5 kap."


def test_a_handbook_adds_and_overrides(tmp_path: Path) -> None:
    root = _handbook(tmp_path, (
        "sosfs-2011-9:\n"
        "  requirements:\n"
        "    4-4: {ref: \"4 kap. 4 §\", title: Våra rutiner}\n"
        "kommunen:\n"
        "  name: Kommunens krav\n"
        "  requirements:\n"
        "    ik: {ref: IK, title: Internkontroll}\n"))
    org, findings = load_organisation(root)
    assert findings == []
    assert org.requirements is not None
    assert org.requirements["sosfs-2011-9/4-4"].title == "Våra rutiner"
    assert org.requirements["sosfs-2011-9/4-4"].line == 3
    assert org.requirements["sosfs-2011-9/4-2"].source.startswith("SOSFS 2011:9")
    assert org.requirements["kommunen/ik"].source == "Kommunens krav"


def test_a_new_source_needs_a_name_and_a_broken_file_leaves_references_unchecked(tmp_path: Path) -> None:
    org, findings = load_organisation(_handbook(tmp_path, "egna:\n  requirements: {a: {ref: A, title: A}}\n"))
    assert [f.code for f in findings] == ["data-file"]
    broken, findings = load_organisation(_handbook(tmp_path / "2", "a: [\n"))
    assert broken.requirements is None and findings[0].code == "yaml-syntax"


def test_every_type_has_a_template() -> None:
    templates = resources.files("handbok") / "data" / "templates"
    for key in [*BUILTIN_TYPES, "dokument"]:
        text = (templates / f"{key}.md").read_text(encoding="utf-8")
        assert text.startswith("# {{ title }}\n")
