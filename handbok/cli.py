"""The `handbok` command: parses arguments, calls the core, prints."""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from .clitext import VERSION_HELP, VERSION_MESSAGE, SwedishGroup

if TYPE_CHECKING:
    from .answer import Pending
    from .core import Config, Result

__all__ = ["main"]

# The choices of the commands, whose modules are imported only when they run: a check
# whose answer is kept (`handbok.answer`) imports nearly nothing of the package.
# tests/test_cli.py holds them to the modules' own.
CHECK_FORMATS = ("text", "json", "github", "junit", "gitlab", "markdown")  # formats.FORMATS
FAIL_LEVELS = ("error", "overdue", "due-soon", "never")  # core.FAIL_LEVELS
CODEOWNERS_FORMATS = ("github", "gitlab", "azure")  # codeowners.FORMATS
INIT_CI_CHOICES = ("github", "gitlab", "azure", "none")  # init.CI_CHOICES
REPORT_FORMATS = ("html", "pdf", "xlsx", "md", "json")  # report.FORMATS
REMIND_FORMATS = ("text", "json", "eml")  # remind.FORMATS


@click.group(cls=SwedishGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="handbok", help=VERSION_HELP, message=VERSION_MESSAGE)
def main() -> None:
    """handbok: kvalitetshandbok av rutiner i Markdown (SOSFS 2011:9)."""


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--today", metavar="ÅÅÅÅ-MM-DD", help="Räkna status som om det vore denna dag (annars HANDBOK_TODAY eller dagens datum).")
@click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text", show_default=True, help="Utdataformat.")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default="overdue", show_default=True,
              help="Avsluta med kod 1 vid fel (error), även försenade (overdue), även snart förfallna (due-soon), eller aldrig.")
@click.option("--warn-days", type=click.IntRange(0, 3650), default=None, help="Antal dagar före revisionsdatum som räknas som 'revideras snart' (standard 60).")
@click.option("--base", metavar="REF", help="Granska bara det som ändrats sedan git-referensen REF, t.ex. origin/main (för pull requests).")
@click.option("--no-cache", is_flag=True, help="Läs och kontrollera varje fil på nytt, utan cachen i .cache/handbok/.")
def check(path: Path, today: str | None, fmt: str, fail_on: str, warn_days: int | None,
          base: str | None, no_cache: bool) -> None:
    """Kontrollera alla styrdokument i handboken i PATH (standard: .)."""
    _utf8_output()
    pending = None
    if not no_cache and base is None:
        from . import answer
        kept = answer.lookup(path, fmt, fail_on, warn_days, today)
        if isinstance(kept, answer.Answer):  # nothing changed since a run with these options
            kept.write()
            _leave(kept.code)
        pending = kept
    config, day = _handbook(path, today)
    if warn_days is not None:
        config = replace(config, warn_days=warn_days)
    try:
        code = _check(path, day, config, fmt, fail_on, base, no_cache, pending)
    finally:
        if pending is not None:
            pending.close()  # kept by now, or let go
    _leave(code)


