"""The command line's database option: the same on every command, a URL or a file path;
one-line errors with an exit code per kind of failure; read-only commands make no database."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import sanctrack
from sanctrack.cli import app
from sanctrack.db.location import NoDatabaseError
from sanctrack.db.urls import BadDatabaseUrlError, database_url
from sanctrack.exitcodes import MEANINGS, ExitCode

runner = CliRunner()

#: Every command that opens the database, with the arguments it needs besides it.
COMMANDS: list[list[str]] = [
    ["init"],
    ["load", "nothing.yaml"],
    ["export", "some-dataset"],
    ["remove", "some-dataset"],
    ["datasets"],
    ["demo"],
    ["review"],
    *(
        ["report", name]
        for name in (
            "by-year-category",
            "flows",
            "timeline",
            "sources",
            "violations",
            "caps",
            "series",
        )
    ),
]
READ_ONLY: list[list[str]] = [
    ["export", "some-dataset"],
    ["remove", "some-dataset"],
    ["datasets"],
    ["review"],
    *(c for c in COMMANDS if c[0] == "report"),
]


def database_options(command: list[str]) -> list[list[str]]:
    found: Any = typer.main.get_command(app)
    for name in command[:2]:
        found = found.commands.get(name, found) if hasattr(found, "commands") else found
    return [sorted(p.opts) for p in found.params if "--url" in p.opts or "-d" in p.opts]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_takes_the_same_database_option(command: list[str]) -> None:
    assert database_options(command) == [["--database", "--url", "-d"]]
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example: sanctrack " in result.stdout


def test_a_plain_path_is_a_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert database_url("my.db").render_as_string() == f"sqlite:///{tmp_path / 'my.db'}"
    assert database_url("sqlite:///x.db").database == "x.db"
    for option in ("-d", "--database", "--url"):
        result = runner.invoke(app, ["init", option, "my.db"])
        assert result.exit_code == 0, result.output
        assert result.stdout == f"Database ready: sqlite:///{tmp_path / 'my.db'}\n"
    engine = sanctrack.connect("my.db")  # the library takes a path too
    assert engine.url.database == str(tmp_path / "my.db")
    engine.dispose()


def test_the_environment_variable_may_be_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SANCTRACK_DATABASE_URL", "env.db")
    result = runner.invoke(app, ["init"])
    assert result.stdout == f"Database ready: sqlite:///{tmp_path / 'env.db'}\n"


def invoke(args: list[str]) -> tuple[int, list[str]]:
    result = runner.invoke(app, args)
    assert result.stdout == ""
    return result.exit_code, result.stderr.splitlines()


HOW = (
    "Give a SQLite file path such as my.db, or a URL such as sqlite:///my.db or "
    "postgresql://user@host/dbname."
)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "mysql://user:secret@host/db",
            "Cannot use the database URL mysql://user:***@host/db (no database driver for "
            f"'mysql': No module named 'MySQLdb'). {HOW}",
        ),
        (
            "nosuch://host/db",
            "Cannot use the database URL nosuch://host/db (no database driver for 'nosuch': "
            f"Can't load plugin: sqlalchemy.dialects:nosuch). {HOW}",
        ),
        (
            "postgresql://user:secret@host:port/db",
            f"Cannot use the database URL postgresql://... (its port must be a number). {HOW}",
        ),
        ("://nothing", f"Cannot use the database URL given (not a URL). {HOW}"),
    ],
)
def test_a_bad_url(url: str, message: str) -> None:
    assert invoke(["datasets", "-d", url]) == (ExitCode.BAD_URL, [message])
    with pytest.raises(BadDatabaseUrlError) as raised:
        sanctrack.connect(url)
    assert str(raised.value) == message


def test_a_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "x.db"
    message = (
        f"Cannot open the database sqlite:///{path}: its folder {path.parent} does not "
        "exist. Create the folder, or give another path."
    )
    for command in (["init"], ["datasets"], ["load", "x.yaml"]):
        assert invoke([*command, "-d", str(path)]) == (ExitCode.MISSING_DIRECTORY, [message])
    assert not path.parent.exists()


def test_an_unreachable_server() -> None:
    # Nothing listens on port 1 of the loopback: the connection is refused at once.
    url = "postgresql://postgres@127.0.0.1:1/x"
    code, lines = invoke(["datasets", "--wait", "5", "-d", url])
    assert code == ExitCode.UNREACHABLE
    assert lines == [
        "Cannot connect to the database postgresql+psycopg://postgres@127.0.0.1:1/x "
        '(connection failed: connection to server at "127.0.0.1", port 1 failed: Connection '
        "refused). Check that the server is running and that the URL is right."
    ]


def test_another_applications_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    message = (
        f"The database sqlite:///{path} holds tables sanctrack did not create (invoices): it "
        "is another application's database. Give sanctrack a new file or an empty database."
    )
    for command in (["datasets"], ["init"], ["report", "flows"]):
        assert invoke([*command, "-d", str(path)]) == (ExitCode.NOT_SANCTRACK, [message])


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100, encoding="utf-8")
    message = (
        f"The file of sqlite:///{path} is not a SQLite database (or it is encrypted or "
        "damaged). Give sanctrack the URL of a sanctrack database, or a new file name."
    )
    assert invoke(["datasets", "-d", str(path)]) == (ExitCode.NOT_SANCTRACK, [message])


def test_a_schema_too_new(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    sanctrack.connect(str(path)).dispose()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = 'from-the-future'")
    code, lines = invoke(["datasets", "-d", str(path)])
    assert code == ExitCode.SCHEMA_TOO_NEW
    assert lines == [
        f"The database sqlite:///{path} is at schema revision 'from-the-future', which this "
        f"sanctrack does not know (its newest is {sanctrack.db.migrate.head_revision()!r}). "
        "It was written by a newer sanctrack: upgrade with `pip install -U sanctrack`, or "
        "connect to another database."
    ]


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_read_only_commands_make_no_database(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "missing.db"
    message = f"no database at sqlite:///{path}; run `sanctrack init` or `sanctrack load` first."
    assert invoke([*command, "-d", str(path)]) == (ExitCode.NO_DATABASE, [message])
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_is_no_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    message = f"no database at sqlite:///{path}; run `sanctrack init` or `sanctrack load` first."
    assert invoke(["datasets", "-d", str(path)]) == (ExitCode.NO_DATABASE, [message])
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_an_empty_server_database_is_no_database(db_url: str) -> None:
    with pytest.raises(NoDatabaseError) as raised:
        sanctrack.connect(db_url, create=False)
    shown = sanctrack.db.urls.shown_url(sanctrack.db.engine.make_engine(db_url).url)
    assert str(raised.value) == (
        f"no database at {shown}; run `sanctrack init` or `sanctrack load` first."
    )
    sanctrack.connect(db_url).dispose()  # and init makes one
    assert runner.invoke(app, ["datasets", "-d", db_url]).exit_code == 0


def test_the_exit_codes_are_distinct_and_documented() -> None:
    assert len(set(ExitCode)) == len(ExitCode) == len(MEANINGS)
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    help_text = " ".join(runner.invoke(app, ["--help"]).stdout.replace("│", " ").split())
    for code, meaning in MEANINGS.items():
        assert f"| {int(code)} | {meaning} |" in readme
        assert f"{int(code)} {meaning}" in help_text


def test_version_and_python_dash_m(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"sanctrack {sanctrack.__version__}\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    ran = subprocess.run(
        [sys.executable, "-m", "sanctrack", "--version"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert (ran.returncode, ran.stdout) == (0, f"sanctrack {sanctrack.__version__}\n")
