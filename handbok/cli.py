"""The `handbok` command: parses arguments, calls the core, prints."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from .config import ConfigError, read_config
from .core import FAIL_LEVELS, check_handbook, failing, gc_paused, resolve_today
from .formats import FORMATS, render

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="handbok")
def main() -> None:
    """handbok: kvalitetshandbok av rutiner i Markdown (SOSFS 2011:9)."""


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--today", metavar="ÅÅÅÅ-MM-DD", help="Räkna status som om det vore denna dag (annars HANDBOK_TODAY eller dagens datum).")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True, help="Utdataformat.")
@click.option("--fail-on", type=click.Choice(list(FAIL_LEVELS)), default="overdue", show_default=True,
              help="Avsluta med kod 1 vid fel (error), även försenade (overdue), även snart förfallna (due-soon), eller aldrig.")
@click.option("--warn-days", type=click.IntRange(0, 3650), default=None, help="Antal dagar före revisionsdatum som räknas som 'revideras snart' (standard 60).")
def check(path: Path, today: str | None, fmt: str, fail_on: str, warn_days: int | None) -> None:
    """Kontrollera alla styrdokument i handboken i PATH (standard: .)."""
    _utf8_output()
    if not path.is_dir():
        _fail(f"Mappen {path} finns inte.")
    try:
        config, _ = read_config(path)
        day = resolve_today(today)
    except (ConfigError, ValueError) as exc:
        _fail(str(exc))
    if warn_days is not None:
        config = replace(config, warn_days=warn_days)
    if not (path / config.routines_dir).is_dir():
        _fail(f"Mappen {config.routines_dir}/ finns inte i {path}. Är {path} en handboks rotmapp (den med mkdocs.yml)?")
    with gc_paused():  # the result holds no cycles: spare rescanning it while rendering
        result = check_handbook(path, day, config)
        report = render(result, fmt, fail_on)
    sys.stdout.write(report)
    sys.exit(1 if failing(result, fail_on) else 0)


def _utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # A file name that is not UTF-8 reaches us as lone surrogates: show it escaped.
            reconfigure(encoding="utf-8", errors="backslashreplace")


def _fail(message: str) -> None:
    click.echo(f"handbok: {message}", err=True)
    sys.exit(2)
