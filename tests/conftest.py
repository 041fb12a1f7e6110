"""Shared helpers for the core tests: fixture handbooks, a fixed day, the CLI as a subprocess."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from handbok.core import Result, check_handbook

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 22)
HANDBOK = Path(sys.executable).with_name("handbok")

CopyFixture = Callable[[str], Path]
RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def copy_fixture(tmp_path: Path) -> CopyFixture:
    """Copy a fixture handbook to tmp_path (to add odd bytes or files); returns its root."""

    def copy(name: str) -> Path:
        root = tmp_path / name
        shutil.copytree(FIXTURES / name, root, ignore=shutil.ignore_patterns(".cache"))  # a check's cache
        return root

    return copy


@pytest.fixture(scope="session")
def checked() -> Callable[[str], Result]:
    """check_handbook on a fixture at TODAY, computed once per fixture for the session."""
    cache: dict[str, Result] = {}

    def get(name: str) -> Result:
        if name not in cache:
            cache[name] = check_handbook(FIXTURES / name, TODAY)
        return cache[name]

    return get


def run_handbok(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None,
                ) -> subprocess.CompletedProcess[str]:
    """`handbok ARGS` as a subprocess, without HANDBOK_TODAY from outside unless given.

    Every run is checked for the one thing that must never happen: a traceback.
    """
    full = {k: v for k, v in os.environ.items() if k != "HANDBOK_TODAY"}
    full.update(env or {})
    run = subprocess.run([str(HANDBOK), *map(str, args)], capture_output=True, env=full, cwd=cwd,
                         timeout=60)
    stdout = run.stdout.decode("utf-8")  # the output is always UTF-8, whatever the locale
    stderr = run.stderr.decode("utf-8")
    assert "Traceback" not in stderr and "Traceback" not in stdout, stderr
    return subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr)


@pytest.fixture
def cli() -> RunCli:
    return run_handbok
