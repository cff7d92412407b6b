"""Fewer garbage collections while a fixture is read, and the setting given back."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctrack.fixture import validate_fixture
from sanctrack.fixture.gc_pause import YOUNG_THRESHOLD, fewer_collections

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*saved)


def test_the_young_threshold_is_raised_inside_and_given_back(
    thresholds: tuple[int, int, int],
) -> None:
    with fewer_collections():
        assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
        with fewer_collections():  # a nested block changes nothing
            assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
        assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
    assert gc.get_threshold() == thresholds


def test_the_setting_is_given_back_when_the_block_raises(
    thresholds: tuple[int, int, int],
) -> None:
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a load that fails")
    assert gc.get_threshold() == thresholds


def test_a_higher_threshold_and_collection_turned_off_are_left_alone() -> None:
    saved = gc.get_threshold()
    try:
        gc.set_threshold(YOUNG_THRESHOLD * 2, 5, 5)
        with fewer_collections():
            assert gc.get_threshold() == (YOUNG_THRESHOLD * 2, 5, 5)
        gc.set_threshold(0, 5, 5)
        with fewer_collections():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold() == (0, 5, 5)
    finally:
        gc.set_threshold(*saved)


def test_blocks_in_threads_give_the_setting_back_when_the_last_ends(
    thresholds: tuple[int, int, int],
) -> None:
    inside, leave = threading.Barrier(3), threading.Event()

    def load() -> None:
        with fewer_collections():
            inside.wait()
            leave.wait()

    workers = [threading.Thread(target=load) for _ in range(2)]
    for worker in workers:
        worker.start()
    inside.wait()
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    leave.set()
    for worker in workers:
        worker.join()
    assert gc.get_threshold() == thresholds


def test_reading_a_fixture_collects_less_often_and_gives_the_setting_back(
    thresholds: tuple[int, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sanctrack.fixture.load as load

    seen: list[int] = []
    process = load._process

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold()[0])
        return process(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load, "_process", spy)
    validate_fixture(FIXTURES / "msmt-2025-05-dprk-russia.yaml")
    assert seen == [YOUNG_THRESHOLD]
    assert gc.get_threshold() == thresholds