def _check(path: Path, day: dt.date, config: Config, fmt: str, fail_on: str, base: str | None,
           no_cache: bool, pending: Pending | None) -> int:
    """Check, print, keep the answer (`pending`); the exit code."""
    from .core import check_handbook, failing, gc_paused
    from .formats import render_chunks
    from .messages import visible
    with gc_paused():  # the result holds no cycles: spare rescanning it while rendering
        result = None
        if pending is not None:  # only routine bodies changed since the last whole check?
            from . import recheck
            result = recheck.recheck(path, day, config, pending)
        whole = result is None
        if result is None:
            result = check_handbook(path, day, config, cache=not no_cache, split=True)
        rest = None
        if base is not None:
            from . import pullrequest
            try:
                result, rest = pullrequest.restrict_to_change(result, base)
            except pullrequest.BaseError as exc:
                _fail(str(exc))
        chunks: list[str] = []
        size = 0
        for chunk in render_chunks(result, fmt, fail_on):  # written as made: JSON can be large
            chunks.append(chunk)
            size += len(chunk)
            if size >= 1 << 20:
                _write("".join(chunks), pending)
                chunks.clear()
                size = 0
        if rest is not None and fmt in ("text", "markdown", "github"):
            chunks.append(f"{visible(rest)}\n" if fmt != "markdown" else f"\n{visible(rest)}\n")
        _write("".join(chunks), pending)
        code = 1 if failing(result, fail_on) else 0
        if pending is not None and pending.keep(code, day, (config.routines_dir, config.data_dir, config.docs_dir)) \
                and whole:
            recheck.keep(pending, result)
        # The process ends now: the objects of the check (a million at 10,000 documents, no
        # cycles) need no pass of the collector, neither when it is enabled again nor at exit.
        gc.freeze()
    return code


_STANDALONE = False  # set by `run`: this process is the `handbok` program itself


def run() -> None:
    """The `handbok` program (its script and `python -m handbok`)."""
    global _STANDALONE
    _STANDALONE = True
    main(prog_name="handbok")


def _leave(code: int) -> NoReturn:
    """Exit with `code`. As the program itself, once everything is written, without
    freeing the check's objects one by one (a tenth of a second at 10,000 documents);
    every file it wrote is closed already. Called in-process (tests), as `sys.exit`."""
    if _STANDALONE:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001 - a closed pipe, a full disk: Python's own exit reports it
            sys.exit(code)
        os._exit(code)
    sys.exit(code)


def _write(text: str, pending: Pending | None) -> None:
    sys.stdout.write(text)
    if pending is not None:
        pending.add(text)


_PATH_OPTION = click.option("-C", "--path", "path", default=".", show_default=True,
                            type=click.Path(file_okay=False, path_type=Path),
                            help="Handbokens rotmapp (den med mkdocs.yml).")


@main.command()
@click.argument("ids", nargs=-1, metavar="ID...")
@_PATH_OPTION
@click.option("--date", "date_text", metavar="ÅÅÅÅ-MM-DD", help="Dagen då granskningen gjordes (standard: i dag).")
@click.option("--by", metavar="NAMN", help="Vem som granskade (standard: innehavaren av dokumentansvarigs roll).")
@click.option("--note", metavar="TEXT", help="Raden i history (standard: 'Granskad utan ändringar').")
@click.option("--dry-run", is_flag=True, help="Visa ändringen utan att spara den.")
@click.option("--due", is_flag=True, help="Alla försenade och snart förfallna dokument för rollen i --owner.")
@click.option("--owner", metavar="ROLL", help="Dokumentansvarig roll (med --due).")
@click.option("--today", metavar="ÅÅÅÅ-MM-DD", help="Räkna som om det vore denna dag (annars HANDBOK_TODAY eller dagens datum).")
def review(ids: tuple[str, ...], path: Path, date_text: str | None, by: str | None, note: str | None,
           dry_run: bool, due: bool, owner: str | None, today: str | None) -> None:
    """Registrera en granskning utan ändringar av dokumenten ID... (eller --due --owner ROLL)."""
    _utf8_output()
    from . import recording
    from .core import parse_today
    if due != bool(owner) or (due and ids) or (not due and not ids):
        _fail("Ange dokumentens id, eller --due --owner ROLL (inte båda).")
    result = _checked(path, today)
    date = result.today
    if date_text is not None:
        date = parse_today(date_text) or _fail(f"--date: '{date_text}' är inget datum. Skriv ÅÅÅÅ-MM-DD.")
    if due and owner:
        outcome = recording.review_due(result, owner, date, by, note, dry_run)
    else:
        outcome = recording.review_documents(result, list(ids), date, by, note, dry_run)
    _finish(outcome.code, outcome.out, outcome.err)


