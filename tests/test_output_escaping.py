"""Control characters in values and file names never reach a terminal or a CI log raw."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_handbok

from handbok.formats import visible

MKDOCS = Path(sys.executable).with_name("mkdocs")

FORGED = """---
id: ESC-001
title: "Rubrik\\e[2K\\r\\u2713 Kontrollen godkänd"
type: rutin
owner: enhetschef-forsorjningsstod
decided_by: forvaltningschef
decision_date: "2026-13-01\\n\\u2713 allt i ordning"
"\\e[31mfalsk\\e[0m": 1
---

# Rubrik
"""


@pytest.fixture
def forged(copy_fixture: Callable[[str], Path]) -> Path:
    root = copy_fixture("basic")
    (root / "routines" / "forged.md").write_text(FORGED, encoding="utf-8")
    (root / "routines" / "namn\x1b[2K\u202e.md").write_text(FORGED.replace("ESC-001", "ESC-002"), encoding="utf-8")
    return root


def test_visible_writes_out_every_control_character() -> None:
    assert visible("a\x1b[31mb\nc\rd\te\x7f\x9b\u202e\u2028\udce4") == (
        "a\\x1b[31mb\\nc\\rd\\te\\x7f\\x9b\\u202e\\u2028\\udce4")
    assert visible("Åtgärd: ✓ klar – 100 %") == "Åtgärd: ✓ klar – 100 %"


@pytest.mark.parametrize("fmt", ["text", "github", "junit"])
def test_human_readable_formats_show_control_characters_escaped(forged: Path, fmt: str) -> None:
    run = run_handbok("check", forged, "--today", "2026-11-22", "--format", fmt, "--fail-on", "never")
    assert run.returncode == 0
    out = run.stdout
    for raw in ("\x1b", "\r", "\u202e"):
        assert raw not in out, (fmt, raw)
    assert "\\x1b" in out
    # No forged line: the fake verdict stays inside the line of its finding.
    assert not any(line.lstrip().startswith(("✓", "\u2713")) for line in out.split("\n"))
    if fmt == "text":
        assert "namn\\x1b[2K\\u202e.md" in out


def test_the_build_log_shows_control_characters_escaped(forged: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HANDBOK_TODAY")}
    env.update({"HANDBOK_TODAY": "2026-11-22", "NO_MKDOCS_2_WARNING": "1"})
    run = subprocess.run([str(MKDOCS), "build", "-d", str(tmp_path / "site")], cwd=forged, env=env,
                         capture_output=True, text=True, timeout=300)
    assert "Traceback" not in run.stderr
    assert "\x1b" not in run.stderr and "\u202e" not in run.stderr
    assert "\\x1b" in run.stderr  # the finding about the key is logged, escaped
