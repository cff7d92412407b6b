"""What finding duplicate keys costs on the JSON Lines fast path.

Usage: ``python bench/bench_duplicate_keys.py [--n N] [--repeat R]``

Writes two files of N transfers (default 100,000) with bench/generate.py: as generated, and
with a quote holding ':' in every claim (so that every line has its strings cut out before
its ':' are counted). For each, it times per line

* ``validate``: TransferIn.model_validate_json alone (the fast path before the check);
* ``checked``: the same and the duplicate-key check the loader does (may_repeat_keys; the
  duplicate-checking parse that would say where a duplicate is never runs: there is none);

and then validate_fixture on the whole file. It prints the best of R runs and the ratio
checked / validate. A benchmark, not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generate import generate

from sanctrack import validate_fixture
from sanctrack.fixture.duplicates import PairsHook, may_repeat_keys
from sanctrack.fixture.schema import TransferIn


def with_quotes(source: Path, target: Path) -> Path:
    """``source`` with a quote holding ':' in every claim."""
    with source.open("rb") as lines, target.open("wb") as out:
        out.write(next(lines))
        for line in lines:
            record = json.loads(line)
            for claim in record["claims"]:
                claim["quote"] = "the report says: about this many"
            out.write(json.dumps(record).encode() + b"\n")
    return target


def validate_only(lines: list[bytes]) -> None:
    for line in lines:
        TransferIn.model_validate_json(line)


def checked(lines: list[bytes]) -> None:
    for line in lines:
        transfer = TransferIn.model_validate_json(line)
        if may_repeat_keys(line, transfer):
            hook = PairsHook()
            json.loads(line, object_pairs_hook=hook)
            assert not hook.found


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        plain = generate(Path(directory) / "plain.jsonl", args.n)
        quoted = with_quotes(plain, Path(directory) / "quoted.jsonl")
        for path in (plain, quoted):
            lines = path.read_bytes().splitlines()[1:]
            fast = best(functools.partial(validate_only, lines), args.repeat)
            slow = best(functools.partial(checked, lines), args.repeat)
            whole = best(functools.partial(validate_fixture, path), args.repeat)
            print(
                f"{path.name}: {len(lines)} lines; per line: validate {fast / len(lines) * 1e6:.1f}"
                f" us, checked {slow / len(lines) * 1e6:.1f} us (x{slow / fast:.2f}); "
                f"validate_fixture {whole:.2f} s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