@main.command("init")
@click.argument("target", metavar="MAPP", type=click.Path(path_type=Path))
@click.option("--kommun", metavar="NAMN", help="Kommunens namn, t.ex. Exempelkommun.")
@click.option("--ci", type=click.Choice(INIT_CI_CHOICES), default="github", show_default=True,
              help="Plattform att skriva CI-inställningar för.")
@click.option("--today", metavar="ÅÅÅÅ-MM-DD", help="Beslutsdatum för exempelrutinen (standard: i dag).")
def init_command(target: Path, kommun: str | None, ci: str, today: str | None) -> None:
    """Skapa en ny handbok i MAPP (en ny eller tom mapp)."""
    _utf8_output()
    from . import init
    from .core import resolve_today
    try:
        written = init.init_handbook(target, kommun, ci, resolve_today(today))
    except (init.InitError, ValueError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{target} kan inte skrivas: {exc.strerror or exc}")
    click.echo(init.DONE.format(path=target, count=len(written)))
    click.echo(init.NEXT_STEPS.format(path=target))


@main.command("new")
@click.argument("doc_type", metavar="TYP")
@click.argument("title", metavar="TITEL")
@_PATH_OPTION
@click.option("--owner", metavar="ROLL", help="Dokumentansvarig roll (ger också enheten).")
@click.option("--unit", metavar="ENHET", help="Enhet (standard: rollens enhet).")
@click.option("--process", metavar="STEG", help="Processteg som dokumentet hör till.")
@click.option("--id", "doc_id", metavar="ID", help="Eget id i stället för nästa lediga.")
def new_document(doc_type: str, title: str, path: Path, owner: str | None, unit: str | None,
                 process: str | None, doc_id: str | None) -> None:
    """Skapa ett nytt styrdokument av typen TYP som utkast, och skriv ut sökvägen."""
    _utf8_output()
    from . import new
    from .messages import visible
    result = _checked(path, None)
    try:
        planned = new.plan_document(result, doc_type, title, owner, unit, process, doc_id)
        written = new.create_document(result, planned)
    except new.NewError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{planned.path} kan inte skrivas: {exc.strerror or exc}")
    click.echo(visible(str(written)))
    click.echo(visible(new.WRITTEN.format(path=planned.path, id=planned.id)), err=True)


@main.command("codeowners")
@_PATH_OPTION
@click.option("--format", "fmt", type=click.Choice(CODEOWNERS_FORMATS), default="github", show_default=True,
              help="CODEOWNERS för GitHub eller GitLab, eller kommandon för Azure DevOps.")
@click.option("--write", is_flag=True, help="Skriv filen (.github/CODEOWNERS, .gitlab/CODEOWNERS eller den som finns).")
def codeowners_command(path: Path, fmt: str, write: bool) -> None:
    """Dokumentansvariga godkänner ändringar i sina dokument: CODEOWNERS eller Azure-kommandon."""
    _utf8_output()
    from . import codeowners
    result = _checked(path, None)
    if result.org.roles is None or not any(r.git or r.email for r in result.org.roles.values()):
        _fail(codeowners.NO_HANDLES)
    if fmt == "azure":
        if write:
            _fail("Azure Repos har ingen CODEOWNERS-fil: kör kommandona som skrivs ut (utan --write).")
        click.echo(codeowners.azure_commands(result.documents, result.org, codeowners.git_prefix(path)), nl=False)
        return
    if not write:
        click.echo(codeowners.codeowners_text(result.documents, result.org, codeowners.git_prefix(path)), nl=False)
        return
    try:
        target, count = codeowners.write_codeowners(path, result.documents, result.org, fmt)
    except OSError as exc:
        _fail(f"CODEOWNERS kan inte skrivas: {exc.strerror or exc}")
    click.echo(codeowners.WROTE.format(path=target, count=count))


@main.command("report")
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--today", metavar="ÅÅÅÅ-MM-DD", help="Rapportens dag (annars HANDBOK_TODAY eller dagens datum).")
@click.option("--from", "start", metavar="ÅÅÅÅ-MM-DD", help="Periodens början (standard: ett år före rapportdagen).")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="html", show_default=True,
              help="Utdataformat.")
