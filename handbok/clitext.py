"""Click's own words (usage, help, errors) in Swedish: one table, and a group that uses it.

Click marks every text it prints with gettext (`_`, `ngettext`) in its modules. A
gettext catalogue would have to be compiled and would follow the user's locale; the
command line is Swedish whatever the locale, so `SwedishGroup.main` looks each text up
in the tables below for as long as the command runs, and puts click's own lookups back
afterwards. A text missing here stays English (the tests list the ones that matter).
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import Any

import click

__all__ = ["HELP_OPTION", "PLURALS", "TEXTS", "VERSION_HELP", "VERSION_MESSAGE", "SwedishCommand", "SwedishGroup",
           "swedish_click"]

TEXTS = {
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "No such option: {name}": "Flaggan finns inte: {name}",
    "Missing command.": "Ange ett kommando.",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Värde saknas",
    "Missing {param_type}": "{param_type} saknas",
    "Missing parameter: {param_name}": "Värde saknas: {param_name}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} är inget giltigt tal.",
    "{value} is not in the range {range}.": "{value} ligger utanför intervallet {range}.",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Aborted!": "Avbrutet.",
    "default: {default}": "standard: {default}",
    "required": "krävs",
    "file": "filen",
    "directory": "mappen",
    "path": "sökvägen",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil, inte en mapp.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp, inte en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan inte läsas.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan inte skrivas.",
}

PLURALS = {  # English singular -> Swedish (one, several)
    "Got unexpected extra argument ({args})": (
        "Oväntat extra argument ({args})", "Oväntade extra argument ({args})"),
    "{value!r} is not {choice}.": ("{value!r} är inte {choice}.", "{value!r} är inte ett av {choices}."),
    "Option {name!r} requires an argument.": (
        "Flaggan {name!r} behöver ett värde.", "Flaggan {name!r} behöver {nargs} värden."),
    "Did you mean {possibility}?": ("Menade du {possibility}?", "(Menade du något av: {possibilities}?)"),
    "Takes {nargs} values but 1 was given.": (
        "Tar {nargs} värden men fick 1.", "Tar {nargs} värden men fick {len}."),
}

HELP_OPTION = TEXTS["Show this message and exit."]
VERSION_HELP = TEXTS["Show the version and exit."]
VERSION_MESSAGE = "%(prog)s, version %(version)s"

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "utils")


def _gettext(message: str) -> str:
    return TEXTS.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    forms = PLURALS.get(singular)
    if forms is None:
        return singular if count == 1 else plural
    return forms[0] if count == 1 else forms[1]


@contextlib.contextmanager
def swedish_click() -> Iterator[None]:
    """Click speaks Swedish inside the block."""
    saved: list[tuple[Any, str, Any]] = []
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        for attr, swedish in (("_", _gettext), ("ngettext", _ngettext)):
            if hasattr(module, attr):
                saved.append((module, attr, getattr(module, attr)))
                setattr(module, attr, swedish)
    try:
        yield
    finally:
        for module, attr, original in reversed(saved):
            setattr(module, attr, original)


OPTIONS_METAVAR = "[FLAGGOR]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENT]..."


class SwedishCommand(click.Command):
    """A command whose usage line reads [FLAGGOR]."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)


class SwedishGroup(click.Group):
    """A command group whose usage, help and error texts are Swedish."""

    command_class = SwedishCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with swedish_click():
            return super().main(*args, **kwargs)
