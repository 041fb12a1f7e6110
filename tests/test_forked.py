"""Two cores for a cold check (`handbok.forked`): the same results, in the same order, as
one process; a child that fails or cannot be made changes nothing."""

from __future__ import annotations

import os

import pytest
from conftest import TODAY, CopyFixture, RunCli

from handbok import forked
from handbok.config import read_config
from handbok.core import check_handbook
from handbok.formats import render


@pytest.fixture(autouse=True)
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "MINIMUM", 3)


def test_the_results_are_those_of_one_process_in_order() -> None:
    items = list(range(101))
    parent = os.getpid()
    made = forked.split_map(lambda i: (i * i, os.getpid() != parent), items)
    assert [value for value, _ in made] == [i * i for i in items]
    assert any(in_child for _, in_child in made) and not all(in_child for _, in_child in made)


def test_a_failing_child_leaves_the_work_to_the_parent() -> None:
    parent = os.getpid()

    def fails_in_child(i: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("barnet")
        return i + 1

    assert forked.split_map(fails_in_child, list(range(50))) == list(range(1, 51))


def test_an_error_in_the_parent_is_raised_and_the_child_ended() -> None:
    def fails(i: int) -> int:
        raise ValueError(str(i))

    with pytest.raises(ValueError):
        forked.split_map(fails, list(range(10)))


def test_without_fork_one_process_does_it_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "possible", lambda: False)
    parent = os.getpid()
    assert forked.split_map(lambda i: os.getpid() == parent, [1, 2, 3, 4]) == [True] * 4


@pytest.mark.parametrize("fixture", ["faults", "hostile-markdown", "odd-names", "legal", "public"])
def test_a_split_check_equals_one_in_one_process(copy_fixture: CopyFixture, fixture: str) -> None:
    root = copy_fixture(fixture)
    config, _ = read_config(root)
    alone = render(check_handbook(root, TODAY, config), "json", "overdue")
    split = render(check_handbook(root, TODAY, config, split=True), "json", "overdue")
    assert split == alone


def test_the_command_line_splits_a_cold_check(cli: RunCli, copy_fixture: CopyFixture) -> None:
    root = copy_fixture("faults")
    for number in range(forked.MINIMUM, 2100):  # above the real threshold
        (root / f"routines/kopia-{number}.md").write_text(
            f"---\nid: K-{number}\ntitle: Kopia {number}\ntype: rutin\n---\nText {number}.\n", encoding="utf-8")
    cold = cli("check", root, "--today", TODAY.isoformat(), "--format", "json", "--no-cache")
    config, _ = read_config(root)
    assert cold.stdout == render(check_handbook(root, TODAY, config), "json", "overdue")
