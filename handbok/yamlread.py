"""YAML with line numbers, through PyYAML's C composer.

Scalars keep their text when they look like dates, so that `2023-02-30` is a
finding of ours and not an exception of the loader's. Keys remember their line.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["YamlError", "Parsed", "parse_yaml"]

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

class _Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader with a resolver that knows only what our converter tells apart.

    The composer asks the (pure Python) resolver for every node, and the safe resolver
    tries a dozen regular expressions on each plain scalar. Every field of ours is
    text, a date or a list, and `_Converter` keeps bools, numbers and timestamps as their
    text anyway, so only three things matter: null (`~`, `null`, empty), the merge key
    `<<` (refused), and everything else as text.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                if value in _NULL_TEXTS:
                    return _NULL
                if value == "<<":
                    return _MERGE
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


_NULL_TEXTS = frozenset({"", "~", "null", "Null", "NULL"})
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_NULL = "tag:yaml.org,2002:null"
# Every field of ours is text, a date or a list: scalars keep their text, so that
# `version: 3.10` stays "3.10" and `id: 007` stays "007".
_TEXT_SCALARS = {
    _STR,
    _TIMESTAMP,
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}
_MAX_NODES = 100_000
_INTERN_UP_TO = 40
_intern = sys.intern


class YamlError(Exception):
    """A YAML text that cannot be read; `line` is 1-based within the text."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Parsed:
    value: Any
    lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line
    item_lines: dict[str, list[int]] = field(default_factory=dict)
    duplicate_keys: list[tuple[str, int]] = field(default_factory=list)
    nested_lines: dict[tuple[str, ...], int] = field(default_factory=dict)


class _Converter:
    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.done: dict[int, Any] = {}
        self.active: set[int] = set()
        self.count = 0

    def convert(self, node: yaml.Node, path: tuple[str, ...]) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            raise YamlError("för många värden (över 100 000)", node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):  # cannot contain itself: nothing to remember
            return self._scalar(node)
        key = id(node)
        if key in self.done:
            return self.done[key]
        if key in self.active:
            raise YamlError("ett alias hänvisar till sig självt", node.start_mark.line + 1)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise _unknown_tag(node)
            self.active.add(key)
            value = [self.convert(item, path) for item in node.value]
            self.active.discard(key)
        elif isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise _unknown_tag(node)
            self.active.add(key)
            value = self._mapping(node, path)
            self.active.discard(key)
        else:  # pragma: no cover - the composer makes no other nodes
            raise YamlError("okänd YAML-nod", node.start_mark.line + 1)
        self.done[key] = value
        return value

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag in _TEXT_SCALARS:
            value = node.value
            # Keys, types, roles, dates recur in every document: one copy of each (a
            # handbook of 30,000 documents holds about a million such texts).
            return _intern(value) if len(value) <= _INTERN_UP_TO else value
        if node.tag == _NULL:
            return None
        raise _unknown_tag(node)

    def _mapping(self, node: yaml.MappingNode, path: tuple[str, ...]) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(
                    "sammanslagning med << stöds inte; skriv ut nycklarna",
                    key_node.start_mark.line + 1,
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(
                    "en nyckel måste vara ett enkelt ord", key_node.start_mark.line + 1
                )
            k = self._scalar(key_node)
            if k is None:
                raise YamlError("en nyckel saknas före kolon", key_node.start_mark.line + 1)
            line = key_node.start_mark.line + 1
            if k in out:
                self.parsed.duplicate_keys.append(("/".join((*path, k)), line))
            if not path:
                self.parsed.lines.setdefault(k, line)
                if isinstance(value_node, yaml.SequenceNode):
                    self.parsed.item_lines[k] = [
                        item.start_mark.line + 1 for item in value_node.value
                    ]
            else:
                self.parsed.nested_lines.setdefault((*path, k), line)
            out[k] = self.convert(value_node, (*path, k))
        return out


def _unknown_tag(node: yaml.Node) -> YamlError:
    return YamlError(
        f"taggen {node.tag} stöds inte; skriv värdet utan tagg", node.start_mark.line + 1
    )


def parse_yaml(text: str) -> Parsed:
    """Parse one YAML document; raise YamlError (with a 1-based line) on any problem."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            if exc.context_mark is not None and mark is not None and not text[mark.index:].strip():
                # "Ended in the middle of a value": where that value starts is the line to fix.
                mark = exc.context_mark
            line = mark.line + 1 if mark is not None else None
            raise YamlError(_describe(exc), line) from None
        except yaml.YAMLError as exc:
            text = str(exc)
            swedish = next((sv for en, sv in _PROBLEMS.items() if en in text), None)
            raise YamlError(swedish or f"YAML kan inte läsas ({text})", None) from None
        parsed = Parsed(value=None)
        if node is not None:
            try:
                parsed.value = _Converter(parsed).convert(node, ())
            except RecursionError:
                raise YamlError("för djupt nästlade värden", node.start_mark.line + 1) from None
        return parsed
    finally:
        loader.dispose()


_PROBLEMS = {
    "mapping values are not allowed": "ett kolon på fel ställe: sätt värden som innehåller kolon inom citattecken",
    "could not find expected ':'": "kolon saknas efter en nyckel",
    "found character that cannot start any token": "ett tecken som inte kan inleda ett värde (tabb, @ eller `): använd mellanslag för indrag och sätt värdet inom citattecken",
    "found undefined alias": "aliaset (*namn) hänvisar till ett ankare som inte finns",
    "found duplicate anchor": "samma ankare (&namn) finns två gånger",
    "did not find expected key": "en nyckel saknas eller har fel indrag",
    "did not find expected '-' indicator": "en listpunkt har fel indrag",
    "did not find expected node content": "ett värde saknas",
    "did not find expected ',' or ']'": "en lista inom [ ] är inte avslutad med ]",
    "did not find expected ',' or '}'": "en uppsättning inom { } är inte avslutad med }",
    "found unexpected end of stream": "texten tar slut mitt i ett värde (saknas ett avslutande citattecken?)",
    "found unknown escape character": "okänt tecken efter \\ i en sträng med dubbla citattecken: använd enkla citattecken",
    "found unexpected ':'": "ett kolon på fel ställe: sätt värdet inom citattecken",
    "found a tab character": "tabbtecken får inte användas för indrag: använd mellanslag",
    "expected <block end>": "fel indrag: raderna i samma nivå ska börja i samma kolumn",
    "control characters are not allowed": "texten innehåller otillåtna kontrolltecken",
}


def _describe(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    for english, swedish in _PROBLEMS.items():
        if problem.startswith(english) or english in problem:
            return swedish
    return f"YAML kan inte läsas ({problem or exc.context or 'okänt fel'})"
