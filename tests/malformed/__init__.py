"""Shared by the malformed-corpus and fuzz tests: a database per backend with both bundled
datasets loaded, which malformed input must leave exactly as it was."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from fixture_cases import BUNDLED
from sqlalchemy import Engine
from sqlmodel import Session

import sanctrack

POSTGRES_VARIABLE = "SANCTRACK_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"] if os.environ.get(POSTGRES_VARIABLE) else ["sqlite"]


def bundled_database(
    backend: str, tmp_path_factory: pytest.TempPathFactory, postgres: Any
) -> Iterator[Engine]:
    """A new database on ``backend`` with both bundled datasets loaded; dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('bundled') / 'bundled.db'}"
    else:
        url = postgres.create()
    engine = sanctrack.connect(url)
    try:
        for path in BUNDLED:
            with Session(engine) as session:
                sanctrack.load_fixture(session, path)
        yield engine
    finally:
        engine.dispose()
        if backend != "sqlite":
            postgres.drop(url)


#: A hang guard, not a speed check: the slowest case takes a few seconds on a busy machine.
HANG_SECONDS = 300


@contextlib.contextmanager
def hang_guard(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Fail the test, instead of hanging the run, if the block has not returned after
    ``seconds`` (reading a FIFO with no writer would wait forever). Main thread only."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
