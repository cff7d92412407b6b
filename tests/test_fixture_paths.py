"""Fixture paths. What is not a regular file (a FIFO, a device, a link to /dev/zero, a
directory, a socket) is refused before it is opened: reading it would wait for a writer
forever or never end. A file whose name is not UTF-8 loads, and its name is shown and
recorded escaped. In Python and in the CLI, one line each, on both backends."""

from __future__ import annotations

import os
import socket
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fixture_cases import NATO, base, dump, unlined, write
from malformed import hang_guard
from sqlalchemy import Engine, select
from sqlmodel import Session
from typer.testing import CliRunner

from sanctrack import FixtureError, load_fixture, validate_fixture
from sanctrack.cli import app
from sanctrack.models import LoadRecord

runner = CliRunner()
#: A hang guard, not a speed check: each refusal takes milliseconds.
GUARD = 60
FIXTURE_FILE = "give the path of a fixture file"


def fifo(directory: Path) -> Path:
    os.mkfifo(directory / "pipe.yaml")
    return directory / "pipe.yaml"


def link_to_dev_zero(directory: Path) -> Path:
    (directory / "zero.yaml").symlink_to("/dev/zero")
    return directory / "zero.yaml"


def character_device(directory: Path) -> Path:
    """A device node of /dev/zero's numbers (root only: skipped otherwise)."""
    path = directory / "dev.json"
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("creating a device node needs root")
    return path


def a_directory(directory: Path) -> Path:
    (directory / "dir.yaml").mkdir()
    write(directory / "dir.yaml" / "inside.yaml", base())
    return directory / "dir.yaml"


def unix_socket(directory: Path) -> Path:
    path = directory / "sock.jsonl"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays
    return path


def dangling_link(directory: Path) -> Path:
    (directory / "gone.yaml").symlink_to(directory / "deleted.yaml")
    return directory / "gone.yaml"


def missing(directory: Path) -> Path:
    return directory / "nope.yaml"


PATHS: list[tuple[Callable[[Path], Path], str]] = [
    (fifo, f"pipe.yaml: is a named pipe (FIFO), not a regular file: {FIXTURE_FILE}"),
    (
        link_to_dev_zero,
        f"zero.yaml: links to /dev/zero, which is a character device, not a regular file: "
        f"{FIXTURE_FILE}",
    ),
    (character_device, f"dev.json: is a character device, not a regular file: {FIXTURE_FILE}"),
    (a_directory, f"dir.yaml: is a directory, not a regular file: {FIXTURE_FILE}"),
    (unix_socket, f"sock.jsonl: is a socket, not a regular file: {FIXTURE_FILE}"),
    (dangling_link, f"gone.yaml: is a link to nothing: {FIXTURE_FILE}"),
    (missing, "nope.yaml: no such file: check the path"),
]
IDS = [make.__name__ for make, _ in PATHS]


def error_lines(text: str) -> list[str]:
    """The lines of an error output that name a file (not the "1 error; ..." summary)."""
    lines = text.splitlines()
    return [unlined(line) for line in lines if ": " in line and "nothing was loaded" not in line]


@pytest.mark.parametrize(("make", "message"), PATHS, ids=IDS)
def test_validate_refuses_what_is_not_a_regular_file(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    path = make(tmp_path)
    with hang_guard(GUARD), pytest.raises(FixtureError) as caught:
        validate_fixture(path)
    assert [unlined(issue) for issue in caught.value.errors] == [message]


@pytest.mark.parametrize(("make", "message"), PATHS, ids=IDS)
def test_load_refuses_what_is_not_a_regular_file(
    engine: Engine, tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    with Session(engine) as session:
        load_fixture(session, NATO)
    before = dump(engine)
    path = make(tmp_path)
    with hang_guard(GUARD), Session(engine) as session, pytest.raises(FixtureError) as caught:
        load_fixture(session, path)
    assert [unlined(issue) for issue in caught.value.errors] == [message]
    assert dump(engine) == before


@pytest.mark.parametrize(("make", "message"), PATHS, ids=IDS)
def test_cli_refuses_what_is_not_a_regular_file(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    path = make(tmp_path)
    ok = write(tmp_path / "ok.yaml", base())
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with hang_guard(GUARD):
        checked = runner.invoke(app, ["validate", str(path), str(ok)])
        loaded = runner.invoke(app, ["load", "--url", url, str(path)])
    assert checked.exit_code == 1, checked.output
    assert error_lines(checked.stderr) == [message]
    assert checked.stdout.splitlines() == ["ok.yaml: valid (3 transfers)"]  # the others run
    assert loaded.exit_code == 1, loaded.output
    assert error_lines(loaded.stderr) == [message]


needs_bytes_names = pytest.mark.skipif(
    sys.platform == "win32" or sys.getfilesystemencoding() != "utf-8",
    reason="file names are bytes decoded as UTF-8 with surrogateescape",
)


def latin1_named(directory: Path, data: dict[str, object]) -> Path:
    """A fixture file named b'caf\\xe9.yaml': Latin-1, not UTF-8."""
    path = directory / os.fsdecode(b"caf\xe9.yaml")
    return write(path, data)


@needs_bytes_names
def test_a_file_named_in_latin_1_loads_and_is_recorded_escaped(
    engine: Engine, tmp_path: Path
) -> None:
    path = latin1_named(tmp_path, base())
    assert validate_fixture(path) == 3
    with Session(engine) as session:
        report = load_fixture(session, path)
    assert report.counts["transfers"]["created"] == 3
    with Session(engine) as session:
        recorded = session.scalars(select(LoadRecord.path)).all()
    escaped = os.fsencode(str(tmp_path.resolve())).decode("utf-8", "backslashreplace")
    assert recorded == [f"{escaped}/caf\\xe9.yaml"]
    with Session(engine) as session:
        assert not load_fixture(session, path).changed  # the same file again: unchanged


@needs_bytes_names
def test_cli_shows_a_latin_1_name_escaped(tmp_path: Path) -> None:
    good = latin1_named(tmp_path, base())
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    checked = runner.invoke(app, ["validate", str(good)])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.splitlines() == ["caf\\xe9.yaml: valid (3 transfers)"]
    loaded = runner.invoke(app, ["load", "--url", url, str(good)])
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.splitlines()[0].startswith("test-ds: 7 created")

    data = base()
    data["transfers"][0]["supplier"] = "\u202ePRK"
    bad = latin1_named(tmp_path, data)
    refused = runner.invoke(app, ["load", "--url", url, str(bad)])
    assert refused.exit_code == 1
    assert error_lines(refused.stderr) == [
        "caf\\xe9.yaml: transfers[0] (t1).supplier: expected visible characters only, got "
        "U+202E (RIGHT-TO-LEFT OVERRIDE) at character 1: remove it"
    ]