@click.option("--unit", metavar="ENHET", help="Bara denna enhet med underliggande enheter.")
@click.option("-o", "--output", metavar="FIL", help="Skriv till FIL (standard: skärmen; pdf och xlsx kräver en fil).")
def report_command(path: Path, today: str | None, start: str | None, fmt: str, unit: str | None,
                   output: str | None) -> None:
    """Intern kontroll av styrdokument: nyckeltal, periodens händelser och utvecklingen."""
    _utf8_output()
    result = _checked(path, today)
    day = None
    from .core import parse_today
    if start is not None:
        day = parse_today(start) or _fail(f"--from: '{start}' är inget datum. Skriv ÅÅÅÅ-MM-DD.")
    from .report import command as report_cmd
    outcome = report_cmd.run_report(result, fmt, day, unit, output)
    _finish(outcome.code, [], outcome.err)


@main.command("remind")
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--today", metavar="ÅÅÅÅ-MM-DD", help="Räkna som om det vore denna dag (annars HANDBOK_TODAY eller dagens datum).")
@click.option("--within", metavar="DAGAR", type=click.IntRange(0, 3650), default=None,
              help="Ta med det som ska revideras inom så många dagar (standard: warn_days, 60).")
@click.option("--format", "fmt", type=click.Choice(REMIND_FORMATS), default="text", show_default=True,
              help="Lista (text, json) eller en e-postfil per roll (eml).")
@click.option("--send", is_flag=True, help="Skicka påminnelserna med SMTP (inställningar i miljön, se README).")
@click.option("-o", "--output", metavar="MAPP", default="paminnelser", show_default=True, type=click.Path(path_type=Path),
              help="Mappen för e-postfilerna (med --format eml).")
def remind_command(path: Path, today: str | None, within: int | None, fmt: str, send: bool, output: Path) -> None:
    """Påminn varje dokumentansvarig roll om det som är försenat eller snart ska revideras."""
    _utf8_output()
    result = _checked(path, today)
    days = result.config.warn_days if within is None else within
    from . import remind
    code, out, err = remind.run_remind(result, days, fmt, send, output, dict(os.environ))
    _finish(code, out, err)


def _handbook(path: Path, today: str | None) -> tuple[Config, dt.date]:
    """The handbook's options and the day to judge on, or exit 2 with the reason."""
    from .config import ConfigError, read_config
    from .core import resolve_today
    from .messages import NO_FOLDER, NO_ROUTINES
    if not path.is_dir():
        _fail(NO_FOLDER.format(path=path.absolute()))
    try:
        config, _ = read_config(path)
        day = resolve_today(today)
    except (ConfigError, ValueError) as exc:
        _fail(str(exc))
    if not (path / config.routines_dir).is_dir():
        _fail(NO_ROUTINES.format(routines=config.routines_dir, path=path.resolve()))
    return config, day


def _checked(path: Path, today: str | None) -> Result:
    """The checked handbook at `path`, or exit 2 with the reason."""
    from .core import check_handbook
    config, day = _handbook(path, today)
    return check_handbook(path, day, config)


def _finish(code: int, out: list[str], err: list[str]) -> NoReturn:
    for line in out:
        click.echo(line)
    for line in err:
        click.echo(f"handbok: {line}" if code == 2 else line, err=True)
    sys.exit(code)


def _utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # A file name that is not UTF-8 reaches us as lone surrogates: show it escaped.
            reconfigure(encoding="utf-8", errors="backslashreplace")


def _fail(message: str) -> NoReturn:
    click.echo(f"handbok: {message}", err=True)
    sys.exit(2)
