"""yamlread.parse_yaml: values as text, 1-based line numbers, and only YamlError for bad input."""

from __future__ import annotations

import pytest

from handbok.yamlread import YamlError, parse_yaml


def test_values_keep_their_text() -> None:
    parsed = parse_yaml(
        "id: 007\nversion: 3.10\ndecision_date: 2023-02-30\nok: 2025-03-01\nflag: yes\n"
        "count: 12\nnothing: ~\nempty:\n"
    )
    assert parsed.value == {
        "id": "007", "version": "3.10", "decision_date": "2023-02-30", "ok": "2025-03-01",
        "flag": "yes", "count": "12", "nothing": None, "empty": None,
    }


def test_lists_and_nested_mappings() -> None:
    parsed = parse_yaml("processes: [a, b]\nhistory:\n  - {date: 2025-01-01, note: x}\n")
    assert parsed.value == {"processes": ["a", "b"], "history": [{"date": "2025-01-01", "note": "x"}]}


def test_top_level_key_lines_are_one_based() -> None:
    parsed = parse_yaml("id: A\n\n# a comment\ntitle: T\nlist:\n  - a\n  - b\n")
    assert parsed.lines == {"id": 1, "title": 4, "list": 5}
    assert parsed.item_lines == {"list": [6, 7]}


def test_nested_key_lines() -> None:
    parsed = parse_yaml("units:\n  ifo:\n    name: IFO\n  ame: {name: AME}\n")
    assert parsed.nested_lines[("units", "ifo")] == 2
    assert parsed.nested_lines[("units", "ifo", "name")] == 3
    assert parsed.nested_lines[("units", "ame")] == 4


def test_duplicate_keys_are_recorded_with_the_line_of_the_second() -> None:
    parsed = parse_yaml("id: A\ntitle: T\nid: B\nunits:\n  x: 1\n  x: 2\n")
    assert parsed.duplicate_keys == [("id", 3), ("units/x", 6)]
    assert parsed.value["id"] == "B"  # the last one wins, but the finding says so
    assert parsed.lines["id"] == 1


def test_empty_text_is_none() -> None:
    assert parse_yaml("").value is None
    assert parse_yaml("# only a comment\n").value is None


def test_aliases_are_shared_not_copied() -> None:
    parsed = parse_yaml("a: &x [1, 2]\nb: *x\n")
    assert parsed.value["a"] == parsed.value["b"] == ["1", "2"]


def test_alias_bomb_is_not_expanded() -> None:
    levels = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 10))
    parsed = parse_yaml("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n" + levels)  # 10**10 items if expanded
    value = parsed.value
    # Each level holds the previous level's one list ten times, not ten copies of it.
    assert all(item is value["l8"] for item in value["l9"])
    assert len({id(item) for item in value["l9"]}) == 1


@pytest.mark.parametrize(("text", "line", "words"), [
    ("id: A\ntitle: a: b\n", 2, "kolon på fel ställe"),
    ("id: A\ntitle: T\n\tx: 1\n", 3, "tabb"),
    ("a: 1\nb: [x, y\n", 2, "lista"),
    ("a: 1\nb: {x: 1\n", 2, "{ }"),
    ("a: 1\nb: 'oavslutad\n", 2, "citattecken"),
    ("a: 1\nb: *saknas\n", 2, "ankare"),
    ("a: 1\nb: !!python/object:os.system x\n", 2, "taggen"),
    ("a: 1\nb: !egen x\n", 2, "taggen"),
    ("a: 1\nb: !!binary aGVq\n", 2, "taggen"),
    ("a: 1\nb: !!set {x}\n", 2, "taggen"),
    ("a: 1\n<<: {b: 2}\n", 2, "<<"),
    ("a: 1\n? [x, y]\n: 2\n", 2, "nyckel"),
    ("a: 1\n~: 2\n", 2, "nyckel"),
    ("a: &a [*a]\n", 1, "sig självt"),
    ("a: 1\n---\nb: 2\n", None, ""),
])
def test_errors_are_yaml_errors_with_a_line(text: str, line: int | None, words: str) -> None:
    with pytest.raises(YamlError) as caught:
        parse_yaml(text)
    if line is not None:
        assert caught.value.line == line
    assert words in caught.value.message
    assert caught.value.message  # always something to show


def test_control_characters_are_a_yaml_error() -> None:
    with pytest.raises(YamlError) as caught:
        parse_yaml("a: b\x01c\n")
    assert "kontrolltecken" in caught.value.message


def test_deep_nesting_is_a_yaml_error_not_a_crash() -> None:
    with pytest.raises(YamlError):
        parse_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n")


def test_too_many_values_is_a_yaml_error() -> None:
    with pytest.raises(YamlError) as caught:
        parse_yaml("a: [" + ", ".join(["x"] * 100_001) + "]\n")
    assert "100 000" in caught.value.message
